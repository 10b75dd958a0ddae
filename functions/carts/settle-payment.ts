/**
 * Settling a remote cart from the payment provider's (already signature-checked) notification,
 * exactly once per paymentId, in an order that a crash midway and a redelivery can always finish.
 */
import { loadConversation, postNote, sendToCustomer } from '../conversations/outbound';
import { RETRY, withContentionRetry } from '../shared/dynamo/conditions';
import { ConflictError, NotFoundError, RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { recordPaymentRefused, recordPaymentSettled, type PaymentRefusal } from '../shared/metrics';
import { attributePayment } from '../reports/attribute-payment';
import { getStore } from '../stores/repository';
import * as repository from './repository';
import type { PaymentNotification, PaymentRecord } from './model';
import { latePaymentRefusal, PAID_NOTE, paymentMismatch, receiptMessage, storeLocale } from './rules';

export type PaymentOutcome = { status: 'paid' | 'already-processed'; paymentId: string };

/**
 * A payment the provider took that this system will not settle: counted (the PaymentsRefused
 * alarm: someone has to refund or settle it by hand) and answered 409 (or 404 for an unknown link).
 */
function refused(reason: PaymentRefusal, detail: string, error: 'conflict' | 'not-found' = 'conflict'): Error {
  recordPaymentRefused(reason);
  return error === 'not-found' ? new NotFoundError(detail) : new ConflictError(detail);
}

/**
 * 1. A paymentId already on record: the same payment again finishes whatever an earlier delivery
 *    left undone and changes nothing else; another payment reusing that id is a 409.
 * 2. Otherwise the link must be live (or, after its midnight, have been paid before it by the
 *    provider's signed `paidAt`, and within the 2-hour grace: rules.ts, latePaymentRefusal) and
 *    its cart must total exactly the amount and currency paid (anything else is refused with a
 *    409, logged and counted).
 * 3. One transaction records the payment, marks the cart paid (only if it is still the version
 *    whose total was checked) and marks the link paid.
 * 4. Then the follow-ups, each recorded on the payment so it runs once: the chat note, the
 *    receipt SMS, the cart's removal.
 */
export function settleCartPayment(notification: PaymentNotification, now: Date): Promise<PaymentOutcome> {
  // Deliveries racing on one payment: whichever loses the transaction reads again and joins the winner.
  return withContentionRetry(() => settleOnce(notification, now));
}

async function settleOnce(notification: PaymentNotification, now: Date): Promise<PaymentOutcome | typeof RETRY> {
  const known = await repository.getPayment(notification.paymentId);
  if (known) return resume(known, notification, now);

  const link = await repository.getLink(notification.token);
  if (!link) throw refused('unknown-link', 'No cart link has this token.', 'not-found');
  // This very payment settled between our read of the payment record and of the link: join it.
  if (link.status === 'PAID' && link.paymentId === notification.paymentId) return RETRY;
  if (link.status === 'PAID')
    throw refused('already-paid', `This cart was already paid (payment ${link.paymentId ?? 'unknown'}).`);
  const late = latePaymentRefusal(link, notification.paidAt, now);
  if (late) {
    logger.warn('payment refused: the link had expired', {
      paymentId: notification.paymentId,
      expiresAt: link.expiresAt,
      paidAt: notification.paidAt,
      arrivedAt: now.toISOString(),
    });
    throw refused('expired', late);
  }
  const cart = await repository.getCart(link.conversationId, link.expiresAt);
  if (cart?.paymentId === notification.paymentId) return RETRY;
  if (!cart || cart.cartId !== link.cartId || cart.paidAt) {
    if (await repository.getPayment(notification.paymentId)) return RETRY;
    throw refused('cart-gone', 'The cart behind this link no longer exists.');
  }
  const mismatch = paymentMismatch(notification, cart);
  if (mismatch) {
    logger.warn('payment refused: it does not match the cart total', {
      paymentId: notification.paymentId,
      conversationId: cart.conversationId,
      paid: { amount: notification.amount, currency: notification.currency },
      cart: { total: cart.total, currency: cart.currency, version: cart.version },
    });
    throw refused('mismatch', mismatch);
  }

  const record: PaymentRecord = {
    paymentId: notification.paymentId,
    tokenHash: repository.tokenHash(notification.token),
    conversationId: cart.conversationId,
    storeId: cart.storeId,
    customerId: cart.customerId,
    cartId: cart.cartId,
    cartExpiresAt: cart.expiresAt,
    items: cart.items,
    amount: notification.amount,
    currency: notification.currency,
    sharedBy: link.sharedBy,
    // When the customer paid: the provider's signed time when it gives one (a late delivery keeps its day).
    paidAt: notification.paidAt ? new Date(notification.paidAt).toISOString() : now.toISOString(),
    status: 'SETTLING',
  };
  const outcome = await repository.settlePayment(record, cart.version);
  if (outcome === 'contended') return RETRY;
  if (outcome === 'duplicate') {
    // The same payment delivered twice at once: the other delivery settled it; help it finish.
    const settled = await repository.getPayment(notification.paymentId);
    if (settled) return resume(settled, notification, now);
  }
  if (outcome === 'cart-changed' && (await repository.getPayment(notification.paymentId))) return RETRY;
  if (outcome === 'cart-changed') {
    logger.warn('payment refused: the cart changed while it was being settled', {
      paymentId: notification.paymentId,
      conversationId: cart.conversationId,
    });
    throw refused(
      'cart-changed',
      'The cart changed while the payment was being processed, so the amount paid is not its current total.',
    );
  }
  if (outcome === 'link-used') {
    if (await repository.getPayment(notification.paymentId)) return RETRY;
    throw refused('already-paid', 'This cart was already paid by another payment.');
  }
  recordPaymentSettled();
  await finish(record, now);
  return { status: 'paid', paymentId: record.paymentId };
}

async function resume(known: PaymentRecord, notification: PaymentNotification, now: Date): Promise<PaymentOutcome> {
  if (
    known.tokenHash !== repository.tokenHash(notification.token) ||
    known.amount !== notification.amount ||
    known.currency !== notification.currency
  ) {
    logger.warn('payment refused: the paymentId was already used for a different payment', {
      paymentId: notification.paymentId,
    });
    throw refused(
      'payment-id-reused',
      `Payment ${notification.paymentId} was already recorded with a different link, amount or currency.`,
    );
  }
  if (known.status === 'COMPLETED') return { status: 'already-processed', paymentId: known.paymentId };
  await finish(known, now);
  return { status: 'paid', paymentId: known.paymentId };
}

/**
 * The follow-ups of a settled payment, each exactly once however many deliveries run them, at
 * once or after a crash at any step:
 * 1. the chat note, whose message id is derived from the payment (a second write is refused);
 * 2. the receipt SMS, sent with an idempotency key of the payment: recorded once, handed to the
 *    carrier once (a carrier outage throws, and the redelivery sends the same message);
 * 3. the cart's removal (conditional on this payment), then the payment marked COMPLETED.
 */
async function finish(record: PaymentRecord, now: Date): Promise<void> {
  const conversation = await loadConversation(record.conversationId);
  if (!conversation)
    logger.error('paid cart of a conversation that no longer exists: no note, no receipt', {
      paymentId: record.paymentId,
    });
  const paidAt = new Date(record.paidAt);

  if (conversation && !record.noteMessageId) {
    const note = await postNote({
      conversation,
      text: PAID_NOTE,
      now: paidAt,
      seed: `payment-note:${record.paymentId}`,
    });
    await repository.recordPaymentStep(record.paymentId, { noteMessageId: note.messageId });
  }

  if (conversation && !record.receiptState) {
    const store = await getStore(record.storeId);
    const text = receiptMessage({
      storeName: store?.name ?? record.storeId,
      items: record.items,
      total: record.amount,
      currency: record.currency,
      paymentId: record.paymentId,
      locale: storeLocale(store?.country),
    });
    try {
      const receipt = await sendToCustomer({
        conversation,
        text,
        sentBy: record.sharedBy,
        now,
        idempotency: { key: `receipt:${record.paymentId}`, bodyHash: 'receipt', userId: 'system:payments' },
      });
      await repository.recordPaymentStep(record.paymentId, {
        receiptState: 'SENT',
        receiptMessageId: receipt.message.messageId,
      });
    } catch (error) {
      if (!(error instanceof RuleViolationError)) throw error;
      // The customer cannot be texted (e.g. opted out since): the payment stands without a receipt SMS.
      logger.warn('receipt not sent', { paymentId: record.paymentId, reason: error.message });
      await repository.recordPaymentStep(record.paymentId, {
        receiptState: 'SKIPPED',
        receiptSkippedBecause: error.message,
      });
    }
  }

  await attributePayment({
    paymentId: record.paymentId,
    storeId: record.storeId,
    customerId: record.customerId,
    sharedBy: record.sharedBy,
    amount: record.amount,
    currency: record.currency,
    paidAt,
  });
  await repository.removePaidCart(record);
  await repository.recordPaymentStep(record.paymentId, { status: 'COMPLETED', completedAt: now.toISOString() });
}
