/**
 * WhatsApp's inbound and outbound paths over DynamoDB Local, with the local carrier as Twilio
 * (docs/rules.md, "WhatsApp"): the store's sender look-up, a WhatsApp message joining the SMS
 * customer's conversation and opening the window from its receive time, consent per channel
 * (STOP, a quick-reply YES), the carrier's 63016 closing the window, and 63013 in a status
 * callback opting out of WhatsApp only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCarrier } from '../../lib/local/carrier';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { invoker } from '../support/invoke';
import type { Caller } from '../support/http-events';
import { sendsSettled } from '../support/sender-queue';
import { useFreshTable } from '../support/table';

await useFreshTable('whatsapp-channel');
process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'whatsapp-channel-')), 'outbox.jsonl');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const carrier = new LocalCarrier({ authToken: LOCAL_TWILIO_AUTH_TOKEN, track: () => {}, log: () => {} });
const { applyInbound } = await import('../../functions/conversations/inbound');
const { receiveStatus } = await import('../../functions/conversations/receive-status');
const { putStore, findStoreIdByPhone, ensureCustomerByPhone } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const call = invoker((await import('../../functions/conversations/api.handler')).handler);

const STORE = 'wa-int';
const STORE_PHONE = '+13125550100';
const SENDER = '+13125550199';
const associate: Caller = { userId: 'wa-int-alice', role: 'associate', storeId: STORE };
const storeInput = (whatsapp: { enabled: boolean; sender?: string } | null, phoneNumber = STORE_PHONE) => ({
  name: 'WhatsApp Street',
  timezone: 'America/Chicago',
  country: 'US',
  phoneNumber,
  currency: 'USD',
  quietHours: null,
  whatsapp,
});
let sid = 0;
let phones = 0;
const newPhone = () => `+1312555${String(1000 + phones++)}`;

/** An inbound job as the webhook queues it: WhatsApp addresses carry Twilio's prefix. */
const inbound = (channel: 'sms' | 'whatsapp', from: string, body: string, receivedAt = new Date(), extra = {}) => ({
  storeId: STORE,
  receivedAt: receivedAt.toISOString(),
  form: {
    MessageSid: `SMwa${++sid}`,
    From: channel === 'whatsapp' ? `whatsapp:${from}` : from,
    To: channel === 'whatsapp' ? `whatsapp:${SENDER}` : STORE_PHONE,
    Body: body,
    NumMedia: '0',
    ...extra,
  },
});
const conversationOf = async (phone: string) => {
  const customer = await ensureCustomerByPhone(phone, new Date());
  return (await repository.openConversation({ storeId: STORE, customer, now: new Date() })).conversation;
};

beforeAll(async () => {
  process.env.TWILIO_API_URL = await carrier.start();
  await putStore(STORE, storeInput({ enabled: true, sender: SENDER }), new Date());
});
afterAll(async () => {
  delete process.env.TWILIO_API_URL;
  await carrier.stop();
});

describe("the store's WhatsApp sender", () => {
  it('finds the store by its sender on WhatsApp only, refuses it to another store, and forgets it when disabled', async () => {
    expect(await findStoreIdByPhone(SENDER, 'whatsapp')).toBe(STORE);
    expect(await findStoreIdByPhone(SENDER)).toBeUndefined();
    expect(await findStoreIdByPhone(STORE_PHONE, 'whatsapp')).toBeUndefined();
    await expect(
      putStore('wa-int-other', storeInput({ enabled: true, sender: SENDER }, '+13125550111'), new Date()),
    ).rejects.toThrow(/WhatsApp sender \+13125550199 already belongs to another store/);

    await putStore('wa-int-off', storeInput({ enabled: true }, '+13125550122'), new Date());
    expect(await findStoreIdByPhone('+13125550122', 'whatsapp')).toBe('wa-int-off');
    await putStore('wa-int-off', storeInput({ enabled: false }, '+13125550122'), new Date());
    expect(await findStoreIdByPhone('+13125550122', 'whatsapp')).toBeUndefined();
  });
});

describe('inbound WhatsApp', () => {
  it('joins the SMS customer’s conversation, carries its channel, and opens the window from the receive time', async () => {
    const phone = newPhone();
    await applyInbound(inbound('sms', phone, 'By SMS', new Date(Date.now() - 120_000)));
    const receivedAt = new Date(Date.now() - 60_000);
    await applyInbound(inbound('whatsapp', phone, 'On WhatsApp', receivedAt));
    const conversation = await conversationOf(phone);
    const messages = (await repository.listMessages(conversation.conversationId, 10)).items;
    expect(messages.map((m) => [m.text, m.channel, m.kind])).toEqual([
      ['On WhatsApp', 'whatsapp', 'whatsapp'],
      ['By SMS', 'sms', 'sms'],
    ]);
    expect(conversation.whatsapp).toEqual({
      optIn: 'NONE',
      windowExpiresAt: new Date(receivedAt.getTime() + 24 * 3_600_000).toISOString(),
    });
    // An older message applied late never moves the window back.
    await applyInbound(inbound('whatsapp', phone, 'Late', new Date(Date.now() - 3_600_000)));
    expect((await conversationOf(phone)).whatsapp?.windowExpiresAt).toBe(conversation.whatsapp!.windowExpiresAt);
  });

  it('applies YES from a quick-reply button and STOP to WhatsApp consent only, each on the ledger with its channel', async () => {
    const phone = newPhone();
    await applyInbound(inbound('sms', phone, 'YES'));
    await applyInbound(inbound('whatsapp', phone, 'Sounds good', new Date(), { ButtonPayload: 'YES' }));
    expect(await conversationOf(phone)).toMatchObject({ optIn: 'OPTED_IN', whatsapp: { optIn: 'OPTED_IN' } });
    await applyInbound(inbound('whatsapp', phone, 'STOP'));
    const conversation = await conversationOf(phone);
    expect(conversation).toMatchObject({ optIn: 'OPTED_IN', whatsapp: { optIn: 'OPTED_OUT' } });
    const ledger = (await repository.listConsent(conversation.customerId, STORE, 10)).items;
    expect(ledger.map((e) => [e.channel, e.state, e.keyword])).toEqual([
      ['sms', 'OPTED_IN', 'YES'],
      ['whatsapp', 'OPTED_IN', 'YES'],
      ['whatsapp', 'OPTED_OUT', 'STOP'],
    ]);
  });
});

describe('outbound WhatsApp and the carrier’s codes', () => {
  const sendText = (conversationId: string, text: string) =>
    call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId },
      body: { channel: 'whatsapp', text },
      caller: associate,
    });

  it('fails free text the carrier refuses with 63016, and the conversation then shows the window closed', async () => {
    const phone = newPhone();
    // The window is open on our record, but the carrier never heard from the customer: it refuses.
    await applyInbound(inbound('whatsapp', phone, 'YES'));
    const { conversationId } = await conversationOf(phone);
    const sent = await sendText(conversationId, 'Your order is ready');
    expect(sent.status).toBe(201);
    await sendsSettled();
    const message = await repository.getMessage(conversationId, sent.body.messageId);
    expect(message).toMatchObject({ status: 'failed', errorCode: '63016', channel: 'whatsapp' });
    const closed = (await conversationOf(phone)).whatsapp!.windowExpiresAt!;
    expect(closed <= new Date().toISOString()).toBe(true);
    const again = await sendText(conversationId, 'Hello again');
    expect(again.status).toBe(422);
    expect(again.body.type).toMatch(/window-closed$/);
  });

  it('opts out of WhatsApp only on a 63013 status callback', async () => {
    const phone = newPhone();
    await applyInbound(inbound('sms', phone, 'YES'));
    await applyInbound(inbound('whatsapp', phone, 'YES'));
    const conversation = await conversationOf(phone);
    await receiveStatus(
      { MessageSid: 'SMwa63013', MessageStatus: 'failed', ErrorCode: '63013', To: `whatsapp:${phone}` },
      { conversationId: conversation.conversationId, messageId: 'none' },
      new Date(),
    );
    expect(await conversationOf(phone)).toMatchObject({ optIn: 'OPTED_IN', whatsapp: { optIn: 'OPTED_OUT' } });
    const ledger = (await repository.listConsent(conversation.customerId, STORE, 10)).items;
    expect(ledger.at(-1)).toMatchObject({ channel: 'whatsapp', state: 'OPTED_OUT', source: 'CARRIER' });
  });
});

describe('images over WhatsApp', () => {
  const GB = 'wa-int-gb';
  const GB_PHONE = '+442071838750';
  const londoner: Caller = { userId: 'wa-int-london', role: 'associate', storeId: GB };
  /** Uploads an image of this type and size as the store's associate; answers its mediaKey. */
  /** A WhatsApp upload of the London store (an SMS upload there is refused up front). */
  async function uploaded(contentType: string, bytes: number): Promise<string> {
    const upload = await call({
      routeKey: 'POST /media/uploads',
      body: { contentType, channel: 'whatsapp' },
      caller: londoner,
    });
    expect(upload.status).toBe(201);
    const put = await fetch(upload.body.upload.url, {
      method: 'PUT',
      body: Buffer.alloc(bytes, 7),
      headers: upload.body.upload.headers,
    });
    expect(put.ok).toBe(true);
    return upload.body.mediaKey;
  }
  const sendImage = (conversationId: string, mediaKey: string, channel: 'sms' | 'whatsapp') =>
    call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId },
      body: { channel, mediaKey, text: 'This one?' },
      caller: londoner,
    });

  it('sends jpeg/png/webp up to 5 MB from a store outside US/CA/AU; refuses gif, larger images, and SMS images there', async () => {
    await putStore(
      GB,
      { ...storeInput({ enabled: true }, GB_PHONE), country: 'GB', timezone: 'Europe/London', currency: 'GBP' },
      new Date(),
    );
    const phone = '+447700900123';
    await applyInbound({
      ...inbound('whatsapp', phone, 'YES'),
      storeId: GB,
      form: { ...inbound('whatsapp', phone, 'YES').form, To: `whatsapp:${GB_PHONE}` },
    });
    await applyInbound({
      ...inbound('sms', phone, 'YES'),
      storeId: GB,
      form: { ...inbound('sms', phone, 'YES').form, To: GB_PHONE },
    });
    const customer = await ensureCustomerByPhone(phone, new Date());
    const { conversationId } = (await repository.openConversation({ storeId: GB, customer, now: new Date() }))
      .conversation;

    const webp = await sendImage(conversationId, await uploaded('image/webp', 5 * 1024 * 1024), 'whatsapp');
    expect(webp.status).toBe(201);
    expect(webp.body).toMatchObject({ channel: 'whatsapp', media: [{ contentType: 'image/webp' }] });
    expect((await sendImage(conversationId, await uploaded('image/png', 1_000), 'whatsapp')).status).toBe(201);
    // WhatsApp carries no gif: refused at the upload already.
    const gif = await call({
      routeKey: 'POST /media/uploads',
      body: { contentType: 'image/gif', channel: 'whatsapp' },
      caller: londoner,
    });
    expect([gif.status, gif.body.type]).toEqual([422, expect.stringMatching(/media-type$/)]);
    const big = await sendImage(conversationId, await uploaded('image/jpeg', 5 * 1024 * 1024 + 1), 'whatsapp');
    expect([big.status, big.body.type]).toEqual([422, expect.stringMatching(/media-too-large$/)]);
    // MMS stays US/CA/AU only: an image uploaded for WhatsApp is refused when sent by SMS.
    const mms = await sendImage(conversationId, await uploaded('image/jpeg', 1_000), 'sms');
    expect([mms.status, mms.body.type]).toEqual([422, expect.stringMatching(/media-not-available$/)]);
    // Recorded with its image on WhatsApp (the local carrier, never written to here, would answer 63016: see above).
    expect((await repository.getMessage(conversationId, webp.body.messageId))?.media).toEqual([
      expect.objectContaining({ mediaKey: webp.body.media[0].mediaKey, contentType: 'image/webp' }),
    ]);
  });

  it('refuses a webp image over SMS, which carries jpeg/png/gif, even one uploaded for WhatsApp', async () => {
    const phone = newPhone();
    await applyInbound(inbound('sms', phone, 'YES'));
    const { conversationId } = await conversationOf(phone);
    const upload = await call({
      routeKey: 'POST /media/uploads',
      body: { contentType: 'image/webp', channel: 'whatsapp' },
      caller: associate,
    });
    await fetch(upload.body.upload.url, {
      method: 'PUT',
      body: Buffer.alloc(100),
      headers: upload.body.upload.headers,
    });
    const sent = await call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId },
      body: { mediaKey: upload.body.mediaKey },
      caller: associate,
    });
    expect([sent.status, sent.body.type]).toEqual([422, expect.stringMatching(/media-type$/)]);
  });
});
