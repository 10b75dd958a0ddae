/** The payment provider's webhook: a signed `{token, amount, currency, paymentId}` settles a remote cart once. */
import { httpApi, ok, publicRoute } from '../shared/http';
import { UnauthorizedError } from '../shared/errors';
import { recordWebhookRefused } from '../shared/metrics';
import { jsonOf, parseOrReject } from '../shared/validation';
import { paymentWebhookSecret, refreshedPaymentWebhookSecret } from '../shared/secrets';
import { settleCartPayment } from './settle-payment';
import { PaymentNotification } from './model';
import { isValidPaymentSignature } from './rules';

/** The body is parsed only after the signature over its raw bytes checks out: an unsigned body is never even read. */
function parseNotification(rawBody: string): PaymentNotification {
  return parseOrReject('body', PaymentNotification, jsonOf(rawBody));
}

/** Checked with the cached secret, then once with a fresh read (the secret may have just been rotated). */
async function isSignedByProvider(rawBytes: Buffer, signature: string | undefined): Promise<boolean> {
  if (!signature) return false;
  if (isValidPaymentSignature(rawBytes, signature, await paymentWebhookSecret())) return true;
  const fresh = await refreshedPaymentWebhookSecret();
  return fresh !== undefined && isValidPaymentSignature(rawBytes, signature, fresh);
}

export const handler = httpApi({
  'POST /webhooks/payments': publicRoute({}, async ({ rawBody, rawBytes, headers }) => {
    // Over the bytes as sent: decoding first would let two different bodies share a signature.
    if (!(await isSignedByProvider(rawBytes, headers['x-signature']))) {
      recordWebhookRefused('payment');
      throw new UnauthorizedError('X-Signature is missing or is not the HMAC-SHA256 of the body.');
    }
    return ok(await settleCartPayment(parseNotification(rawBody), new Date()));
  }),
});
