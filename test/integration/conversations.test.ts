/** Conversations through their handlers against DynamoDB Local and s3rver; Twilio is the local outbox. */
import { settledOutbox } from '../support/sender-queue';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { startInboundQueue } from '../support/inbound-queue';
import type { Caller } from '../support/http-events';
import { signedTwilioForm } from '../../lib/local/carrier';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

await useFreshTable('conversations');
const outbox = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
process.env.OUTBOX_FILE = outbox;
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const inboundQueue = await startInboundQueue();
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const webhooks = {
  '/webhooks/twilio/sms': invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler),
  '/webhooks/twilio/status': invoker((await import('../../functions/conversations/twilio-status.handler')).handler),
};
const { putStore, createCustomer, findCustomerByPhone } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');

const NYC_PHONE = '+12125550100';
const LDN_PHONE = '+442071234567';
const ada: Caller = { userId: 'ada-associate', role: 'associate', storeId: 'nyc' };
const bea: Caller = { userId: 'bea-manager', role: 'manager', storeId: 'nyc' };
const londoner: Caller = { userId: 'ldn-associate', role: 'associate', storeId: 'ldn' };

/** What reached the carrier, once every queued send is handed over. */
const outboxLines = () => settledOutbox(outbox);

let sidCounter = 0;
const newSid = () => `SMin${(++sidCounter).toString().padStart(30, '0')}`;

/** A webhook request signed exactly as Twilio signs it, with the default local token. */
/** Inbound messages are applied by the worker behind the queue: the answer comes back once it has. */
async function signedWebhook(
  path: '/webhooks/twilio/sms' | '/webhooks/twilio/status',
  params: Record<string, string>,
  token = 'local-twilio-token',
) {
  const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}${path}`, params, token);
  const answer = await webhooks[path]({
    routeKey: `POST ${path}`,
    rawBody: signed.body,
    headers: signed.headers,
  });
  await inboundQueue.drained();
  return answer;
}
const inbound = (from: string, body: string, extra: Record<string, string> = {}, to = NYC_PHONE) =>
  signedWebhook('/webhooks/twilio/sms', {
    MessageSid: newSid(),
    AccountSid: 'AC_local',
    From: from,
    To: to,
    Body: body,
    NumMedia: '0',
    ...extra,
  });

async function customer(email: string, phone: string, firstName = 'Cleo') {
  return (await createCustomer({ email, phone, firstName, lastName: 'Customer' }, new Date())).customer;
}
const open = (customerId: string, caller: Caller = ada) =>
  call({ routeKey: 'POST /conversations', body: { customerId }, caller });
const send = (conversationId: string, body: unknown, caller: Caller = ada) =>
  call({ routeKey: 'POST /conversations/{conversationId}/messages', pathParameters: { conversationId }, body, caller });
const requestOptIn = (conversationId: string, caller: Caller = ada) =>
  call({ routeKey: 'POST /conversations/{conversationId}/opt-in-request', pathParameters: { conversationId }, caller });
const messages = (conversationId: string, caller: Caller = ada) =>
  call({ routeKey: 'GET /conversations/{conversationId}/messages', pathParameters: { conversationId }, caller });
const inbox = (caller: Caller, scope: 'mine' | 'store', archived = 'false') =>
  call({ routeKey: 'GET /inbox', query: { scope, archived }, caller });
const assign = (conversationId: string, caller: Caller, userId: string | null) =>
  call({
    routeKey: 'PUT /conversations/{conversationId}/assignee',
    pathParameters: { conversationId },
    body: { userId },
    caller,
  });
/** `POST /media/uploads` for an image of `contentType`, on `channel` when given (default SMS). */
const uploadImage = (contentType: string, caller: Caller = ada, channel?: 'sms' | 'whatsapp') =>
  call({ routeKey: 'POST /media/uploads', body: channel ? { contentType, channel } : { contentType }, caller });
const markRead = (conversationId: string, caller: Caller) =>
  call({ routeKey: 'POST /conversations/{conversationId}/read', pathParameters: { conversationId }, caller });

async function optedIn(email: string, phone: string) {
  const c = await customer(email, phone);
  const opened = await open(c.customerId);
  await inbound(phone, 'YES');
  return { customer: c, conversationId: opened.body.conversationId as string };
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
      helpText: 'Fifth Avenue store: call 212-555-0100.',
      quietHours: null,
    },
    new Date(),
  );
  await putStore(
    'ldn',
    {
      name: 'Soho',
      timezone: 'Europe/London',
      country: 'GB',
      phoneNumber: LDN_PHONE,
      currency: 'GBP',
      quietHours: null,
    },
    new Date(),
  );
});

describe('opening a conversation', () => {
  it('creates the store conversation once (201) and returns the same one afterwards (200), also to a colleague', async () => {
    const c = await customer('open@example.test', '+15550000001');

    const first = await open(c.customerId);
    const again = await open(c.customerId);
    const colleague = await open(c.customerId, bea);

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      storeId: 'nyc',
      customerId: c.customerId,
      customer: { firstName: 'Cleo', lastName: 'Customer', phone: '+15550000001' },
      optIn: 'NONE',
      archived: false,
      unread: 0,
    });
    expect(again.status).toBe(200);
    expect(colleague.status).toBe(200);
    expect(again.body.conversationId).toBe(first.body.conversationId);
    expect(colleague.body.conversationId).toBe(first.body.conversationId);
  });

  it('ends with one conversation when two associates open it at the same moment', async () => {
    const c = await customer('race@example.test', '+15550000002');
    const [a, b] = await Promise.all([open(c.customerId), open(c.customerId, bea)]);
    expect(a.body.conversationId).toBe(b.body.conversationId);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
  });

  it('answers 404 for a customer that does not exist', async () => {
    const res = await open('no-such-customer');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it("answers 404 to another store's associate for the conversation and its messages", async () => {
    const c = await customer('private@example.test', '+15550000003');
    const { conversationId } = (await open(c.customerId)).body;

    expect(
      (
        await call({
          routeKey: 'GET /conversations/{conversationId}',
          pathParameters: { conversationId },
          caller: londoner,
        })
      ).status,
    ).toBe(404);
    expect((await messages(conversationId, londoner)).status).toBe(404);
    expect((await send(conversationId, { text: 'hi' }, londoner)).status).toBe(404);
  });

  it('refuses admins (they have no store inbox) with 403', async () => {
    const res = await inbox({ userId: 'root', role: 'clienteling-admin' }, 'store');
    expect(res.status).toBe(403);
  });
});

describe('opt-in', () => {
  it('refuses a text before opt-in with 422 and sends the opt-in request naming the store', async () => {
    const c = await customer('optin@example.test', '+15550000010');
    const { conversationId } = (await open(c.customerId)).body;

    const early = await send(conversationId, { text: 'Hi!' });
    const request = await requestOptIn(conversationId);

    expect(early.status).toBe(422);
    expect(early.body.type).toMatch(/not-opted-in$/);
    expect(request.status).toBe(201);
    expect(request.body).toMatchObject({
      direction: 'outbound',
      sentBy: 'ada-associate',
      status: 'queued',
    });
    const line = (await outboxLines()).at(-1)!;
    const stored = await repository.getMessage(conversationId, request.body.messageId);
    expect(stored?.twilioSid).toMatch(/^SMlocal/);
    expect(line).toMatchObject({
      to: '+15550000010',
      from: NYC_PHONE,
      sid: stored!.twilioSid,
      statusCallback: `${process.env.PUBLIC_BASE_URL}/webhooks/twilio/status?conversationId=${conversationId}&messageId=${request.body.messageId}`,
    });
    expect(line.body).toMatch(/Fifth Avenue.*Reply YES.*Reply STOP/);
    expect((await repository.getConversation(conversationId))?.optIn).toBe('REQUESTED');
  });

  it('opts in on YES, out on STOP (no confirmation sent), refuses sends after, and back in on START; every change kept', async () => {
    const phone = '+15550000011';
    const c = await customer('keywords@example.test', phone);
    const { conversationId } = (await open(c.customerId)).body;
    await requestOptIn(conversationId);

    const yes = await inbound(phone, ' yes ');
    const text = await send(conversationId, { text: 'Welcome!' });
    const outboxBeforeStop = (await outboxLines()).length;
    const stop = await inbound(phone, 'Stop');
    const refused = await send(conversationId, { text: 'Are you sure?' });
    const refusedRequest = await requestOptIn(conversationId);
    await inbound(phone, 'START');
    const afterStart = await send(conversationId, { text: 'Welcome back' });

    expect(yes.status).toBe(200);
    expect(yes.headers['content-type']).toBe('text/xml');
    expect(text.status).toBe(201);
    expect(stop.body).not.toContain('<Message>');
    expect((await outboxLines()).length).toBe(outboxBeforeStop + 1);
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/opted-out$/);
    expect(refused.body.detail).toMatch(/opted out/);
    expect(refusedRequest.status).toBe(422);
    expect(afterStart.status).toBe(201);
    const history = await repository.optInHistory(conversationId);
    expect(history.map((h) => [h.from, h.to, h.source])).toEqual([
      ['NONE', 'REQUESTED', 'OPT_IN_REQUEST'],
      ['REQUESTED', 'OPTED_IN', 'KEYWORD'],
      ['OPTED_IN', 'OPTED_OUT', 'KEYWORD'],
      ['OPTED_OUT', 'OPTED_IN', 'KEYWORD'],
    ]);
    expect(history.map((h) => h.keyword ?? h.userId)).toEqual(['ada-associate', 'YES', 'STOP', 'START']);
    expect(history.every((h) => !Number.isNaN(Date.parse(h.at)))).toBe(true);
  });

  it("answers HELP once with the store's help text through the REST API, and nothing where the store has none", async () => {
    const before = (await outboxLines()).length;
    const params = {
      MessageSid: newSid(),
      AccountSid: 'AC_local',
      From: '+15550000012',
      To: NYC_PHONE,
      Body: 'help',
      NumMedia: '0',
    };
    const nycHelp = await signedWebhook('/webhooks/twilio/sms', params);
    await signedWebhook('/webhooks/twilio/sms', params); // Twilio's redelivery: no second reply
    const ldnHelp = await inbound('+15550000013', 'HELP', {}, LDN_PHONE);

    expect(nycHelp.status).toBe(200);
    expect(nycHelp.body).not.toContain('<Message>');
    const replies = (await outboxLines()).slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      to: '+15550000012',
      from: NYC_PHONE,
      body: 'Fifth Avenue store: call 212-555-0100.',
    });
    expect(ldnHelp.status).toBe(200);
  });
});

describe('sending', () => {
  it('sends a filled-in template and answers 400 naming a missing variable', async () => {
    const { conversationId } = await optedIn('template@example.test', '+15550000020');

    const templates = await call({ routeKey: 'GET /templates', caller: ada });
    const sent = await send(conversationId, {
      templateId: 'back-in-stock',
      variables: { firstName: 'Cleo', product: 'the wool coat', link: 'https://shop.test/p/1' },
    });
    const missing = await send(conversationId, {
      templateId: 'back-in-stock',
      variables: { firstName: 'Cleo', product: 'the wool coat' },
    });

    expect(templates.body.items.map((t: { templateId: string }) => t.templateId)).toContain('back-in-stock');
    expect(templates.body.items[0]).toMatchObject({
      templateId: expect.any(String),
      name: expect.any(String),
      text: expect.any(String),
      variables: expect.any(Array),
    });
    expect(sent.status).toBe(201);
    expect(sent.body.text).toBe(
      'Hi Cleo, good news: the wool coat is back in stock. Take a look: https://shop.test/p/1',
    );
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/link/);
    expect(missing.body.errors).toContainEqual(expect.objectContaining({ field: 'variables.link' }));
  });

  it('refuses a body that mixes text with a template', async () => {
    const { conversationId } = await optedIn('mixed@example.test', '+15550000021');
    expect((await send(conversationId, { text: 'x', templateId: 'thank-you' })).status).toBe(400);
  });

  it('sends an uploaded image as an MMS whose MediaUrl is a presigned GET of the images bucket', async () => {
    const { conversationId } = await optedIn('image@example.test', '+15550000022');
    const image = Buffer.from('GIF89a-fake-image-bytes');

    const upload = await uploadImage('image/gif');
    const put = await fetch(upload.body.upload.url, {
      method: 'PUT',
      body: image,
      headers: upload.body.upload.headers,
    });
    const sent = await send(conversationId, { mediaKey: upload.body.mediaKey, text: 'This one?' });

    expect(upload.status).toBe(201);
    expect(upload.body.mediaKey).toMatch(/^outbound\/nyc\/.+\.gif$/);
    expect(put.ok).toBe(true);
    expect(sent.status).toBe(201);
    expect(sent.body.media).toEqual([
      expect.objectContaining({
        mediaKey: upload.body.mediaKey,
        contentType: 'image/gif',
        url: expect.stringContaining('X-Amz-Signature'),
      }),
    ]);
    const line = (await outboxLines()).at(-1)!;
    expect(line.mediaUrls).toHaveLength(1);
    expect(line.mediaUrls[0]).toMatch(/X-Amz-Expires=\d+/);
    expect(Buffer.from(await (await fetch(line.mediaUrls[0])).arrayBuffer())).toEqual(image);
  });

  it('refuses images over 5 MB with 422 and media keys of another store with 400', async () => {
    const { conversationId } = await optedIn('bigimage@example.test', '+15550000023');
    const upload = await uploadImage('image/jpeg');
    await fetch(upload.body.upload.url, {
      method: 'PUT',
      body: Buffer.alloc(5 * 1024 * 1024 + 1),
      headers: upload.body.upload.headers,
    });
    // A London store gets a WhatsApp upload (MMS would be refused up front): a key of another store.
    const foreign = await uploadImage('image/png', londoner, 'whatsapp');

    const tooBig = await send(conversationId, { mediaKey: upload.body.mediaKey });
    const notOurs = await send(conversationId, { mediaKey: foreign.body.mediaKey });

    expect(tooBig.status).toBe(422);
    expect(tooBig.body.detail).toMatch(/5 MB/);
    expect(notOurs.status).toBe(400);
  });

  it('refuses an SMS image upload from a store outside the US, Canada and Australia up front with 422', async () => {
    const sms = await uploadImage('image/png', londoner);
    const explicit = await uploadImage('image/png', londoner, 'sms');
    const here = await uploadImage('image/png', ada, 'sms');

    for (const refused of [sms, explicit]) {
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ status: 422, type: expect.stringMatching(/media-not-available$/) });
      expect(refused.body.detail).toMatch(/US, Canada and Australia; this store is in GB/);
      expect(refused.body).not.toHaveProperty('upload');
    }
    expect(here.status).toBe(201);
  });

  it('hands a store outside the US, Canada and Australia a WhatsApp image upload, and still refuses it by SMS', async () => {
    const phone = '+447700900001';
    const c = await customer('london@example.test', phone);
    const { conversationId } = (await open(c.customerId, londoner)).body;
    await inbound(phone, 'YES', {}, LDN_PHONE);
    const upload = await uploadImage('image/png', londoner, 'whatsapp');

    const res = await send(conversationId, { mediaKey: upload.body.mediaKey }, londoner);

    expect(upload.status).toBe(201);
    expect(upload.body.mediaKey).toMatch(/^outbound\/ldn\/.+\.png$/);
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/US, Canada and Australia/);
  });

  it('refuses a content type no channel carries (jpeg, png and gif by MMS, webp on WhatsApp) for uploads', async () => {
    expect((await uploadImage('image/heic')).status).toBe(400);
  });

  it("refuses up front an image type the upload's channel does not carry (webp by MMS, gif on WhatsApp)", async () => {
    const webp = await uploadImage('image/webp');
    const gif = await uploadImage('image/gif', ada, 'whatsapp');
    const webpOnWhatsApp = await uploadImage('image/webp', ada, 'whatsapp');

    for (const refused of [webp, gif]) {
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ status: 422, type: expect.stringMatching(/media-type$/) });
      expect(refused.body).not.toHaveProperty('upload');
    }
    expect(webp.body.detail).toMatch(/image\/webp; sms carries image\/jpeg, image\/png, image\/gif only/);
    expect(webpOnWhatsApp.status).toBe(201);
  });
});

describe('the Twilio webhook', () => {
  let mediaServer: Server;
  let mediaUrl: string;
  const picture = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
  beforeAll(async () => {
    mediaServer = createServer((_req, res) => {
      res.setHeader('content-type', 'image/jpeg');
      res.end(picture);
    });
    await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
    mediaUrl = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/media/ME1`;
  });
  afterAll(() => new Promise((resolve) => mediaServer.close(resolve)));

  it('refuses a bad or missing signature with 403 and stores nothing', async () => {
    const params = { MessageSid: newSid(), From: '+15550000030', To: NYC_PHONE, Body: 'hello', NumMedia: '0' };
    const wrongToken = await signedWebhook('/webhooks/twilio/sms', params, 'not-the-token');
    const unsigned = await webhooks['/webhooks/twilio/sms']({
      routeKey: 'POST /webhooks/twilio/sms',
      rawBody: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, params);
    const tampered = await webhooks['/webhooks/twilio/sms']({
      routeKey: 'POST /webhooks/twilio/sms',
      rawBody: new URLSearchParams({ ...params, Body: 'changed' }).toString(),
      headers: signed.headers,
    });

    expect([wrongToken.status, unsigned.status, tampered.status]).toEqual([403, 403, 403]);
    expect(wrongToken.headers['content-type']).toBe('application/problem+json');
    expect(await findCustomerByPhone('+15550000030')).toBeUndefined();
    expect(await repository.findMessageBySid(params.MessageSid)).toBeUndefined();
  });

  it('starts a conversation for an unknown number with a phone-only customer', async () => {
    const res = await inbound('+15550000031', 'Do you have this in blue?');
    const created = await findCustomerByPhone('+15550000031');
    const store = await inbox(bea, 'store');

    expect(res.status).toBe(200);
    // The answer is written out (inbound.ts, EMPTY_TWIML); it must stay what twilio's builder prints.
    expect(res.body).toBe(new MessagingResponse().toString());
    expect(created).toMatchObject({ phone: '+15550000031' });
    expect(created?.email).toBeUndefined();
    expect(store.body.items[0]).toMatchObject({
      customerId: created!.customerId,
      customer: { phone: '+15550000031' },
      unread: 1,
    });
  });

  it('stores one message when the same MessageSid is delivered twice', async () => {
    const params = { MessageSid: newSid(), From: '+15550000032', To: NYC_PHONE, Body: 'once', NumMedia: '0' };
    await signedWebhook('/webhooks/twilio/sms', params);
    await signedWebhook('/webhooks/twilio/sms', params);
    const ref = await repository.findMessageBySid(params.MessageSid);

    const list = await messages(ref!.conversationId, ada);

    expect(list.body.items.filter((m: { text: string }) => m.text === 'once')).toHaveLength(1);
  });

  it('copies inbound MMS media into the images bucket', async () => {
    const res = await inbound('+15550000033', 'Like this', {
      NumMedia: '1',
      MediaUrl0: mediaUrl,
      MediaContentType0: 'image/jpeg',
    });
    const stored = await findCustomerByPhone('+15550000033');
    const conversation = (await inbox(bea, 'store')).body.items.find(
      (c: { customerId: string }) => c.customerId === stored!.customerId,
    );

    const [message] = (await messages(conversation.conversationId, bea)).body.items;

    expect(res.status).toBe(200);
    expect(message).toMatchObject({ direction: 'inbound', text: 'Like this', status: 'received' });
    expect(message.media[0]).toMatchObject({
      mediaKey: expect.stringMatching(/^inbound\/nyc\//),
      contentType: 'image/jpeg',
    });
    expect(message.media[0].url).not.toContain(mediaUrl);
    expect(Buffer.from(await (await fetch(message.media[0].url)).arrayBuffer())).toEqual(picture);
  });

  it('moves delivery status forward only, keeping the error code', async () => {
    const { conversationId } = await optedIn('status@example.test', '+15550000034');
    const first = (await send(conversationId, { text: 'one' })).body;
    const second = (await send(conversationId, { text: 'two' })).body;
    const status = (sid: string, MessageStatus: string, extra: Record<string, string> = {}) =>
      signedWebhook('/webhooks/twilio/status', { MessageSid: sid, MessageStatus, ...extra });
    await outboxLines(); // the sender has handed both over: their SIDs are on record
    first.twilioSid = (await repository.getMessage(conversationId, first.messageId))!.twilioSid;
    second.twilioSid = (await repository.getMessage(conversationId, second.messageId))!.twilioSid;

    expect((await status(first.twilioSid, 'sent')).status).toBe(204);
    await status(first.twilioSid, 'delivered');
    await status(first.twilioSid, 'sent');
    await status(second.twilioSid, 'undelivered', { ErrorCode: '30003' });
    await status(second.twilioSid, 'delivered');

    const list = (await messages(conversationId)).body.items;
    expect(list.find((m: { messageId: string }) => m.messageId === first.messageId)).toMatchObject({
      status: 'delivered',
    });
    expect(list.find((m: { messageId: string }) => m.messageId === second.messageId)).toMatchObject({
      status: 'undelivered',
      errorCode: '30003',
    });
  });
});

describe('inboxes and unread', () => {
  it("lists the caller's conversations newest activity first with their unread counts and total, and read clears only the caller's", async () => {
    const zed: Caller = { userId: 'zed-associate', role: 'associate', storeId: 'nyc' };
    const amy: Caller = { userId: 'amy-associate', role: 'associate', storeId: 'nyc' };
    const c1 = await customer('inbox1@example.test', '+15550000041');
    const c2 = await customer('inbox2@example.test', '+15550000042');
    const first = (await open(c1.customerId, zed)).body.conversationId;
    const second = (await open(c2.customerId, zed)).body.conversationId;
    expect((await assign(first, zed, zed.userId)).body.assignee).toBe(zed.userId);
    expect((await assign(second, zed, zed.userId)).status).toBe(200);
    await inbound('+15550000042', 'hi from two');
    await inbound('+15550000041', 'hi from one');
    await inbound('+15550000041', 'are you there?');

    const zedMine = await inbox(zed, 'mine');
    const amyMineBefore = await inbox(amy, 'mine');
    const amyStoreBefore = await inbox(amy, 'store');
    await markRead(first, amy);
    const amyStoreAfter = await inbox(amy, 'store');
    const zedAfterAmyRead = await inbox(zed, 'mine');
    await markRead(first, zed);
    const zedAfterRead = await inbox(zed, 'mine');

    expect(zedMine.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([first, second]);
    expect(zedMine.body.items.map((c: { unread: number }) => c.unread)).toEqual([2, 1]);
    expect(zedMine.body.unreadTotal).toBe(3);
    expect(amyMineBefore.body.items).toEqual([]);
    expect(amyMineBefore.body.unreadTotal).toBe(0);
    const amyFirst = amyStoreBefore.body.items.find((c: { conversationId: string }) => c.conversationId === first);
    expect(amyFirst.unread).toBe(2);
    expect(amyStoreAfter.body.unreadTotal).toBe(amyStoreBefore.body.unreadTotal - 2);
    expect(zedAfterAmyRead.body.unreadTotal).toBe(3);
    expect(zedAfterRead.body.items.map((c: { unread: number }) => c.unread)).toEqual([0, 1]);
    expect(zedAfterRead.body.unreadTotal).toBe(1);
  });

  it('puts an unassigned conversation in the My Inbox of the first associate who writes in it', async () => {
    const yan: Caller = { userId: 'yan-associate', role: 'associate', storeId: 'nyc' };
    const { conversationId } = await optedIn('writer@example.test', '+15550000043');
    expect((await inbox(yan, 'mine')).body.items).toEqual([]);

    await send(conversationId, { text: 'I can help too' }, yan);

    expect((await inbox(yan, 'mine')).body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([
      conversationId,
    ]);
  });

  it('pages the store inbox with a cursor and refuses a tampered one', async () => {
    const page1 = await call({ routeKey: 'GET /inbox', query: { scope: 'store', limit: '2' }, caller: bea });
    const page2 = await call({
      routeKey: 'GET /inbox',
      query: { scope: 'store', limit: '2', cursor: page1.body.nextCursor },
      caller: bea,
    });
    const tampered = await call({
      routeKey: 'GET /inbox',
      query: { scope: 'store', cursor: Buffer.from('{"gsi1pk":"CONVSTORE#ldn#ACTIVE"}').toString('base64url') },
      caller: bea,
    });

    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items[0].lastActivityAt <= page1.body.items[1].lastActivityAt).toBe(true);
    expect(page2.body.items.map((c: { conversationId: string }) => c.conversationId)).not.toContain(
      page1.body.items[0].conversationId,
    );
    expect(tampered.status).toBe(400);
  });
});
