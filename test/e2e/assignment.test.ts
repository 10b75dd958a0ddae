/**
 * Assignment over the local stack (docs/rules.md, "Assignment", "The unassigned queue"): who may
 * assign whom through the HTTP API, the customer's text waiting in the unassigned queue until an
 * associate takes it, and every change reaching the store as a `conversation.assigned` event.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedTwilioForm } from '../../lib/local/carrier';
import { api, baseUrl, drain, eventually, tokenFor } from '../support/e2e';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const storeId = `assign-${randomUUID().slice(0, 8)}`;
const storePhone = `+1917${digits(7)}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'assign-admin' }));
const ana = api(tokenFor({ role: 'associate', storeId, userId: 'ana' }));
const ben = api(tokenFor({ role: 'associate', storeId, userId: 'ben' }));
const max = api(tokenFor({ role: 'manager', storeId, userId: 'max' }));

/** The customer texts the store through the signed webhook; answered once the stack is drained. */
async function customerTexts(from: string, body: string) {
  const form = {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    From: from,
    To: storePhone,
    Body: body,
    NumMedia: '0',
  };
  const signed = signedTwilioForm(`${baseUrl()}/webhooks/twilio/sms`, form, 'local-twilio-token');
  expect(
    (await api().post('/webhooks/twilio/sms', undefined, { rawBody: signed.body, headers: signed.headers })).status,
  ).toBe(200);
  await drain();
}

/** A conversation its customer opened by texting the store. */
async function waitingConversation(): Promise<string> {
  const phone = `+1646${digits(7)}`;
  await customerTexts(phone, 'Do you have the boots in a 9?');
  const page = await max.get('/inbox?scope=store&limit=200');
  const item = page.body.items.find((c: { customer: { phone?: string } }) => c.customer.phone === phone);
  return item.conversationId;
}

const assign = (caller: ReturnType<typeof api>, conversationId: string, userId: string | null) =>
  caller.put(`/conversations/${conversationId}/assignee`, { userId });
const idsOf = (page: { body: { items: { conversationId: string }[] } }) => page.body.items.map((c) => c.conversationId);
const assignedEvents = async () =>
  (
    (await api().get('/_local/events?type=conversation.assigned')).body as Array<{
      detail: { data: Record<string, unknown> };
    }>
  ).map((e) => e.detail.data);

beforeAll(async () => {
  const store = { timezone: 'America/New_York', country: 'US', currency: 'USD', quietHours: null };
  expect(
    (await admin.put(`/stores/${storeId}`, { name: 'Assignment', phoneNumber: storePhone, ...store })).status,
  ).toBe(201);
  // Every store user's request records them as staff.
  for (const user of [ana, ben, max]) expect((await user.get('/inbox')).status).toBe(200);
});

describe('assignment over HTTP', () => {
  it('queues the customer who waits, lets an associate take it, hand it on, and a manager unassign it', async () => {
    const id = await waitingConversation();
    expect(idsOf(await ana.get('/inbox?scope=unassigned'))).toContain(id);

    expect((await assign(ana, id, 'ana')).status).toBe(200);
    expect(idsOf(await ana.get('/inbox?scope=unassigned'))).not.toContain(id);
    expect(idsOf(await ana.get('/inbox?scope=mine'))).toContain(id);

    expect((await assign(ben, id, 'ben')).status).toBe(403);
    expect((await assign(ana, id, 'ben')).status).toBe(200);
    expect(idsOf(await ben.get('/inbox?scope=mine'))).toContain(id);

    expect((await assign(max, id, 'nobody-here')).status).toBe(422);
    expect((await assign(max, id, null)).status).toBe(200);
    // Nobody answered the customer yet: back in the queue.
    expect(idsOf(await max.get('/inbox?scope=unassigned'))).toContain(id);

    const events = await eventually(async () => {
      const mine = (await assignedEvents()).filter((e) => e.conversationId === id);
      return mine.length >= 3 ? mine : undefined;
    });
    expect(events).toEqual([
      { conversationId: id, assignee: 'ana', previous: null },
      { conversationId: id, assignee: 'ben', previous: 'ana' },
      { conversationId: id, assignee: null, previous: 'ben' },
    ]);
  });

  it('refuses what neither role may do, with problem+json', async () => {
    const id = await waitingConversation();
    expect((await assign(ana, id, 'ana')).status).toBe(200);
    const taking = await assign(ben, id, 'ben');
    expect(taking.status).toBe(403);
    expect(taking.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await assign(ben, id, null)).status).toBe(403);
    const stranger = api(tokenFor({ role: 'associate', storeId: `${storeId}-other`, userId: 'oli' }));
    expect((await assign(stranger, id, 'oli')).status).toBe(404);
  });
});
