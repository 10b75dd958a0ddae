/**
 * Compliance over the local stack: a scheduled message released by firing `scheduled-sender`,
 * quiet hours set by the store, the consent ledger, and an erasure carried out in the
 * background within seconds.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, baseUrl, drain, eventually, outbox, runSchedule, tokenFor } from '../support/e2e';
import { signedTwilioForm } from '../../lib/local/carrier';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const storeId = `cmp-${randomUUID().slice(0, 8)}`;
const storePhone = `+1718${digits(7)}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'cmp-admin' }));
const associate = api(tokenFor({ role: 'associate', storeId, userId: 'cmp-associate' }));
const store = {
  name: 'Compliance',
  phoneNumber: storePhone,
  timezone: 'America/New_York',
  country: 'US',
  currency: 'USD',
};

function inbound(from: string, body: string) {
  const form = {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    AccountSid: 'AC_local',
    From: from,
    To: storePhone,
    Body: body,
    NumMedia: '0',
  };
  const signed = signedTwilioForm(`${baseUrl()}/webhooks/twilio/sms`, form);
  return api().post('/webhooks/twilio/sms', undefined, {
    rawBody: signed.body,
    headers: signed.headers,
  });
}

async function optedIn() {
  const phone = `+1646${digits(7)}`;
  const customer = await admin.post('/customers', {
    email: `cmp-${randomUUID()}@example.com`,
    phone,
    firstName: 'Rosalind',
  });
  const conversation = await associate.post('/conversations', { customerId: customer.body.customerId });
  await inbound(phone, 'YES');
  await drain();
  return {
    phone,
    customerId: customer.body.customerId as string,
    conversationId: conversation.body.conversationId as string,
  };
}

beforeAll(async () => {
  expect((await admin.put(`/stores/${storeId}`, { ...store, quietHours: null })).status).toBe(201);
});

describe('compliance over the local stack', () => {
  it('lists scheduled-sender with the schedules, and releases a scheduled message when it is fired after its time', async () => {
    const schedules = (await api().get('/_local/schedules')).body as Array<{ name: string; expression: string }>;
    expect(schedules).toEqual(
      expect.arrayContaining([{ name: 'scheduled-sender', expression: 'rate(1 minute)', timezone: 'UTC' }]),
    );
    const c = await optedIn();
    const sendAt = new Date(Date.now() + 2 * 3600_000);
    const scheduled = await associate.post(`/conversations/${c.conversationId}/messages`, {
      text: 'Your fitting is tomorrow',
      sendAt: sendAt.toISOString(),
    });
    expect(scheduled.status).toBe(202);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', scheduledFor: sendAt.toISOString() });
    expect((await outbox()).filter((m) => m.to === c.phone && m.body === 'Your fitting is tomorrow')).toHaveLength(0);
    expect((await runSchedule('scheduled-sender', new Date(sendAt.getTime() + 1000))).status).toBe(200);
    expect((await outbox()).filter((m) => m.to === c.phone && m.body === 'Your fitting is tomorrow')).toHaveLength(1);
    expect(
      (await associate.delete(`/conversations/${c.conversationId}/messages/${scheduled.body.messageId}`)).status,
    ).toBe(409);
  });

  it('shows the consent ledger to an admin and to the store', async () => {
    const c = await optedIn();
    const ledger = await admin.get(`/customers/${c.customerId}/consent`);
    expect(ledger.body.items).toEqual([
      expect.objectContaining({ storeId, state: 'OPTED_IN', source: 'KEYWORD', keyword: 'YES' }),
    ]);
    expect((await associate.get(`/customers/${c.customerId}/consent`)).body.items).toHaveLength(1);
  });

  it('erases a customer within seconds: 202 ERASING, then 404', async () => {
    const c = await optedIn();
    const erase = await admin.delete(`/customers/${c.customerId}`);
    expect(erase.status).toBe(202);
    expect(erase.body).toEqual({ customerId: c.customerId, status: 'ERASING' });
    await eventually(
      async () => ((await admin.delete(`/customers/${c.customerId}`)).status === 404 ? true : undefined),
      15_000,
    );
    expect((await admin.get(`/customers/${c.customerId}`)).status).toBe(404);
    expect((await associate.get(`/conversations/${c.conversationId}`)).status).toBe(404);
  });
});
