/**
 * Live events over the local stack with a real WebSocket client: an inbound SMS, a failed
 * delivery, a payment, an opt-out and a campaign import each reach the store's sockets (and the
 * admins' for the campaign) within 2 s, in commit order per conversation, never another store's
 * sockets, and each is on the bus (`GET /_local/events`). A bad token is refused at the upgrade.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, baseUrl, drain, dropFile, eventually, tokenFor } from '../support/e2e';
import {
  connectEvents,
  type EventClient,
  type ReceivedEvent,
  upgradeStatus,
  webSocketUrl,
} from '../support/live-events';
import { signedTwilioForm } from '../../lib/local/carrier';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const run = randomUUID().slice(0, 8);
const stores = [
  { storeId: `live-a-${run}`, phone: `+1917${digits(7)}` },
  { storeId: `live-b-${run}`, phone: `+1917${digits(7)}` },
];
const [storeA, storeB] = stores as [(typeof stores)[0], (typeof stores)[0]];
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'live-admin' }));
const associate = api(tokenFor({ role: 'associate', storeId: storeA.storeId, userId: 'live-associate' }));
/** Events must arrive this soon after the change that made them. */
const WITHIN_MS = 2_000;

let socketA: EventClient;
let socketA2: EventClient;
let socketB: EventClient;
let adminSocket: EventClient;

function twilioPost(path: '/webhooks/twilio/sms', form: Record<string, string>) {
  const signed = signedTwilioForm(`${baseUrl()}${path}`, form);
  return api().post(path, undefined, {
    rawBody: signed.body,
    headers: signed.headers,
  });
}
const sms = (from: string, body: string) =>
  twilioPost('/webhooks/twilio/sms', {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    AccountSid: 'AC_local',
    From: from,
    To: storeA.phone,
    Body: body,
    NumMedia: '0',
  });

/** A customer with this phone: created, or the one another test file already created with it (phones are unique). */
async function customerWithPhone(phone: string): Promise<string> {
  const created = await admin.post('/customers', {
    email: `live-${randomUUID()}@example.com`,
    phone,
    firstName: 'Ada',
  });
  if (created.status === 201) return created.body.customerId;
  const found = await admin.get(`/customers?query=${encodeURIComponent(phone)}`);
  return found.body.items.find((c: { phone: string }) => c.phone === phone).customerId;
}

/** A conversation of store A with a customer who texted YES: its events are message.received and optin.changed. */
async function optedIn(phone: string): Promise<{ conversationId: string; customerId: string }> {
  const customerId = await customerWithPhone(phone);
  const opened = await associate.post('/conversations', { customerId });
  expect(opened.status).toBe(201);
  expect((await sms(phone, 'YES')).status).toBe(200);
  await drain();
  return { conversationId: opened.body.conversationId, customerId };
}

const of = (conversationId: string, type?: string) => (e: ReceivedEvent) =>
  e.data.conversationId === conversationId && (type === undefined || e.type === type);

beforeAll(async () => {
  for (const store of stores) {
    const saved = await admin.put(`/stores/${store.storeId}`, {
      name: 'Live',
      phoneNumber: store.phone,
      timezone: 'America/New_York',
      country: 'US',
      currency: 'USD',
      helpText: 'Call us.',
    });
    expect(saved.status).toBe(201);
  }
  socketA = await connectEvents(tokenFor({ role: 'associate', storeId: storeA.storeId, userId: 'live-a1' }));
  socketA2 = await connectEvents(tokenFor({ role: 'manager', storeId: storeA.storeId, userId: 'live-a2' }));
  socketB = await connectEvents(tokenFor({ role: 'associate', storeId: storeB.storeId, userId: 'live-b1' }));
  adminSocket = await connectEvents(tokenFor({ role: 'clienteling-admin', userId: 'live-admin-socket' }));
});

afterAll(async () => {
  await Promise.all([socketA, socketA2, socketB, adminSocket].map((s) => s?.close()));
});

describe('the upgrade', () => {
  it('refuses a missing, malformed, forged or expired token with 401', async () => {
    const expired = tokenFor({ role: 'associate', storeId: storeA.storeId, userId: 'late', ttlSeconds: -60 });
    const forged = `${tokenFor({ role: 'associate', storeId: storeA.storeId, userId: 'x' }).slice(0, -4)}AAAA`;
    for (const url of [webSocketUrl(), webSocketUrl('not-a-jwt'), webSocketUrl(forged), webSocketUrl(expired)])
      expect(await upgradeStatus(url)).toBe(401);
    expect(
      await upgradeStatus(webSocketUrl(tokenFor({ role: 'associate', storeId: storeA.storeId, userId: 'ok' }))),
    ).toBe(101);
  });
});

describe('events of a store', () => {
  it('tells the store of inbound messages and the opt-in, in order, within 2 s, and every user of the store', async () => {
    const phone = `+1646${digits(7)}`;
    const { conversationId, customerId } = await optedIn(phone);
    const texts = ['one', 'two', 'three', 'four'];
    for (const [i, text] of texts.entries()) {
      const sent = performance.now();
      const sentAt = Date.now();
      expect((await sms(phone, text)).status).toBe(200);
      // The (i + 2)-th: YES came first.
      const event = await socketA.nth(i + 2, of(conversationId, 'message.received'), WITHIN_MS + 3_000);
      expect(event.receivedAt - sent).toBeLessThan(WITHIN_MS);
      // `time` is the commit to the millisecond: after the webhook was called, before the event arrived.
      const eventAt = Date.parse(event.time);
      expect(event.time).toMatch(/\.\d{3}Z$/);
      expect(eventAt).toBeGreaterThanOrEqual(sentAt);
      expect(eventAt).toBeLessThanOrEqual(Date.now());
    }

    const received = socketA.events.filter(of(conversationId, 'message.received'));
    expect(received).toHaveLength(texts.length + 1); // YES, then the four
    for (const e of received)
      expect(e).toMatchObject({
        storeId: storeA.storeId,
        data: { conversationId, customerId, messageId: expect.any(String) },
      });
    // Commit order is the conversation's order: message ids (time-sorted) come in ascending order.
    const ids = received.map((e) => e.data.messageId as string);
    expect(ids).toEqual([...ids].sort());
    const messages = (await associate.get(`/conversations/${conversationId}/messages?limit=50`)).body.items as Array<{
      messageId: string;
      direction: string;
    }>;
    expect(new Set(ids)).toEqual(new Set(messages.filter((m) => m.direction === 'inbound').map((m) => m.messageId)));

    await socketA.next(of(conversationId, 'optin.changed'));
    expect(socketA.events.filter(of(conversationId, 'optin.changed')).map((e) => e.data)).toEqual([
      { conversationId, customerId, optIn: 'OPTED_IN', channel: 'sms' },
    ]);
    // The other user of the store gets the same events, with the same ids.
    await socketA2.next((e) => e.id === received.at(-1)!.id);
    expect(socketA2.events.filter(of(conversationId)).map((e) => e.id)).toEqual(
      socketA.events.filter(of(conversationId)).map((e) => e.id),
    );
  });

  it('tells the store of a failed delivery, ending in undelivered with 30003', async () => {
    const { conversationId } = await optedIn('+15005550030');
    const sent = await associate.post(`/conversations/${conversationId}/messages`, { text: 'Your order' });
    expect(sent.status).toBe(201);

    const undelivered = await socketA.next(
      (e) => of(conversationId, 'message.status')(e) && e.data.status === 'undelivered',
    );
    expect(undelivered.data).toEqual({
      conversationId,
      messageId: sent.body.messageId,
      status: 'undelivered',
      errorCode: '30003',
    });
    const statuses = socketA.events
      .filter((e) => of(conversationId, 'message.status')(e) && e.data.messageId === sent.body.messageId)
      .map((e) => e.data.status);
    // Only moves forward: the carrier's answers in the order they were committed, ending in undelivered.
    expect(statuses.at(-1)).toBe('undelivered');
    expect(statuses.indexOf('undelivered')).toBe(statuses.length - 1);
  });

  it('tells the store of an opt-out by STOP', async () => {
    const phone = `+1646${digits(7)}`;
    const { conversationId, customerId } = await optedIn(phone);
    expect((await sms(phone, 'STOP')).status).toBe(200);

    const out = await socketA.next((e) => of(conversationId, 'optin.changed')(e) && e.data.optIn === 'OPTED_OUT');
    expect(out).toMatchObject({ storeId: storeA.storeId, data: { conversationId, customerId, optIn: 'OPTED_OUT' } });
    // The STOP message and the opt-out it causes are one commit: both are told, after the earlier opt-in.
    await socketA.next((e) => of(conversationId, 'message.received')(e) && e.receivedAt >= out.receivedAt - WITHIN_MS);
    const kinds = socketA.events.filter(of(conversationId)).map((e) => `${e.type}:${e.data.optIn ?? ''}`);
    expect(kinds.indexOf('optin.changed:OPTED_IN')).toBeLessThan(kinds.indexOf('optin.changed:OPTED_OUT'));
  });

  it('tells the store of a completed payment, with its amount and currency', async () => {
    const { conversationId } = await optedIn(`+1646${digits(7)}`);
    const cartPath = `/conversations/${conversationId}/cart`;
    expect(
      (
        await associate.put(`${cartPath}/items/SCARF`, {
          name: 'Silk scarf',
          unitPrice: 8_900,
          quantity: 1,
          fulfillment: 'IN_STORE',
        })
      ).status,
    ).toBe(200);
    const share = await associate.post(`${cartPath}/share`);
    expect(share.status).toBe(200);
    const token = String(share.body.url).split('/c/')[1]!;

    const paid = await api().post(`/_local/pay/${token}`, undefined, {
      rawBody: 'amount=8900&currency=USD',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(paid.status).toBe(200);

    const event = await socketA.next(of(conversationId, 'payment.completed'));
    expect(event.data).toEqual({
      conversationId,
      paymentId: expect.stringMatching(/^local-/),
      amount: 8_900,
      currency: 'USD',
    });
    expect(socketA.events.filter(of(conversationId, 'payment.completed'))).toHaveLength(1);
  });
});

describe('events of no store', () => {
  it('tells admins when a campaign import finishes, and no store user', async () => {
    const name = `live-${run}`;
    dropFile(`${name}.csv`, `customer email,store id\r\nnobody-${run}@example.com,${storeA.storeId}\r\n`);
    // The folder watcher picks the file up on its own schedule: wait for the campaign to finish.
    const campaign = await eventually(
      async () => {
        const found = (await admin.get('/campaigns?limit=200')).body.items.find(
          (c: { name: string }) => c.name === name,
        );
        return found && found.status !== 'PROCESSING' ? found : undefined;
      },
      30_000,
      50,
    );
    expect(campaign).toMatchObject({ status: 'FAILED' });
    const finished = await adminSocket.next(
      (e) => e.type === 'campaign.finished' && e.data.campaignId === campaign.campaignId,
      WITHIN_MS,
    );
    expect(finished).toMatchObject({ storeId: null, data: { campaignId: campaign.campaignId, status: 'FAILED' } });
    expect([...socketA.events, ...socketB.events].some((e) => e.type === 'campaign.finished')).toBe(false);
  });

  it('tells admins when a customer has been erased, and no store user', async () => {
    const created = await admin.post('/customers', { email: `erase-${run}@example.com`, firstName: 'Gone' });
    expect(created.status).toBe(201);

    expect((await admin.delete(`/customers/${created.body.customerId}`)).status).toBe(202);
    await drain();

    const erased = await adminSocket.next(
      (e) => e.type === 'customer.erased' && e.data.customerId === created.body.customerId,
      10_000,
    );
    expect(erased).toMatchObject({ storeId: null, data: { customerId: created.body.customerId } });
    expect([...socketA.events, ...socketB.events].some((e) => e.type === 'customer.erased')).toBe(false);
  });
});

describe('isolation and the bus', () => {
  it("never sends store A's events to store B's socket", async () => {
    await drain();
    expect(socketA.events.length).toBeGreaterThan(5);
    expect(socketB.events).toEqual([]);
    expect(socketA.events.every((e) => e.storeId === storeA.storeId)).toBe(true);
  });

  it('puts every event on the bus as clienteling/<type>, the same id, in order', async () => {
    const bus = (await api().get('/_local/events')).body as Array<{
      id: string;
      source: string;
      'detail-type': string;
      detail: ReceivedEvent;
    }>;
    const mine = bus.filter((e) => e.detail.storeId === storeA.storeId);
    for (const e of mine) {
      expect(e.source).toBe('clienteling');
      expect(e['detail-type']).toBe(e.detail.type);
    }
    // Everything the socket got is on the bus, in the same order.
    const socketIds = socketA.events.map((e) => e.id);
    expect(mine.map((e) => e.detail.id).filter((id) => socketIds.includes(id))).toEqual(socketIds);
    const payments = (await api().get('/_local/events?type=payment.completed')).body as Array<{
      'detail-type': string;
    }>;
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((e) => e['detail-type'] === 'payment.completed')).toBe(true);
  });
});
