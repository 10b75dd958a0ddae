/** Names of the business metrics: written by functions/shared/metrics.ts, read by the alarms and the dashboard. */
export const METRICS_NAMESPACE = 'Clienteling';
export const METRICS_SERVICE = 'clienteling';

export const METRIC = {
  rowsImported: 'RowsImported',
  rowsRejected: 'RowsRejected',
  importsFinished: 'ImportsFinished',
  importsFailed: 'ImportsFailed',
  messagesSent: 'MessagesSent',
  messagesFailed: 'MessagesFailed',
  inboundReceived: 'InboundReceived',
  webhooksRefused: 'WebhooksRefused',
  paymentsSettled: 'PaymentsSettled',
  paymentsRefused: 'PaymentsRefused',
} as const;
export type MetricName = (typeof METRIC)[keyof typeof METRIC];
