/**
 * Texting the store locally (README, "Texting the store locally"): `POST /_local/sms` and
 * `npm run -s sms` sign and post Twilio's inbound webhook as Twilio would, through the stack's
 * own webhook (signature check included), so a YES opts the customer in, a `receivedAt` is the
 * message's receive time, and a WhatsApp address meets today's answer for a number no store has.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/local/defaults';
import { api, baseUrl, drain, outbox, tokenFor } from '../support/e2e';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const storeId = `sms-${randomUUID().slice(0, 8)}`;
const storePhone = `+1347${digits(7)}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'sms-admin' }));
const manager = api(tokenFor({ role: 'manager', storeId, userId: 'sms-manager' }));
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** A customer of this store with a fresh phone, and their (opened, not yet opted-in) conversation. */
async function customerWithConversation(): Promise<{ phone: string; customerId: string; conversationId: string }> {
  const phone = `+1929${digits(7)}`;
  const created = await admin.post('/customers', { email: `sms-${randomUUID()}@example.com`, phone, firstName: 'Ava' });
  expect(created.status).toBe(201);
  const opened = await manager.post('/conversations', { customerId: created.body.customerId });
  expect(opened.status).toBe(201);
  return { phone, customerId: created.body.customerId, conversationId: opened.body.conversationId };
}

const messagesOf = async (conversationId: string): Promise<Array<Record<string, any>>> =>
  (await manager.get(`/conversations/${conversationId}/messages?limit=200`)).body.items;

beforeAll(async () => {
  const store = await admin.put(`/stores/${storeId}`, {
    name: 'Local SMS',
    phoneNumber: storePhone,
    timezone: 'America/New_York',
    country: 'US',
    currency: 'USD',
    helpText: 'Local SMS store: call us.',
    quietHours: null,
  });
  expect(store.status).toBe(201);
});

describe('POST /_local/sms', () => {
  it('opts a customer in with YES: the signed webhook accepts it and the message is in the conversation', async () => {
    const { phone, conversationId } = await customerWithConversation();
    expect((await manager.get(`/conversations/${conversationId}`)).body.optIn).not.toBe('OPTED_IN');
    const sent = await api().post('/_local/sms', { from: phone, to: storePhone, body: 'YES' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      status: 200,
      contentType: 'text/xml',
      body: EMPTY_TWIML,
      url: `${baseUrl()}/webhooks/twilio/sms`,
    });
    expect(sent.body.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
    await drain();
    expect((await manager.get(`/conversations/${conversationId}`)).body.optIn).toBe('OPTED_IN');
    const messages = await messagesOf(conversationId);
    expect(messages).toContainEqual(
      expect.objectContaining({ direction: 'inbound', text: 'YES', twilioSid: sent.body.messageSid }),
    );
  });

  it('records the message at `receivedAt`, the time the webhook was told it arrived', async () => {
    const { phone, conversationId } = await customerWithConversation();
    const receivedAt = new Date(Date.now() - 3 * 3_600_000);
    receivedAt.setMilliseconds(0);
    const sent = await api().post('/_local/sms', {
      from: phone,
      to: storePhone,
      body: 'Is the blue one back?',
      receivedAt: receivedAt.toISOString(),
    });
    expect(sent.status).toBe(200);
    await drain();
    const message = (await messagesOf(conversationId)).find((m) => m.twilioSid === sent.body.messageSid);
    expect(message).toMatchObject({ text: 'Is the blue one back?', createdAt: receivedAt.toISOString() });
  });

  it('answers the webhook refusal as the webhook gave it: a field Twilio must send, missing', async () => {
    const sent = await api().post('/_local/sms', { from: 'not a phone', to: storePhone, body: 'hi' });
    expect(sent.status).toBe(400);
    expect(sent.body.status).toBe(400);
    expect(JSON.parse(sent.body.body).detail).toContain('From');
  });

  it('sends WhatsApp with the whatsapp: prefix; today the webhook answers it as a number no store has', async () => {
    const phone = `+1929${digits(7)}`;
    const sent = await api().post('/_local/sms', {
      from: phone,
      to: storePhone,
      body: 'Hello',
      channel: 'whatsapp',
      buttonPayload: 'confirm',
    });
    expect(sent.status).toBe(200);
    expect(sent.body.body).toBe(EMPTY_TWIML);
    await drain();
    // Nothing was kept: no customer for that phone, so no conversation either.
    const search = await admin.get(`/customers?query=${encodeURIComponent(phone)}`);
    expect(search.status).toBe(200);
    expect(search.body.items).toEqual([]);
  });

  it('refuses a body it cannot post, naming the field', async () => {
    const refused = await api().post('/_local/sms', { from: '+19295550100', body: 'YES' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('to: required');
  });
});

describe('npm run -s sms', () => {
  it('texts HELP from the shell: the webhook accepts it and the store answers with its help text', async () => {
    const { phone } = await customerWithConversation();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bin/sms.ts', '--url', baseUrl(), '--from', phone, '--to', storePhone, '--body', 'HELP'],
      { cwd: REPO_ROOT },
    );
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ status: 200, body: EMPTY_TWIML });
    expect(printed.messageSid).toMatch(/^SM/);
    const sentToCustomer = (await outbox()).filter((m) => m.to === phone);
    expect(sentToCustomer.map((m) => m.body)).toContain('Local SMS store: call us.');
  });
});
