/**
 * Compliance through the handlers, against DynamoDB Local: the consent ledger, one opt-in request
 * a day, quiet hours, scheduled messages and their release by the scheduled-sender. Every time is
 * a parameter (a use case's `now`, a schedule event's `time`) or relative to the clock with quiet
 * hours off, so no test depends on the time of day it runs.
 */
import { sendsSettled, settledOutbox } from '../support/sender-queue';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduledEvent } from '../../lib/lambda-events';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { startInboundQueue } from '../support/inbound-queue';
import { lambdaContext, type Caller } from '../support/http-events';
import { signedTwilioForm } from '../../lib/local/carrier';

await useFreshTable('compliance');
const outbox = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
process.env.OUTBOX_FILE = outbox;
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const inboundQueue = await startInboundQueue();
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);
const webhook = invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler);
const { handler: scheduledSender } = await import('../../functions/conversations/scheduled-sender.handler');
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const conversations = await import('../../functions/conversations/conversations');
const repository = await import('../../functions/conversations/repository');
const { principalFromClaims } = await import('../../functions/shared/principal');

const NYC_PHONE = '+12125550100';
const BOS_PHONE = '+16175550100';
const ada: Caller = { userId: 'ada-associate', role: 'associate', storeId: 'nyc' };
const bo: Caller = { userId: 'bo-associate', role: 'associate', storeId: 'bos' };
const admin: Caller = { userId: 'root', role: 'clienteling-admin' };
const adaPrincipal = principalFromClaims({
  sub: 'ada-associate',
  'custom:store_id': 'nyc',
  'cognito:groups': ['associate'],
});

/** What reached this phone through the carrier, once every queued send is handed over. */
const outboxTo = async (phone: string) => (await settledOutbox(outbox)).filter((l) => l.to === phone);

let sidCounter = 0;
async function inbound(from: string, body: string, to = NYC_PHONE) {
  const params = {
    MessageSid: `SMc${(++sidCounter).toString().padStart(31, '0')}`,
    AccountSid: 'AC_local',
    From: from,
    To: to,
    Body: body,
    NumMedia: '0',
  };
  const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, params);
  await webhook({
    routeKey: 'POST /webhooks/twilio/sms',
    rawBody: signed.body,
    headers: signed.headers,
  });
  await inboundQueue.drained();
  return params.MessageSid;
}

let phoneCounter = 0;
async function customer() {
  const phone = `+1555100${(++phoneCounter).toString().padStart(4, '0')}`;
  const created = await createCustomer(
    { email: `c${phoneCounter}@compliance.test`, phone, firstName: 'Cleo', lastName: 'Consent' },
    new Date(),
  );
  return { ...created.customer, phone };
}
const open = async (customerId: string, caller: Caller = ada) =>
  (await call({ routeKey: 'POST /conversations', body: { customerId }, caller })).body.conversationId as string;
const send = (conversationId: string, body: unknown, caller: Caller = ada) =>
  call({ routeKey: 'POST /conversations/{conversationId}/messages', pathParameters: { conversationId }, body, caller });
const cancel = (conversationId: string, messageId: string, caller: Caller = ada) =>
  call({
    routeKey: 'DELETE /conversations/{conversationId}/messages/{messageId}',
    pathParameters: { conversationId, messageId },
    caller,
  });
const requestOptIn = (conversationId: string, caller: Caller = ada) =>
  call({ routeKey: 'POST /conversations/{conversationId}/opt-in-request', pathParameters: { conversationId }, caller });
const consent = (customerId: string, caller: Caller, query: Record<string, string> = {}) =>
  customersApi({ routeKey: 'GET /customers/{customerId}/consent', pathParameters: { customerId }, query, caller });
const runSender = (time: Date) => scheduledSender(scheduledEvent('scheduled-sender', time), lambdaContext());

/** An opted-in customer of store `nyc` (quiet hours off unless the test sets them). */
async function optedIn() {
  const c = await customer();
  const conversationId = await open(c.customerId);
  await inbound(c.phone, 'YES');
  return { ...c, conversationId };
}

beforeAll(async () => {
  await putStore(
    'nyc',
    {
      name: 'Fifth Avenue',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: NYC_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
  await putStore(
    'bos',
    {
      name: 'Boston',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: BOS_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
  await putStore(
    'kol',
    { name: 'Kolkata', timezone: 'Asia/Kolkata', country: 'IN', phoneNumber: '+912212345678', currency: 'INR' },
    new Date(),
  );
});

describe('consent ledger', () => {
  it('lists every change at every store oldest first, with source, keyword, MessageSid or user; store users see their store', async () => {
    const c = await customer();
    const nycConversation = await open(c.customerId);
    const bosConversation = await open(c.customerId, bo);
    expect((await requestOptIn(nycConversation)).status).toBe(201);
    await sendsSettled(); // the customer answers the request once it reached them
    const yesSid = await inbound(c.phone, 'YES');
    const stopSid = await inbound(c.phone, 'STOP', BOS_PHONE);
    const startSid = await inbound(c.phone, 'START', BOS_PHONE);

    const all = await consent(c.customerId, admin);
    expect(all.status).toBe(200);
    expect(
      all.body.items.map((e: Record<string, unknown>) => [
        e.storeId,
        e.state,
        e.source,
        e.keyword ?? null,
        e.messageSid ?? null,
        e.userId ?? null,
      ]),
    ).toEqual([
      ['nyc', 'REQUESTED', 'OPT_IN_REQUEST', null, null, 'ada-associate'],
      ['nyc', 'OPTED_IN', 'KEYWORD', 'YES', yesSid, null],
      ['bos', 'OPTED_OUT', 'KEYWORD', 'STOP', stopSid, null],
      ['bos', 'OPTED_IN', 'KEYWORD', 'START', startSid, null],
    ]);
    const times = all.body.items.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);

    const nycView = await consent(c.customerId, ada);
    expect(nycView.body.items.map((e: { storeId: string }) => e.storeId)).toEqual(['nyc', 'nyc']);
    const bosView = await consent(c.customerId, bo);
    expect(bosView.body.items.map((e: { state: string }) => e.state)).toEqual(['OPTED_OUT', 'OPTED_IN']);

    // The conversation's optIn is the latest entry of its store.
    expect((await repository.getConversation(nycConversation))?.optIn).toBe('OPTED_IN');
    expect((await repository.getConversation(bosConversation))?.optIn).toBe('OPTED_IN');
  });

  it('records a carrier 21610 as a CARRIER entry', async () => {
    const c = await customer();
    const conversationId = await open(c.customerId);
    await inbound(c.phone, 'YES');
    const conversation = (await repository.getConversation(conversationId))!;
    await repository.changeOptIn(conversation, { type: 'twilio-21610' }, { source: 'CARRIER', at: new Date() });
    const entries = (await consent(c.customerId, admin)).body.items;
    expect(entries.at(-1)).toMatchObject({ storeId: 'nyc', state: 'OPTED_OUT', source: 'CARRIER' });
    expect((await repository.getConversation(conversationId))?.optIn).toBe('OPTED_OUT');
  });

  it('pages the ledger and refuses a tampered cursor', async () => {
    const c = await customer();
    const conversationId = await open(c.customerId);
    for (const word of ['YES', 'STOP', 'START']) await inbound(c.phone, word);
    const first = await consent(c.customerId, admin, { limit: '2' });
    expect(first.body.items).toHaveLength(2);
    const second = await consent(c.customerId, admin, { limit: '2', cursor: first.body.nextCursor });
    expect(second.body.items.map((e: { keyword: string }) => e.keyword)).toEqual(['START']);
    const forged = Buffer.from(JSON.stringify({ pk: 'CONSENT#someone-else', sk: 'x' })).toString('base64url');
    expect((await consent(c.customerId, admin, { cursor: forged })).status).toBe(400);
    expect((await consent('no-such-customer', admin)).status).toBe(404);
    expect(conversationId).toBeTruthy();
  });

  it('refuses a second opt-in request while the first of the last 24 hours is unanswered, and allows one after', async () => {
    const c = await customer();
    const conversationId = await open(c.customerId);
    const t0 = new Date('2026-01-15T15:00:00Z');
    await conversations.requestOptIn(adaPrincipal, conversationId, t0);
    await expect(
      conversations.requestOptIn(adaPrincipal, conversationId, new Date(t0.getTime() + 23 * 3600_000)),
    ).rejects.toMatchObject({ status: 422, slug: 'opt-in-request-pending' });
    const [a, b] = await Promise.allSettled([
      conversations.requestOptIn(adaPrincipal, conversationId, new Date(t0.getTime() + 25 * 3600_000)),
      conversations.requestOptIn(adaPrincipal, conversationId, new Date(t0.getTime() + 25 * 3600_000)),
    ]);
    expect([a.status, b.status].sort()).toEqual(['fulfilled', 'rejected']);
    expect(await outboxTo(c.phone)).toHaveLength(2);
    const entries = (await consent(c.customerId, admin)).body.items;
    expect(entries.map((e: { state: string; source: string }) => `${e.state}/${e.source}`)).toEqual([
      'REQUESTED/OPT_IN_REQUEST',
      'REQUESTED/OPT_IN_REQUEST',
    ]);
  });

  it('answers the HTTP opt-in request route with 422 while a request is open', async () => {
    const c = await customer();
    const conversationId = await open(c.customerId);
    expect((await requestOptIn(conversationId)).status).toBe(201);
    const again = await requestOptIn(conversationId);
    expect(again.status).toBe(422);
    expect(again.body.type).toMatch(/opt-in-request-pending$/);
    expect(await outboxTo(c.phone)).toHaveLength(1);
  });
});

describe('scheduled messages', () => {
  it('answers 202 scheduled with scheduledFor, shows it in the conversation, and sends it when the sender runs after that time', async () => {
    const c = await optedIn();
    const sendAt = new Date(Date.now() + 3 * 3600_000);
    const res = await send(c.conversationId, { text: 'See you tomorrow', sendAt: sendAt.toISOString() });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'scheduled',
      scheduledFor: sendAt.toISOString(),
      text: 'See you tomorrow',
    });
    const listed = await call({
      routeKey: 'GET /conversations/{conversationId}/messages',
      pathParameters: { conversationId: c.conversationId },
      caller: ada,
    });
    expect(listed.body.items[0]).toMatchObject({
      messageId: res.body.messageId,
      status: 'scheduled',
      scheduledFor: sendAt.toISOString(),
    });

    expect(await runSender(new Date(sendAt.getTime() - 60_000))).toMatchObject({ released: 0 });
    expect(await outboxTo(c.phone)).toHaveLength(0);
    expect(await runSender(new Date(sendAt.getTime() + 1000))).toMatchObject({ released: 1 });
    expect((await outboxTo(c.phone)).map((l) => l.body)).toEqual(['See you tomorrow']);
    const stored = await repository.getMessage(c.conversationId, res.body.messageId);
    expect(stored).toMatchObject({ status: 'queued', twilioSid: expect.stringMatching(/^SMlocal/) });
    // Released once: a later run finds nothing due.
    expect(await runSender(new Date(sendAt.getTime() + 120_000))).toMatchObject({ released: 0, failed: 0, settled: 0 });
    expect(await outboxTo(c.phone)).toHaveLength(1);
  });

  it('refuses a sendAt more than 30 days ahead with 400 naming sendAt', async () => {
    const c = await optedIn();
    const res = await send(c.conversationId, {
      text: 'Far',
      sendAt: new Date(Date.now() + 31 * 24 * 3600_000).toISOString(),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'sendAt' });
  });

  it('cancels a scheduled message (204) so nothing is sent, and answers 409 once it has been sent', async () => {
    const c = await optedIn();
    const sendAt = new Date(Date.now() + 3600_000);
    const first = await send(c.conversationId, { text: 'Cancel me', sendAt: sendAt.toISOString() });
    const second = await send(c.conversationId, { text: 'Keep me', sendAt: sendAt.toISOString() });
    expect((await cancel(c.conversationId, first.body.messageId)).status).toBe(204);
    expect((await cancel(c.conversationId, first.body.messageId)).status).toBe(204);
    expect(await runSender(new Date(sendAt.getTime() + 1000))).toMatchObject({ released: 1 });
    expect((await outboxTo(c.phone)).map((l) => l.body)).toEqual(['Keep me']);
    expect(await repository.getMessage(c.conversationId, first.body.messageId)).toMatchObject({ status: 'canceled' });
    expect((await cancel(c.conversationId, second.body.messageId)).status).toBe(409);
    expect((await cancel(c.conversationId, 'no-such-message')).status).toBe(404);
    expect((await cancel(c.conversationId, second.body.messageId, bo)).status).toBe(404);
  });

  it('checks consent again at release: a customer who opted out meanwhile gets nothing, and the message fails with OPTED_OUT', async () => {
    const c = await optedIn();
    const sendAt = new Date(Date.now() + 3600_000);
    const res = await send(c.conversationId, { text: 'Sale tomorrow', sendAt: sendAt.toISOString() });
    await inbound(c.phone, 'STOP');
    expect(await runSender(new Date(sendAt.getTime() + 1000))).toMatchObject({ released: 0, failed: 1 });
    expect(await outboxTo(c.phone)).toHaveLength(0);
    expect(await repository.getMessage(c.conversationId, res.body.messageId)).toMatchObject({
      status: 'failed',
      errorCode: 'OPTED_OUT',
    });
  });

  it('answers a repeated Idempotency-Key with the scheduled message, scheduling nothing more', async () => {
    const c = await optedIn();
    const body = { text: 'Once', sendAt: new Date(Date.now() + 3600_000).toISOString() };
    const headers = { 'idempotency-key': 'sched-1' };
    const first = await call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId: c.conversationId },
      body,
      headers,
      caller: ada,
    });
    const again = await call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId: c.conversationId },
      body,
      headers,
      caller: ada,
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ messageId: first.body.messageId, status: 'scheduled' });
  });
});

describe('quiet hours', () => {
  // Kolkata keeps the default 21:00-08:00 (store-local).
  const kolkataPrincipal = principalFromClaims({
    sub: 'kol-associate',
    'custom:store_id': 'kol',
    'cognito:groups': ['associate'],
  });

  async function kolkataCustomer() {
    const c = await customer();
    const conversationId = await open(c.customerId, { userId: 'kol-associate', role: 'associate', storeId: 'kol' });
    await inbound(c.phone, 'YES', '+912212345678');
    return { ...c, conversationId };
  }

  /** The first 22:30 IST (17:00 UTC) at least `hours` after `after`. */
  function nightAfter(after: Date, hours: number): Date {
    const from = new Date(after.getTime() + hours * 3600_000);
    const night = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 17, 0));
    return night < from ? new Date(night.getTime() + 24 * 3600_000) : night;
  }

  it('holds a message sent at night until 08:00 store time and releases it then', async () => {
    const c = await kolkataCustomer();
    const wrote = new Date((await repository.getConversation(c.conversationId))!.lastInboundAt!);
    const atNight = nightAfter(wrote, 25); // the customer's YES no longer makes this a reply
    const morning = new Date(atNight.getTime() + 9.5 * 3600_000); // 08:00 IST the next day
    const held = await conversations.sendMessage(kolkataPrincipal, c.conversationId, { text: 'New arrivals' }, atNight);
    expect(held.message).toMatchObject({ status: 'scheduled', scheduledFor: morning.toISOString() });
    await runSender(new Date(morning.getTime() - 60_000));
    expect((await outboxTo(c.phone)).filter((l) => l.body === 'New arrivals')).toHaveLength(0);
    await runSender(morning);
    expect((await outboxTo(c.phone)).filter((l) => l.body === 'New arrivals')).toHaveLength(1);
  });

  it("holds an opt-in request at night, frees the day's request when it is canceled, and moves to REQUESTED when released", async () => {
    const c = await customer();
    const kol: Caller = { userId: 'kol-associate', role: 'associate', storeId: 'kol' };
    const conversationId = await open(c.customerId, kol);
    const atNight = nightAfter(new Date(), 1);
    const morning = new Date(atNight.getTime() + 9.5 * 3600_000);
    const first = await conversations.requestOptIn(kolkataPrincipal, conversationId, atNight);
    expect(first.message).toMatchObject({ status: 'scheduled', scheduledFor: morning.toISOString() });
    await expect(
      conversations.requestOptIn(kolkataPrincipal, conversationId, new Date(atNight.getTime() + 60_000)),
    ).rejects.toMatchObject({ status: 422 });
    expect((await cancel(conversationId, first.message.messageId, kol)).status).toBe(204);
    const second = await conversations.requestOptIn(
      kolkataPrincipal,
      conversationId,
      new Date(atNight.getTime() + 120_000),
    );
    expect(second.message.status).toBe('scheduled');
    expect((await repository.getConversation(conversationId))?.optIn).toBe('NONE');
    await runSender(morning);
    expect(await outboxTo(c.phone)).toHaveLength(1);
    expect((await repository.getConversation(conversationId))?.optIn).toBe('REQUESTED');
    expect((await consent(c.customerId, admin)).body.items).toEqual([
      expect.objectContaining({
        storeId: 'kol',
        state: 'REQUESTED',
        source: 'OPT_IN_REQUEST',
        userId: 'kol-associate',
      }),
    ]);
  });

  it('sends at once a reply within 24 hours of the customer writing, even at night', async () => {
    const c = await kolkataCustomer();
    const conversation = (await repository.getConversation(c.conversationId))!;
    const reply = nightAfter(new Date(conversation.lastInboundAt!), 0);
    const sent = await conversations.sendMessage(kolkataPrincipal, c.conversationId, { text: 'Happy to help' }, reply);
    expect(sent.message.status).toBe('queued');
    expect((await outboxTo(c.phone)).filter((l) => l.body === 'Happy to help')).toHaveLength(1);
  });
});
