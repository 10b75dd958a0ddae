import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cartPk } from '../../functions/carts/repository/keys';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import {
  documentClient,
  itemsWithPrefix,
  messagesOf,
  openPage,
  outboxTo,
  pay,
  paymentId,
  paymentWebhook,
  seedStores,
  sharedCart,
} from './carts-fixtures';

const repository = await import('../../functions/carts/repository');

beforeAll(seedStores);
afterEach(() => vi.restoreAllMocks());

describe('payment webhook', () => {
  it('settles a matching payment: paid, attributed, noted in the chat, receipt sent, cart removed, link says paid', async () => {
    const { conversationId, phone, cart, token } = await sharedCart();
    const id = paymentId();

    const res = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'paid', paymentId: id });
    expect((await cart.get()).status).toBe(404);
    const page = await openPage(token);
    expect(page.status).toBe(410);
    expect(page.body).toMatch(/has been paid/);
    const receipt = (await outboxTo(phone)).at(-1)!.body;
    expect(receipt).toContain('2 x Oxford shirt $90.00');
    expect(receipt).toContain('1 x Chelsea boots $199.00');
    expect(receipt).toContain('Total paid: $289.00');
    const messages = await messagesOf(conversationId);
    expect(messages.filter((m) => m.text === 'customer paid via remote checkout link')).toHaveLength(1);
    expect(messages.some((m) => m.direction === 'outbound' && m.text === receipt)).toBe(true);
    expect(await repository.getPayment(id)).toMatchObject({
      status: 'COMPLETED',
      sharedBy: 'assoc-1',
      amount: 28_900,
      receiptState: 'SENT',
    });
  });

  it('changes nothing when the same payment is delivered again', async () => {
    const { conversationId, phone, token } = await sharedCart();
    const id = paymentId();
    expect((await pay({ token, amount: 28_900, currency: 'USD', paymentId: id })).status).toBe(200);
    const sms = (await outboxTo(phone)).length;
    const messages = (await messagesOf(conversationId)).length;

    const again = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });

    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: 'already-processed', paymentId: id });
    expect(await outboxTo(phone)).toHaveLength(sms);
    expect(await messagesOf(conversationId)).toHaveLength(messages);
  });

  it('refuses a second, different payment for a paid link with 409', async () => {
    const { token } = await sharedCart();
    await pay({ token, amount: 28_900, currency: 'USD', paymentId: paymentId() });
    expect((await pay({ token, amount: 28_900, currency: 'USD', paymentId: paymentId() })).status).toBe(409);
  });

  it.each([
    ['no signature', undefined],
    ['a signature made with another secret', 'another-secret'],
  ])('answers 401 to %s and changes nothing', async (_, secret) => {
    const { cart, token } = await sharedCart();
    const rawBody = JSON.stringify({ token, amount: 28_900, currency: 'USD', paymentId: paymentId() });
    const { signPaymentBody } = await import('../../functions/carts/rules');
    const res = await paymentWebhook({
      routeKey: 'POST /webhooks/payments',
      rawBody,
      headers: secret ? { 'x-signature': signPaymentBody(rawBody, secret) } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect((await cart.get()).status).toBe(200);
    expect((await openPage(token)).status).toBe(200);
  });

  it('answers 401 when the signed body is altered on the way', async () => {
    const { cart, token } = await sharedCart();
    const { signPaymentBody } = await import('../../functions/carts/rules');
    const signed = JSON.stringify({ token, amount: 28_900, currency: 'USD', paymentId: paymentId() });
    const res = await paymentWebhook({
      routeKey: 'POST /webhooks/payments',
      rawBody: signed.replace('28900', '100'),
      headers: { 'x-signature': signPaymentBody(signed, 'local-payment-secret') },
    });
    expect(res.status).toBe(401);
    expect((await cart.get()).status).toBe(200);
  });

  it('checks the signature over the raw bytes: a body that is not valid UTF-8 is signed as sent', async () => {
    const { token } = await sharedCart();
    const { signPaymentBody } = await import('../../functions/carts/rules');
    // A Latin-1 "é" (0xE9) in a field the settlement ignores: decoding it to text would turn it into U+FFFD.
    const bytes = Buffer.concat([
      Buffer.from(`{"token":"${token}","amount":28900,"currency":"USD","paymentId":"${paymentId()}","note":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const decodedFirst = await paymentWebhook({
      routeKey: 'POST /webhooks/payments',
      rawBytes: bytes,
      headers: { 'x-signature': signPaymentBody(bytes.toString('utf8'), 'local-payment-secret') },
    });
    const asSent = await paymentWebhook({
      routeKey: 'POST /webhooks/payments',
      rawBytes: bytes,
      headers: { 'x-signature': signPaymentBody(bytes, 'local-payment-secret') },
    });
    expect(decodedFirst.status).toBe(401);
    expect(asSent.status).toBe(200);
  });

  it.each([
    ['less than the total', 28_899, 'USD'],
    ['more than the total', 29_000, 'USD'],
    ['another currency', 28_900, 'EUR'],
  ])('refuses a payment of %s with 409 and keeps the cart', async (_, amount, currency) => {
    const { cart, token } = await sharedCart();
    const res = await pay({ token, amount, currency, paymentId: paymentId() });
    expect(res.status).toBe(409);
    expect((await cart.get()).body.total).toBe(28_900);
    expect((await openPage(token)).status).toBe(200);
  });

  it('refuses the total the customer saw before an edit, and accepts the new one', async () => {
    const { cart, token } = await sharedCart();
    await cart.deleteItem('BOOTS');
    expect((await pay({ token, amount: 28_900, currency: 'USD', paymentId: paymentId() })).status).toBe(409);
    expect((await pay({ token, amount: 9_000, currency: 'USD', paymentId: paymentId() })).status).toBe(200);
  });

  it('answers 400 to a signed body that is not a payment, and 404 to an unknown token', async () => {
    const { signPaymentBody } = await import('../../functions/carts/rules');
    const rawBody = JSON.stringify({ token: 'x', amount: '12' });
    const bad = await paymentWebhook({
      routeKey: 'POST /webhooks/payments',
      rawBody,
      headers: { 'x-signature': signPaymentBody(rawBody, 'local-payment-secret') },
    });
    expect(bad.status).toBe(400);
    expect((await pay({ token: 'B'.repeat(43), amount: 1, currency: 'USD', paymentId: paymentId() })).status).toBe(404);
  });

  it('finishes the job on redelivery after a crash midway, without a second receipt', async () => {
    const { conversationId, phone, cart, token } = await sharedCart();
    const id = paymentId();
    const send = documentClient.send.bind(documentClient);
    // The first delivery dies when it comes to remove the paid cart (after the note and the receipt).
    vi.spyOn(documentClient, 'send').mockImplementation(((command: any) => {
      if (command instanceof DeleteCommand && command.input.Key?.pk === cartPk(conversationId))
        throw new Error('Lambda timed out');
      return send(command);
    }) as any);
    const crashed = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });
    expect(crashed.status).toBe(500);
    vi.restoreAllMocks();
    const receiptsAfterCrash = (await outboxTo(phone)).filter((m) => m.body.includes('Total paid')).length;
    expect(receiptsAfterCrash).toBe(1);

    const redelivered = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });

    expect(redelivered.status).toBe(200);
    expect((await outboxTo(phone)).filter((m) => m.body.includes('Total paid'))).toHaveLength(1);
    expect(
      (await messagesOf(conversationId)).filter((m) => m.text === 'customer paid via remote checkout link'),
    ).toHaveLength(1);
    expect((await cart.get()).status).toBe(404);
    expect(await repository.getPayment(id)).toMatchObject({ status: 'COMPLETED' });
  });

  it('records a paid cart without a receipt when the customer opted out meanwhile', async () => {
    const { conversationId, token } = await sharedCart();
    const conversations = await import('../../functions/conversations/repository');
    const conversation = (await conversations.getConversation(conversationId))!;
    await conversations.changeOptIn(
      conversation,
      { type: 'keyword', kind: 'opt-out' },
      { source: 'KEYWORD', at: new Date() },
    );
    const id = paymentId();

    expect((await pay({ token, amount: 28_900, currency: 'USD', paymentId: id })).status).toBe(200);
    expect(await repository.getPayment(id)).toMatchObject({ status: 'COMPLETED', receiptState: 'SKIPPED' });
    expect(await itemsWithPrefix(cartPk(conversationId))).toHaveLength(0);
  });
});

const { nextLocalMidnight } = await import('../../functions/carts/local-time');
const { handler: sweep } = await import('../../functions/carts/sweeper.handler');
const { scheduledEvent } = await import('../../lib/lambda-events');
const { lambdaContext } = await import('../support/http-events');

describe('a payment after midnight (the 2-hour grace)', () => {
  const HOUR = 3_600_000;
  const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
  const cartItems = async (conversationId: string) => itemsWithPrefix(cartPk(conversationId));
  const arrivingAt = (time: Date) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(time);
  };
  afterEach(() => vi.useRealTimers());

  it('settles once a payment made before midnight that arrives an hour after it: note, receipt, cart removed', async () => {
    const { conversationId, phone, token } = await sharedCart();
    const midnight = await nextLocalMidnight(new Date(), 'America/New_York');
    const paidAt = at(midnight, -5 * 60_000).toISOString();
    const id = paymentId();
    arrivingAt(at(midnight, HOUR));

    // Kept through the grace by the sweeper, while every read already treats it as gone.
    await sweep(scheduledEvent('cart-sweeper', at(midnight, HOUR)), lambdaContext());
    expect(await cartItems(conversationId)).toHaveLength(1);
    expect((await openPage(token)).status).toBe(410);

    const res = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id, paidAt });
    expect(res).toMatchObject({ status: 200, body: { status: 'paid', paymentId: id } });
    const again = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id, paidAt });
    expect(again.body).toEqual({ status: 'already-processed', paymentId: id });
    vi.useRealTimers();

    const messages = await messagesOf(conversationId);
    expect(messages.filter((m) => m.text === 'customer paid via remote checkout link')).toHaveLength(1);
    expect((await outboxTo(phone)).filter((sms) => sms.body.includes('Total paid: $289.00'))).toHaveLength(1);
    expect(await repository.getPayment(id)).toMatchObject({ status: 'COMPLETED', paidAt, receiptState: 'SENT' });
    expect(await cartItems(conversationId)).toHaveLength(0);
    expect((await openPage(token)).body).toMatch(/has been paid/);
  });

  it.each([
    ['a paidAt after the expiry', 10 * 60_000, /expired at .+, before the payment at /],
    ['no paidAt', undefined, /expired at .+, before this payment arrived at /],
  ])('refuses %s with 409 and settles nothing', async (_, paidAfter, detail) => {
    const { conversationId, phone, token } = await sharedCart();
    const midnight = await nextLocalMidnight(new Date(), 'America/New_York');
    const sms = (await outboxTo(phone)).length;
    arrivingAt(at(midnight, HOUR));

    const res = await pay({
      token,
      amount: 28_900,
      currency: 'USD',
      paymentId: paymentId(),
      ...(paidAfter === undefined ? {} : { paidAt: at(midnight, paidAfter).toISOString() }),
    });
    vi.useRealTimers();

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(detail);
    expect(await cartItems(conversationId)).toHaveLength(1);
    expect(await outboxTo(phone)).toHaveLength(sms);
  });

  it('refuses a payment made before midnight that arrives 3 hours after it, and the sweep then deletes the cart', async () => {
    const { conversationId, token } = await sharedCart();
    const midnight = await nextLocalMidnight(new Date(), 'America/New_York');
    arrivingAt(at(midnight, 3 * HOUR));

    const res = await pay({
      token,
      amount: 28_900,
      currency: 'USD',
      paymentId: paymentId(),
      paidAt: at(midnight, -60_000).toISOString(),
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/could be settled until .+, and this one arrived at /);

    await sweep(scheduledEvent('cart-sweeper', at(midnight, 3 * HOUR)), lambdaContext());
    vi.useRealTimers();
    expect(await cartItems(conversationId)).toHaveLength(0);
    expect((await openPage(token)).status).toBe(410);
  });
});
