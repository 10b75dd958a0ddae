/**
 * A conversation over the local stack, as the store and the customer live it: an outreach list
 * from a campaign CSV, the associate opens the conversation from it (contacted), asks for opt-in,
 * the customer answers YES (a webhook signed exactly as Twilio signs, with the default local
 * token), texts, a template and an image go out, an MMS comes in, status callbacks move the
 * delivery status, STOP refuses further sends, and another store's associate sees a 404.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, baseUrl, drain, eventually, outbox, tokenFor } from '../support/e2e';
import { signedTwilioForm } from '../../lib/local/carrier';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'conv-admin' }));
const storeId = `conv-${randomUUID().slice(0, 8)}`;
const otherStoreId = `conv-other-${randomUUID().slice(0, 8)}`;
const storePhone = `+1917${digits(7)}`;
const customerPhone = `+1646${digits(7)}`;
const email = `conv-${randomUUID()}@example.com`;
const associate = api(tokenFor({ role: 'associate', storeId, userId: 'conv-associate' }));
const stranger = api(tokenFor({ role: 'associate', storeId: otherStoreId, userId: 'conv-stranger' }));

/** Posts a Twilio webhook signed exactly as Twilio signs it. */
function twilioPost(
  path: '/webhooks/twilio/sms' | '/webhooks/twilio/status',
  form: Record<string, string>,
  token = 'local-twilio-token',
) {
  const signed = signedTwilioForm(`${baseUrl()}${path}`, form, token);
  return api().post(path, undefined, {
    rawBody: signed.body,
    headers: signed.headers,
  });
}
/** The customer texts the store; answered once the inbound worker has applied it (the stack drained). */
async function customerTexts(body: string, extra: Record<string, string> = {}) {
  const answer = await twilioPost('/webhooks/twilio/sms', {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    AccountSid: 'AC_local',
    From: customerPhone,
    To: storePhone,
    Body: body,
    NumMedia: '0',
    ...extra,
  });
  await drain();
  return answer;
}

let mediaServer: Server;
const picture = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9]);
let customerId: string;
let campaignId: string;
let conversationId: string;

beforeAll(async () => {
  mediaServer = createServer((_req, res) => {
    res.setHeader('content-type', 'image/png');
    res.end(picture);
  });
  await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
  const store = { timezone: 'America/New_York', country: 'US', currency: 'USD', quietHours: null };
  expect(
    (await admin.put(`/stores/${storeId}`, { name: 'Hudson Yards', phoneNumber: storePhone, ...store })).status,
  ).toBe(201);
  expect(
    (await admin.put(`/stores/${otherStoreId}`, { name: 'Elsewhere', phoneNumber: `+1917${digits(7)}`, ...store }))
      .status,
  ).toBe(201);
  const customer = await admin.post('/customers', {
    email,
    phone: customerPhone,
    firstName: 'Nora',
    lastName: 'Quinn',
  });
  expect(customer.status).toBe(201);
  customerId = customer.body.customerId;
});
afterAll(() => new Promise((resolve) => mediaServer.close(resolve)));

describe('a conversation over SMS and MMS', () => {
  it('opens from an outreach list and marks the customer contacted there', async () => {
    const campaign = await admin.post('/campaigns', { name: `Conversations e2e ${storeId}` });
    expect(campaign.status).toBe(201);
    campaignId = campaign.body.campaignId;
    const put = await fetch(campaign.body.upload.url, {
      method: 'PUT',
      headers: campaign.body.upload.headers,
      body: `customer email,store id\n${email},${storeId}\n`,
    });
    expect(put.ok).toBe(true);
    await drain();
    await eventually(async () =>
      (await admin.get(`/campaigns/${campaignId}`)).body.status === 'SUCCESSFUL' ? true : undefined,
    );
    expect((await admin.post(`/campaigns/${campaignId}/enable`)).status).toBe(200);
    const list = await associate.get(`/stores/${storeId}/outreach-lists/${campaignId}`);
    expect(list.body.items).toEqual([expect.objectContaining({ customerId, contacted: false })]);

    const opened = await associate.post('/conversations', { customerId });

    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({
      storeId,
      customerId,
      customer: { firstName: 'Nora', lastName: 'Quinn', phone: customerPhone },
      optIn: 'NONE',
      archived: false,
      unread: 0,
    });
    conversationId = opened.body.conversationId;
    expect((await associate.get(`/stores/${storeId}/outreach-lists/${campaignId}`)).body.items[0].contacted).toBe(true);
    const lists = await associate.get(`/stores/${storeId}/outreach-lists`);
    expect(lists.body.items ?? lists.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ campaignId, contacted: 1 })]),
    );
    expect(
      (await associate.get('/inbox?scope=mine')).body.items.map((c: { conversationId: string }) => c.conversationId),
    ).toContain(conversationId);
    expect((await associate.post('/conversations', { customerId })).status).toBe(200);
  });

  /** The SID Twilio gave a sent message: the send answers `queued`; the sender keeps the SID once Twilio took it. */
  const sidOf = async (sent: { body: { messageId: string } }): Promise<string> => {
    await drain();
    const items = (await associate.get(`/conversations/${conversationId}/messages?limit=200`)).body.items;
    return items.find((m: { messageId: string }) => m.messageId === sent.body.messageId).twilioSid;
  };

  it('refuses a text before opt-in, sends the opt-in request, and opts in on YES', async () => {
    const early = await associate.post(`/conversations/${conversationId}/messages`, { text: 'Hello!' });
    const request = await associate.post(`/conversations/${conversationId}/opt-in-request`);
    const yes = await customerTexts('Yes');

    expect(early.status).toBe(422);
    expect(request.status).toBe(201);
    const requestSid = await sidOf(request);
    expect((await outbox()).find((m) => m.sid === requestSid)).toMatchObject({
      to: customerPhone,
      from: storePhone,
      body: expect.stringMatching(/Hudson Yards.*YES.*STOP/),
    });
    expect(yes.status).toBe(200);
    expect(yes.headers['content-type']).toMatch(/text\/xml/);
    expect((await associate.get(`/conversations/${conversationId}`)).body).toMatchObject({
      optIn: 'OPTED_IN',
      unread: 1,
    });
    const inbox = await associate.get('/inbox?scope=store');
    expect(inbox.body.unreadTotal).toBeGreaterThanOrEqual(1);
    expect((await associate.post(`/conversations/${conversationId}/read`)).body.unread).toBe(0);
  });

  it('sends a text, a template and an image, and status callbacks move the delivery status forward', async () => {
    const text = await associate.post(`/conversations/${conversationId}/messages`, { text: 'Your coat is in, Nora.' });
    const templates = await associate.get('/templates');
    const template = await associate.post(`/conversations/${conversationId}/messages`, {
      templateId: 'new-arrivals',
      variables: { firstName: 'Nora', link: 'https://shop.example.com/new' },
    });
    const upload = await associate.post('/media/uploads', { contentType: 'image/png' });
    const put = await fetch(upload.body.upload.url, {
      method: 'PUT',
      headers: upload.body.upload.headers,
      body: picture,
    });
    const image = await associate.post(`/conversations/${conversationId}/messages`, {
      mediaKey: upload.body.mediaKey,
      text: 'This one',
    });

    expect(text.status).toBe(201);
    expect(templates.body.items.length).toBeGreaterThan(0);
    expect(template.body.text).toBe(
      'Hi Nora, new arrivals just landed that made me think of you: https://shop.example.com/new',
    );
    expect(put.ok).toBe(true);
    expect(image.status).toBe(201);
    const imageSid = await sidOf(image);
    const sentImage = (await outbox()).find((m) => m.sid === imageSid)!;
    expect(sentImage.mediaUrls).toHaveLength(1);
    expect(Buffer.from(await (await fetch(sentImage.mediaUrls![0]!)).arrayBuffer())).toEqual(picture);
    expect(sentImage.statusCallback).toBe(
      `${baseUrl()}/webhooks/twilio/status?conversationId=${conversationId}&messageId=${image.body.messageId}`,
    );

    expect(
      (await twilioPost('/webhooks/twilio/status', { MessageSid: await sidOf(text), MessageStatus: 'sent' })).status,
    ).toBe(204);
    await twilioPost('/webhooks/twilio/status', { MessageSid: await sidOf(text), MessageStatus: 'delivered' });
    await twilioPost('/webhooks/twilio/status', { MessageSid: await sidOf(text), MessageStatus: 'sent' });
    await twilioPost('/webhooks/twilio/status', {
      MessageSid: await sidOf(template),
      MessageStatus: 'failed',
      ErrorCode: '30006',
    });
    expect(
      (
        await twilioPost(
          '/webhooks/twilio/status',
          { MessageSid: await sidOf(text), MessageStatus: 'sent' },
          'wrong-token',
        )
      ).status,
    ).toBe(403);

    const messages = (await associate.get(`/conversations/${conversationId}/messages`)).body.items;
    expect(messages.find((m: { messageId: string }) => m.messageId === text.body.messageId)).toMatchObject({
      status: 'delivered',
      sentBy: 'conv-associate',
    });
    expect(messages.find((m: { messageId: string }) => m.messageId === template.body.messageId)).toMatchObject({
      status: 'failed',
      errorCode: '30006',
    });
    expect(messages[0].messageId).toBe(image.body.messageId);
  });

  it('stores an inbound MMS with its image copied into the images bucket', async () => {
    const mediaUrl = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/Media/ME${digits(8)}`;

    const mms = await customerTexts('What about this?', {
      NumMedia: '1',
      MediaUrl0: mediaUrl,
      MediaContentType0: 'image/png',
    });

    expect(mms.status).toBe(200);
    const [latest] = (await associate.get(`/conversations/${conversationId}/messages?limit=1`)).body.items;
    expect(latest).toMatchObject({
      direction: 'inbound',
      text: 'What about this?',
      media: [expect.objectContaining({ contentType: 'image/png' })],
    });
    expect(latest.media[0].url).not.toContain(mediaUrl);
    expect(Buffer.from(await (await fetch(latest.media[0].url)).arrayBuffer())).toEqual(picture);
  });

  it('records STOP without replying, then refuses every send with 422 saying why', async () => {
    const sentBefore = (await outbox()).length;

    const stop = await customerTexts('  STOP ');
    const refused = await associate.post(`/conversations/${conversationId}/messages`, { text: 'Sorry to see you go' });
    const refusedRequest = await associate.post(`/conversations/${conversationId}/opt-in-request`);

    expect(stop.status).toBe(200);
    expect(stop.text).not.toContain('<Message>');
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/opted out/);
    expect(refusedRequest.status).toBe(422);
    expect((await outbox()).length).toBe(sentBefore);
    expect((await associate.get(`/conversations/${conversationId}`)).body.optIn).toBe('OPTED_OUT');
  });

  it("answers 404 to another store's associate", async () => {
    expect((await stranger.get(`/conversations/${conversationId}`)).status).toBe(404);
    expect((await stranger.get(`/conversations/${conversationId}/messages`)).status).toBe(404);
    expect((await stranger.post(`/conversations/${conversationId}/messages`, { text: 'hi' })).status).toBe(404);
    expect((await stranger.get('/inbox?scope=store')).body.items).toEqual([]);
  });
});
