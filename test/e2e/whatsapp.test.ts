/**
 * WhatsApp as a second channel over the local stack (docs/rules.md, "WhatsApp"): a customer
 * writes through `POST /_local/sms {channel: "whatsapp"}` to the store's sender, joins the same
 * customer and conversation as by SMS, and opens the 24-hour window; consent is per channel (STOP
 * over WhatsApp leaves SMS consent alone); the opt-in request is the approved OPT_IN template,
 * answered by its quick-reply button; free text goes only inside the window (422 `window-closed`
 * outside it), templates go as ContentSid (only APPROVED, no MARKETING to US numbers); the local
 * carrier answers `sent`, `delivered`, `read`, and 63024 for its invalid WhatsApp number.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PENDING_CONTENT_SID } from '../../lib/local/content-api';
import { api, drain, eventually, outbox, runSchedule, tokenFor } from '../support/e2e';
import { connectEvents } from '../support/live-events';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const suffix = randomUUID().slice(0, 8);
const storeId = `wa-${suffix}`;
const storePhone = `+1347${digits(7)}`;
const sender = `+1347${digits(7)}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'wa-admin' }));
const associate = api(tokenFor({ role: 'associate', storeId, userId: 'wa-alice' }));
const templateIds = {
  optIn: `wa-opt-in-${suffix}`,
  utility: `wa-utility-${suffix}`,
  marketing: `wa-marketing-${suffix}`,
  pending: `wa-pending-${suffix}`,
  reconnect: `wa-reconnect-${suffix}`,
  cart: `wa-cart-${suffix}`,
};
const cartSid = `HX${randomBytes(16).toString('hex')}`;
const reconnectSid = `HX${randomBytes(16).toString('hex')}`;
const optInSid = `HX${randomBytes(16).toString('hex')}`;
const utilitySid = `HX${randomBytes(16).toString('hex')}`;

/** A customer texts the store: by SMS to its number, or on WhatsApp to its sender. */
const writes = (channel: 'sms' | 'whatsapp', from: string, body: string, extra: Record<string, unknown> = {}) =>
  api().post('/_local/sms', { channel, from, to: channel === 'whatsapp' ? sender : storePhone, body, ...extra });

const conversationOf = async (conversationId: string) => (await associate.get(`/conversations/${conversationId}`)).body;
const messagesOf = async (conversationId: string): Promise<Array<Record<string, any>>> =>
  (await associate.get(`/conversations/${conversationId}/messages?limit=200`)).body.items;

/** A customer of the store with a fresh phone and their conversation. */
async function customer(phone = `+1929${digits(7)}`) {
  const created = await admin.post('/customers', { email: `wa-${randomUUID()}@example.com`, phone, firstName: 'Ada' });
  expect(created.status).toBe(201);
  const opened = await associate.post('/conversations', { customerId: created.body.customerId });
  expect(opened.status).toBe(201);
  return { phone, customerId: created.body.customerId as string, conversationId: opened.body.conversationId as string };
}

/** A customer who wrote on WhatsApp and answered YES: opted in, the window open. */
async function optedInOnWhatsApp() {
  const c = await customer();
  expect((await writes('whatsapp', c.phone, 'YES')).body.status).toBe(200);
  await drain();
  return c;
}

const send = (conversationId: string, body: Record<string, unknown>) =>
  associate.post(`/conversations/${conversationId}/messages`, body);

beforeAll(async () => {
  const store = await admin.put(`/stores/${storeId}`, {
    name: 'WhatsApp store',
    phoneNumber: storePhone,
    timezone: 'America/New_York',
    country: 'US',
    currency: 'USD',
    quietHours: null,
    whatsapp: { enabled: true, sender },
  });
  expect(store.status).toBe(201);
  expect(store.body.whatsapp).toEqual({ enabled: true, sender });
  const template = (contentSid: string, purpose: string, category = 'UTILITY') => ({
    contentSid,
    name: `WhatsApp ${purpose}`,
    language: 'en',
    category,
    purpose,
    text: 'Hi {{firstName}}, this is the store. Tap YES to chat on WhatsApp.',
    variables: ['firstName'],
  });
  for (const [id, body] of [
    [templateIds.optIn, template(optInSid, 'OPT_IN')],
    [templateIds.utility, template(utilitySid, 'OTHER')],
    [templateIds.marketing, template(`HX${randomBytes(16).toString('hex')}`, 'OTHER', 'MARKETING')],
    [templateIds.pending, template(PENDING_CONTENT_SID, 'OTHER')],
    [templateIds.reconnect, template(reconnectSid, 'RECONNECT')],
  ] as const)
    expect((await admin.put(`/whatsapp/templates/${id}`, body)).status).toBe(201);
  const cartTemplate = {
    ...template(cartSid, 'CART'),
    text: '{{storeName}}: your cart ({{total}}) is ready, {{firstName}}: {{url}}',
    variables: ['storeName', 'total', 'firstName', 'url'],
  };
  for (const [id, body] of [[templateIds.cart, cartTemplate]] as const)
    expect((await admin.put(`/whatsapp/templates/${id}`, body)).status).toBe(201);
});

describe('one conversation, two channels', () => {
  it('joins a WhatsApp message to the customer and conversation of their SMS, with its channel and the window', async () => {
    const c = await customer();
    const receivedAt = new Date(Date.now() - 3_600_000);
    receivedAt.setMilliseconds(0);
    await writes('sms', c.phone, 'Hello by SMS', { receivedAt: new Date(receivedAt.getTime() - 60_000).toISOString() });
    await writes('whatsapp', c.phone, 'Hello on WhatsApp', { receivedAt: receivedAt.toISOString() });
    await drain();
    const messages = await messagesOf(c.conversationId);
    expect(messages.map((m) => [m.text, m.channel]).sort()).toEqual([
      ['Hello by SMS', 'sms'],
      ['Hello on WhatsApp', 'whatsapp'],
    ]);
    const conversation = await conversationOf(c.conversationId);
    expect(conversation.whatsapp).toEqual({
      optIn: 'NONE',
      windowExpiresAt: new Date(receivedAt.getTime() + 24 * 3_600_000).toISOString(),
    });
    expect(conversation.lastMessage.channel).toBe('whatsapp');
  });

  it('keeps consent per channel: YES by SMS is not WhatsApp consent, STOP on WhatsApp leaves SMS opted in', async () => {
    const c = await customer();
    await writes('sms', c.phone, 'YES');
    await drain();
    expect(await conversationOf(c.conversationId)).toMatchObject({ optIn: 'OPTED_IN', whatsapp: { optIn: 'NONE' } });
    await writes('whatsapp', c.phone, 'YES');
    await drain();
    expect(await conversationOf(c.conversationId)).toMatchObject({
      optIn: 'OPTED_IN',
      whatsapp: { optIn: 'OPTED_IN' },
    });
    await writes('whatsapp', c.phone, ' stop ');
    await drain();
    expect(await conversationOf(c.conversationId)).toMatchObject({
      optIn: 'OPTED_IN',
      whatsapp: { optIn: 'OPTED_OUT' },
    });
    const refused = await send(c.conversationId, { channel: 'whatsapp', text: 'Still there?' });
    expect(refused.status).toBe(422);
    expect((await send(c.conversationId, { text: 'By SMS it still goes' })).status).toBe(201);

    const ledger = (await admin.get(`/customers/${c.customerId}/consent`)).body.items;
    expect(ledger.map((e: Record<string, unknown>) => [e.channel, e.state, e.source])).toEqual([
      ['sms', 'OPTED_IN', 'KEYWORD'],
      ['whatsapp', 'OPTED_IN', 'KEYWORD'],
      ['whatsapp', 'OPTED_OUT', 'KEYWORD'],
    ]);
  });

  it('asks for WhatsApp opt-in with the approved OPT_IN template, sent as ContentSid, answered by its button', async () => {
    const c = await customer();
    const requested = await associate.post(`/conversations/${c.conversationId}/opt-in-request`, {
      channel: 'whatsapp',
    });
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({
      channel: 'whatsapp',
      content: { templateId: templateIds.optIn, contentSid: optInSid, variables: { firstName: 'Ada' } },
      text: 'Hi Ada, this is the store. Tap YES to chat on WhatsApp.',
    });
    const sent = (await outbox()).find((m) => m.to === `whatsapp:${c.phone}`);
    expect(sent).toMatchObject({ from: `whatsapp:${sender}`, contentSid: optInSid, body: '' });
    expect((await conversationOf(c.conversationId)).whatsapp.optIn).toBe('REQUESTED');
    const again = await associate.post(`/conversations/${c.conversationId}/opt-in-request`, { channel: 'whatsapp' });
    expect(again.status).toBe(422);

    await writes('whatsapp', c.phone, 'Yes please!', { buttonPayload: 'YES' });
    await drain();
    expect(await conversationOf(c.conversationId)).toMatchObject({ optIn: 'NONE', whatsapp: { optIn: 'OPTED_IN' } });
  });
});

describe('the window is enforced before Twilio', () => {
  it('sends free text inside the window, and the carrier answers sent, delivered and read', async () => {
    const c = await optedInOnWhatsApp();
    const sent = await send(c.conversationId, { channel: 'whatsapp', text: 'Your boots are in.' });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ channel: 'whatsapp', status: 'queued' });
    const read = await eventually(async () => {
      const message = (await messagesOf(c.conversationId)).find((m) => m.messageId === sent.body.messageId);
      return message?.status === 'read' ? message : undefined;
    });
    expect(read.twilioSid).toMatch(/^SM/);
    expect((await outbox()).find((m) => m.sid === read.twilioSid)).toMatchObject({
      to: `whatsapp:${c.phone}`,
      body: 'Your boots are in.',
    });
  });

  it('refuses free text outside the window with 422 window-closed; an approved template goes as ContentSid', async () => {
    const c = await customer();
    await writes('whatsapp', c.phone, 'YES', { receivedAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    await drain();
    expect((await conversationOf(c.conversationId)).whatsapp.optIn).toBe('OPTED_IN');
    const text = await send(c.conversationId, { channel: 'whatsapp', text: 'Are you there?' });
    expect(text.status).toBe(422);
    expect(text.body.type).toMatch(/window-closed$/);

    const template = await send(c.conversationId, { channel: 'whatsapp', contentTemplateId: templateIds.utility });
    expect(template.status).toBe(201);
    const delivered = await eventually(async () => {
      const message = (await messagesOf(c.conversationId)).find((m) => m.messageId === template.body.messageId);
      return message?.status === 'read' ? message : undefined;
    });
    expect((await outbox()).find((m) => m.sid === delivered.twilioSid)).toMatchObject({
      contentSid: utilitySid,
      body: '',
    });
  });

  it('refuses a template not APPROVED, and a MARKETING template to a US number (63049), before Twilio', async () => {
    const c = await optedInOnWhatsApp();
    const pending = await send(c.conversationId, { channel: 'whatsapp', contentTemplateId: templateIds.pending });
    expect(pending.status).toBe(422);
    expect(pending.body.type).toMatch(/template-not-approved$/);
    const marketing = await send(c.conversationId, { channel: 'whatsapp', contentTemplateId: templateIds.marketing });
    expect(marketing.status).toBe(422);
    expect(marketing.body.type).toMatch(/marketing-to-us$/);
    expect((await outbox()).filter((m) => m.to === `whatsapp:${c.phone}`)).toEqual([]);
  });

  it('fails a send to the carrier’s invalid WhatsApp number with 63024, for good', async () => {
    const phone = '+15005550006';
    expect((await writes('whatsapp', phone, 'YES')).body.status).toBe(200);
    await drain();
    const customerId = (await admin.get(`/customers?query=${encodeURIComponent(phone)}`)).body.items[0].customerId;
    const conversationId = (await associate.post('/conversations', { customerId })).body.conversationId;
    const sent = await send(conversationId, { channel: 'whatsapp', text: 'Hello?' });
    expect(sent.status).toBe(201);
    const failed = await eventually(async () => {
      const message = (await messagesOf(conversationId)).find((m) => m.messageId === sent.body.messageId);
      return message?.status === 'failed' ? message : undefined;
    });
    expect(failed.errorCode).toBe('63024');
  });

  it('refuses WhatsApp for a store that has not enabled it', async () => {
    const otherId = `sms-only-${suffix}`;
    const otherPhone = `+1347${digits(7)}`;
    await admin.put(`/stores/${otherId}`, {
      name: 'SMS only',
      phoneNumber: otherPhone,
      timezone: 'America/New_York',
      country: 'US',
      currency: 'USD',
      quietHours: null,
    });
    const phone = `+1929${digits(7)}`;
    // WhatsApp to its number reaches no store: nothing is kept.
    expect(
      (await api().post('/_local/sms', { channel: 'whatsapp', from: phone, to: otherPhone, body: 'YES' })).status,
    ).toBe(200);
    await drain();
    expect((await admin.get(`/customers?query=${encodeURIComponent(phone)}`)).body.items).toEqual([]);
  });
});

describe('reconnectTemplateId: the text waits for the customer', () => {
  /** A customer opted in on WhatsApp whose window closed an hour ago. */
  async function windowClosed() {
    const c = await customer();
    await writes('whatsapp', c.phone, 'YES', { receivedAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    await drain();
    return c;
  }
  const heldText = (conversationId: string, text: string) =>
    send(conversationId, { channel: 'whatsapp', text, reconnectTemplateId: templateIds.reconnect });
  const messageById = async (conversationId: string, messageId: string) =>
    (await messagesOf(conversationId)).find((m) => m.messageId === messageId);

  it('sends the RECONNECT template now, holds the text, and sends it when the customer answers', async () => {
    const c = await windowClosed();
    const held = await heldText(c.conversationId, 'The blue boots are back in your size.');
    expect(held.status).toBe(202);
    expect(held.body).toMatchObject({ status: 'held', channel: 'whatsapp' });
    const before = await outbox();
    expect(before.filter((m) => m.to === `whatsapp:${c.phone}`)).toEqual([
      expect.objectContaining({ contentSid: reconnectSid, body: '' }),
    ]);
    expect((await messageById(c.conversationId, held.body.messageId))?.status).toBe('held');

    await writes('whatsapp', c.phone, 'Hi! What is it?');
    await drain();
    const sent = await eventually(async () => {
      const message = await messageById(c.conversationId, held.body.messageId);
      return message?.status === 'read' ? message : undefined;
    });
    expect((await outbox()).find((m) => m.sid === sent.twilioSid)).toMatchObject({
      to: `whatsapp:${c.phone}`,
      body: 'The blue boots are back in your size.',
    });
  });

  it('answers a retried reconnect send with its Idempotency-Key again, and sends the template once', async () => {
    const c = await windowClosed();
    const key = { headers: { 'idempotency-key': `reconnect-${randomUUID()}` } };
    const body = {
      channel: 'whatsapp',
      text: 'Your alterations are done.',
      reconnectTemplateId: templateIds.reconnect,
    };
    const first = await associate.post(`/conversations/${c.conversationId}/messages`, body, key);
    expect(first.status).toBe(202);
    const retried = await associate.post(`/conversations/${c.conversationId}/messages`, body, key);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ messageId: first.body.messageId, status: 'held' });
    const other = await associate.post(`/conversations/${c.conversationId}/messages`, { ...body, text: 'Else' }, key);
    expect(other.status).toBe(422);
    expect((await outbox()).filter((m) => m.to === `whatsapp:${c.phone}`)).toEqual([
      expect.objectContaining({ contentSid: reconnectSid, body: '' }),
    ]);
    const messages = await messagesOf(c.conversationId);
    expect(messages.filter((m) => m.content?.templateId === templateIds.reconnect)).toHaveLength(1);
    expect(messages.filter((m) => m.text === 'Your alterations are done.')).toHaveLength(1);
  });

  it('fails held text the customer did not answer within 24 h with WINDOW_NOT_REOPENED', async () => {
    const c = await windowClosed();
    const held = await heldText(c.conversationId, 'Are you still interested?');
    expect(held.status).toBe(202);
    const run = await runSchedule('scheduled-sender', new Date(Date.now() + 25 * 3_600_000));
    expect(run.status).toBe(200);
    expect(await messageById(c.conversationId, held.body.messageId)).toMatchObject({
      status: 'failed',
      errorCode: 'WINDOW_NOT_REOPENED',
    });
    // A late answer sends nothing held.
    await writes('whatsapp', c.phone, 'Sorry, I was away');
    await drain();
    expect((await outbox()).filter((m) => m.body === 'Are you still interested?')).toEqual([]);
  });

  it('refuses a reconnectTemplateId that is not a RECONNECT template, and sends at once inside the window', async () => {
    const closed = await windowClosed();
    const wrong = await send(closed.conversationId, {
      channel: 'whatsapp',
      text: 'Hello',
      reconnectTemplateId: templateIds.utility,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.type).toMatch(/not-a-reconnect-template$/);
    const open = await optedInOnWhatsApp();
    const now = await heldText(open.conversationId, 'Inside the window');
    expect(now.status).toBe(201);
    expect(now.body.status).toBe('queued');
  });
});

describe('cart links over WhatsApp', () => {
  /** A customer's open cart of one item, ready to share. */
  async function cartOf(conversationId: string) {
    const item = { name: 'Wool coat', unitPrice: 24_000, quantity: 1, fulfillment: 'IN_STORE' };
    expect((await associate.put(`/conversations/${conversationId}/cart/items/COAT`, item)).status).toBe(200);
  }
  const share = (conversationId: string, body: Record<string, unknown>) =>
    associate.post(`/conversations/${conversationId}/cart/share`, body);

  it('sends the link as free text inside the window, and as the APPROVED CART template outside it', async () => {
    const open = await optedInOnWhatsApp();
    await cartOf(open.conversationId);
    const inside = await share(open.conversationId, { channel: 'whatsapp', remind: false });
    expect(inside.status).toBe(200);
    const text = (await outbox()).find((m) => m.to === `whatsapp:${open.phone}` && m.body.includes(inside.body.url));
    expect(text).toMatchObject({ from: `whatsapp:${sender}` });
    expect(text).not.toHaveProperty('contentSid');

    const closed = await customer();
    await writes('whatsapp', closed.phone, 'YES', { receivedAt: new Date(Date.now() - 25 * 3_600_000).toISOString() });
    await drain();
    await cartOf(closed.conversationId);
    const outside = await share(closed.conversationId, { channel: 'whatsapp' });
    expect(outside.status).toBe(200);
    expect(outside.body.reminderAt).toEqual(expect.any(String));
    const sent = (await outbox()).filter((m) => m.to === `whatsapp:${closed.phone}`);
    expect(sent).toEqual([expect.objectContaining({ contentSid: cartSid, body: '' })]);
    const message = (await messagesOf(closed.conversationId)).find((m) => m.content?.templateId === templateIds.cart);
    expect(message).toMatchObject({
      channel: 'whatsapp',
      text: `WhatsApp store: your cart ($240.00) is ready, Ada: ${outside.body.url}`,
    });
    expect(message!.content.variables).toEqual({
      storeName: 'WhatsApp store',
      total: '$240.00',
      firstName: 'Ada',
      url: outside.body.url,
    });
    // The reminder goes on the channel the cart was shared on: outside the window, the CART template again.
    const due = new Date(Date.parse(outside.body.reminderAt) + 30_000);
    expect((await runSchedule('task-reminders', due)).body.cartReminders).toMatchObject({ sent: 1 });
    await drain();
    expect((await outbox()).filter((m) => m.to === `whatsapp:${closed.phone}`)).toEqual([
      expect.objectContaining({ contentSid: cartSid, body: '' }),
      expect.objectContaining({ contentSid: cartSid, body: '' }),
    ]);
    expect((await outbox()).filter((m) => m.to === closed.phone)).toEqual([]);
  });

  it('refuses a WhatsApp share to a customer not opted in on WhatsApp, and withdraws the link', async () => {
    const c = await customer();
    await writes('sms', c.phone, 'YES');
    await writes('whatsapp', c.phone, 'Hello');
    await drain();
    await cartOf(c.conversationId);
    const refused = await share(c.conversationId, { channel: 'whatsapp' });
    expect(refused.status).toBe(422);
    expect((await associate.get(`/conversations/${c.conversationId}/cart`)).body.sharedUrl).toBeUndefined();
    expect((await share(c.conversationId, {})).status).toBe(200);
  });
});

describe('everything else applies unchanged', () => {
  it('tells the store of WhatsApp opt-in and opt-out as optin.changed with channel whatsapp', async () => {
    const socket = await connectEvents(tokenFor({ role: 'associate', storeId, userId: 'wa-socket' }));
    try {
      const c = await customer();
      await writes('whatsapp', c.phone, 'YES');
      await writes('whatsapp', c.phone, 'STOP');
      const mine = (e: { type: string; data: Record<string, unknown> }) =>
        e.type === 'optin.changed' && e.data.conversationId === c.conversationId;
      await socket.next((e) => mine(e) && e.data.optIn === 'OPTED_OUT');
      expect(socket.events.filter(mine).map((e) => e.data)).toEqual([
        { conversationId: c.conversationId, customerId: c.customerId, optIn: 'OPTED_IN', channel: 'whatsapp' },
        { conversationId: c.conversationId, customerId: c.customerId, optIn: 'OPTED_OUT', channel: 'whatsapp' },
      ]);
    } finally {
      await socket.close();
    }
  });

  it('counts a WhatsApp message as contacted and the WhatsApp answer as replied in the reports', async () => {
    const phone = `+1929${digits(7)}`;
    const email = `wa-report-${randomUUID()}@example.com`;
    const { customerId } = (await admin.post('/customers', { email, phone, firstName: 'Ada' })).body;
    const created = await admin.post('/campaigns', { name: `WhatsApp ${suffix}` });
    const { campaignId, upload } = created.body;
    const csv = `customer email,store id\n${email},${storeId}\n`;
    expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: csv })).status).toBe(200);
    await drain();
    expect((await admin.post(`/campaigns/${campaignId}/enable`)).status).toBe(200);
    const { conversationId } = (await associate.post('/conversations', { customerId })).body;
    await writes('whatsapp', phone, 'YES');
    await drain();
    expect((await send(conversationId, { channel: 'whatsapp', text: 'The coat is in.' })).status).toBe(201);
    await drain();
    await writes('whatsapp', phone, 'Lovely, I will come by');
    await drain();
    const report = await eventually(async () => {
      const answer = (await admin.get(`/campaigns/${campaignId}/report`)).body;
      return answer.totals?.replied === 1 ? answer : undefined;
    });
    expect(report.totals).toMatchObject({ customers: 1, contacted: 1, replied: 1 });
  });
});
