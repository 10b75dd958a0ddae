/**
 * The business metrics, as CloudWatch embedded metric format (EMF) lines written by Powertools
 * Metrics: no API call, no flush step, nothing to forget in a handler. Each record function
 * emits its line at once, so a function that throws half-way still reports what it did.
 *
 * Every metric carries one dimension, `service` = `clienteling`, so one alarm or dashboard
 * widget sees the whole system. A metric with a detail (the Twilio code, the webhook kind, the
 * final status) is emitted a second time with that detail as an extra dimension, for the
 * breakdown; alarms read the plain one.
 *
 * Metric names and the namespace live in metric-names.ts, which the alarms and the dashboard
 * (lib/constructs/observability.ts) import, so they read exactly what the functions write.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC, METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from './metric-names';

export type ImportStatus = 'SUCCESSFUL' | 'PARTIALLY_SUCCESSFUL' | 'FAILED';
/** Why a signed payment was not settled (rules.ts and settle-payment.ts in functions/carts/). */
export type PaymentRefusal =
  | 'unknown-link'
  | 'already-paid'
  | 'expired'
  | 'cart-gone'
  | 'mismatch'
  | 'cart-changed'
  | 'payment-id-reused';
/** Which webhook refused a request: Twilio's (bad X-Twilio-Signature) or the payment provider's. */
export type WebhookKind = 'twilio' | 'payment';

/** Built on the first metric recorded, not at cold start: most invocations record none. */
let metrics: Metrics | undefined;

function emit(name: MetricName, value: number, detail?: Readonly<Record<string, string>>): void {
  if (value <= 0) return;
  metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  metrics.singleMetric().addMetric(name, MetricUnit.Count, value);
  if (detail) {
    const withDetail = metrics.singleMetric();
    for (const [key, v] of Object.entries(detail)) withDetail.addDimension(key, v);
    withDetail.addMetric(name, MetricUnit.Count, value);
  }
}

/** Rows a writer accepted as outreach candidates (known customer, valid row). */
export const recordRowsImported = (rows: number): void => emit(METRIC.rowsImported, rows);

/** Rows a writer rejected, by the rejection reason. */
export function recordRowsRejected(byReason: Readonly<Record<string, number>>): void {
  for (const [reason, rows] of Object.entries(byReason)) emit(METRIC.rowsRejected, rows, { reason });
}

/** An import reached its final status; FAILED ones are also counted on their own (the alarm's metric). */
export function recordImportFinished(status: ImportStatus): void {
  emit(METRIC.importsFinished, 1, { status });
  if (status === 'FAILED') emit(METRIC.importsFailed, 1);
}

/** Twilio accepted an outbound message. */
export const recordMessageSent = (): void => emit(METRIC.messagesSent, 1);

/** An outbound message failed: Twilio refused it (its error code) or reported it undelivered/failed. */
export const recordMessageFailed = (twilioCode?: string | number): void =>
  emit(METRIC.messagesFailed, 1, { twilioCode: twilioCode === undefined ? 'none' : String(twilioCode) });

/** An inbound SMS/MMS was stored (count each MessageSid once, not each redelivery). */
export const recordInboundReceived = (): void => emit(METRIC.inboundReceived, 1);

/** A webhook request was refused for its signature (401/403): a wrong secret, or someone probing. */
export const recordWebhookRefused = (kind: WebhookKind): void => emit(METRIC.webhooksRefused, 1, { kind });

/** A payment settled a cart (count the first delivery of a paymentId, not redeliveries). */
export const recordPaymentSettled = (): void => emit(METRIC.paymentsSettled, 1);

/** A validly signed payment was refused (the provider took the money; nothing was settled), by reason. */
export const recordPaymentRefused = (reason: PaymentRefusal): void => emit(METRIC.paymentsRefused, 1, { reason });
