/**
 * The message path under real traffic, over the local stack: bursts of inbound messages and
 * Twilio's redeliveries on one conversation, concurrent sends, Idempotency-Key, every failure of
 * the local carrier (Twilio's test numbers), callbacks that beat the send's return, and a
 * payment delivered many times at once.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/api-client';
import { api, baseUrl, drain, eventually, invocations, outbox, request, tokenFor } from '../support/e2e';
import { signedTwilioForm } from '../../lib/local/carrier';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/engines';
import { QUEUES } from '../../lib/queues';
import { inboundGroupOf } from '../../functions/conversations/inbound-queue';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const storeId = `msg-${randomUUID().slice(0, 8)}`;
const storePhone = `+1718${digits(7)}`;
type Answer = { status: number; body: any };
const answer = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<Answer> => {
  const { data, error, response } = await call;
  return { status: response.status, body: data ?? error };
};

/** The calls of this file as one caller, through the typed client (every answer checked against docs/openapi.json). */
function caller(client: ApiClient) {
  const conversation = (conversationId: string) => ({ params: { path: { conversationId } } });
  return {
    createCustomer: (body: { email: string; phone: string; firstName: string }) =>
      answer(client.POST('/customers', { body })),
    search: (query: string) => answer(client.GET('/customers', { params: { query: { query } } })),
    open: (customerId: string) => answer(client.POST('/conversations', { body: { customerId } })),
    conversation: (conversationId: string) =>
      answer(client.GET('/conversations/{conversationId}', conversation(conversationId))),
    read: (conversationId: string) =>
      answer(client.POST('/conversations/{conversationId}/read', conversation(conversationId))),
    assign: (conversationId: string, userId: string | null) =>
      answer(
        client.PUT('/conversations/{conversationId}/assignee', { ...conversation(conversationId), body: { userId } }),
      ),
    inbox: (scope: 'mine' | 'store') => answer(client.GET('/inbox', { params: { query: { scope } } })),
    messages: (conversationId: string, cursor?: string) =>
      answer(
        client.GET('/conversations/{conversationId}/messages', {
          params: { path: { conversationId }, query: { limit: 200, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    send: (conversationId: string, text: string, idempotencyKey?: string) =>
      answer(
        client.POST('/conversations/{conversationId}/messages', {
          ...conversation(conversationId),
          body: { text },
          ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
        }),
      ),
  };
}
const admin = caller(apiClient(tokenFor({ role: 'clienteling-admin', userId: 'msg-admin' })));
const associate = caller(apiClient(tokenFor({ role: 'associate', storeId, userId: 'msg-associate' })));
const manager = caller(apiClient(tokenFor({ role: 'manager', storeId, userId: 'msg-manager' })));

/** A signed inbound SMS, as Twilio posts it (every field is text, and Twilio signs the text). */
function twilioPost(path: '/webhooks/twilio/sms', form: Record<string, string>) {
  const url = `${baseUrl()}${path}`;
  const signed = signedTwilioForm(url, form);
  return answer(
    apiClient().POST(path, {
      body: { ...form, NumMedia: Number(form.NumMedia ?? 0) } as never,
      bodySerializer: () => signed.body,
      headers: signed.headers,
      parseAs: 'text',
    }),
  );
}
const smsForm = (from: string, body: string, sid = `SM${randomUUID().replace(/-/g, '')}`) => ({
  MessageSid: sid,
  AccountSid: 'AC_local',
  From: from,
  To: storePhone,
  Body: body,
  NumMedia: '0',
});

/** A customer with this phone whose conversation with the store is opted in (the customer texted YES). */
async function optedInConversation(phone: string): Promise<string> {
  const customer = await admin.createCustomer({ email: `msg-${randomUUID()}@example.com`, phone, firstName: 'Ivy' });
  // Phones are unique: another e2e file (live events) may have made the customer of a carrier test number first.
  expect([201, 409]).toContain(customer.status);
  const customerId =
    customer.status === 201
      ? customer.body.customerId
      : (await admin.search(phone)).body.items.find((c: { phone: string }) => c.phone === phone).customerId;
  const opened = await associate.open(customerId);
  expect(opened.status).toBe(201);
  expect((await twilioPost('/webhooks/twilio/sms', smsForm(phone, 'YES'))).status).toBe(200);
  await drain();
  expect((await associate.conversation(opened.body.conversationId)).body.optIn).toBe('OPTED_IN');
  return opened.body.conversationId;
}

/** The local event bus's events of one type (`GET /_local/events`). */
const localEvents = async (type: string): Promise<Array<{ data: Record<string, any> }>> =>
  ((await api().get(`/_local/events?type=${type}`)).body as Array<{ detail: { data: Record<string, any> } }>).map(
    (e) => e.detail,
  );

const messagesOf = async (conversationId: string) => {
  const items: Array<Record<string, any>> = [];
  let cursor: string | null = null;
  do {
    const page: Answer = await associate.messages(conversationId, cursor ?? undefined);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
};

beforeAll(async () => {
  const store = await apiClient(tokenFor({ role: 'clienteling-admin', userId: 'msg-admin' })).PUT('/stores/{storeId}', {
    params: { path: { storeId } },
    body: {
      name: 'Message Path',
      phoneNumber: storePhone,
      timezone: 'America/New_York',
      country: 'US',
      currency: 'USD',
      helpText: 'Call us.',
      quietHours: null,
    },
  });
  expect(store.response.status).toBe(201);
});

describe('inbound under load', () => {
  it('stores 50 distinct messages arriving at once plus 20 redeliveries exactly once each, in order, with exact unread counts', async () => {
    const phone = `+1646${digits(7)}`;
    const conversationId = await optedInConversation(phone);
    await manager.open((await associate.conversation(conversationId)).body.customerId);
    expect((await manager.assign(conversationId, 'msg-manager')).status).toBe(200);
    await manager.read(conversationId);
    const forms = Array.from({ length: 50 }, (_, i) => smsForm(phone, `burst ${i}`));

    const answers = await Promise.all(
      [...forms, ...forms.slice(0, 20)].map((form) => twilioPost('/webhooks/twilio/sms', form)),
    );
    await drain();

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const burst = (await messagesOf(conversationId)).filter((m) => String(m.text).startsWith('burst '));
    expect(burst).toHaveLength(50);
    expect(new Set(burst.map((m) => m.twilioSid)).size).toBe(50);
    // Newest first, by the time each was received; ids and times agree, so the chat reads in arrival order.
    const byId = [...burst].sort((a, b) => (a.messageId < b.messageId ? 1 : -1));
    expect(burst.map((m) => m.messageId)).toEqual(byId.map((m) => m.messageId));
    expect(burst.map((m) => m.createdAt)).toEqual([...burst.map((m) => m.createdAt)].sort().reverse());

    const conversation = (await manager.conversation(conversationId)).body;
    expect(conversation.unread).toBe(50);
    const inbox = await manager.inbox('mine');
    expect(inbox.body.items.find((c: { conversationId: string }) => c.conversationId === conversationId).unread).toBe(
      50,
    );
    expect(inbox.body.unreadTotal).toBe(inbox.body.items.reduce((n: number, c: { unread: number }) => n + c.unread, 0));
    await manager.read(conversationId);
    expect((await manager.conversation(conversationId)).body.unread).toBe(0);
  });

  it('still receives messages when 200 users have read the conversation, and counts them unread for each', async () => {
    const phone = `+1646${digits(7)}`;
    const conversationId = await optedInConversation(phone);
    const customerId = (await associate.conversation(conversationId)).body.customerId;
    const members = Array.from({ length: 200 }, (_, i) =>
      caller(apiClient(tokenFor({ role: 'associate', storeId, userId: `member-${i}` }))),
    );
    for (let i = 0; i < members.length; i += 25)
      await Promise.all(
        members.slice(i, i + 25).map(async (m) => {
          await m.open(customerId);
          await m.read(conversationId);
        }),
      );

    expect((await twilioPost('/webhooks/twilio/sms', smsForm(phone, 'anyone there?'))).status).toBe(200);
    await drain();

    expect((await messagesOf(conversationId)).some((m) => m.text === 'anyone there?')).toBe(true);
    for (const member of [members[0]!, members[199]!]) {
      expect((await member.conversation(conversationId)).body.unread).toBe(1); // read after the YES
      const store = await member.inbox('store');
      expect(
        store.body.items.find((c: { conversationId: string }) => c.conversationId === conversationId),
      ).toMatchObject({
        unread: 1,
      });
    }
  });

  it('applies a STOP in an MMS whose media cannot be fetched, keeping the text', async () => {
    const phone = `+1646${digits(7)}`;
    const conversationId = await optedInConversation(phone);
    const form = {
      ...smsForm(phone, 'STOP'),
      NumMedia: '1',
      MediaUrl0: `${baseUrl()}/no-such-media`,
      MediaContentType0: 'image/jpeg',
    };

    expect((await twilioPost('/webhooks/twilio/sms', form)).status).toBe(200);
    await drain();

    const [latest] = await messagesOf(conversationId);
    expect(latest).toMatchObject({
      direction: 'inbound',
      text: 'STOP',
      media: [expect.objectContaining({ status: 'unavailable', unavailable: true })],
    });
    expect((await associate.conversation(conversationId)).body.optIn).toBe('OPTED_OUT');
  });
});

describe('inbound failures stay in their conversation', () => {
  let sqs: SQSClient;
  let inboundQueueUrl: string;
  let deadLettersUrl: string;
  const deadLettered = async () =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: deadLettersUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    );
  beforeAll(async () => {
    const info = (await request<{ sqsEndpoint: string; inboundQueueUrl: string }>('GET', '/_local')).body;
    inboundQueueUrl = info.inboundQueueUrl;
    sqs = new SQSClient({ endpoint: info.sqsEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const dlq = QUEUES.find((q) => q.name === 'inbound')!.deadLetters.localName;
    deadLettersUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: dlq }))).QueueUrl!;
  });
  afterAll(() => sqs.destroy());

  it('applies the healthy conversations of a batch at once and retries and dead-letters only the poison one', async () => {
    const job = (from: string, body: string) => ({
      storeId,
      receivedAt: new Date().toISOString(),
      form: smsForm(from, body),
    });
    const healthy = [`+1646${digits(7)}`, `+1646${digits(7)}`, `+1646${digits(7)}`];
    const poisoned = `+1646${digits(7)}`;
    const before = await deadLettered();
    const started = Date.now();

    // One SendMessageBatch, so the worker gets them as one batch: the poison record first.
    const poison = job(poisoned, 'poison');
    const behind = job(poisoned, 'behind the poison');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: inboundQueueUrl,
        Entries: [
          { ...poison, form: { ...poison.form, NumMedia: 'not a number' } },
          ...healthy.map((from) => job(from, 'healthy')),
          behind,
        ].map((body, i) => ({
          Id: `m${i}`,
          MessageBody: JSON.stringify(body),
          MessageGroupId: inboundGroupOf(storeId, body.form.From),
          MessageDeduplicationId: body.form.MessageSid,
        })),
      }),
    );
    expect(sent.Failed ?? []).toEqual([]);
    const healthyIds = sent.Successful!.filter((e) => e.Id !== 'm0' && e.Id !== 'm4').map((e) => e.MessageId!);
    const poisonId = sent.Successful!.find((e) => e.Id === 'm0')!.MessageId!;

    // Stored before the poison's first retry (the local retry delay is 1 s; on AWS, the 6-minute visibility timeout).
    const stored = await eventually(
      async () => {
        const texts = await Promise.all(healthy.map(async (from) => (await storedTexts(from)).includes('healthy')));
        return texts.every(Boolean) ? Date.now() - started : undefined;
      },
      10_000,
      50,
    );
    await drain();

    const deliveries = (id: string) => invocations().then((all) => all.filter((i) => i.subject.includes(id)).length);
    for (const id of healthyIds) expect(await deliveries(id)).toBe(1);
    expect(await deliveries(poisonId)).toBe(QUEUES.find((q) => q.name === 'inbound')!.deadLetters.maxReceives);
    expect(await deadLettered()).toBe(before + 1);
    // Its own conversation waited for it, then went on once it was dead-lettered.
    expect(await storedTexts(poisoned)).toEqual(['behind the poison']);
    expect(stored).toBeLessThan(10_000);
  });

  it('shows an MMS text within 2 s when its media host never answers, then marks the media unavailable without dead-lettering', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer(() => {}); // accepts, reads the request, never answers
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const phone = `+1646${digits(7)}`;
      const conversationId = await optedInConversation(phone);
      const before = await deadLettered();
      const form = {
        ...smsForm(phone, 'see the photo'),
        NumMedia: '1',
        MediaUrl0: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/photo.jpg`,
        MediaContentType0: 'image/jpeg',
      };

      const posted = Date.now();
      expect((await twilioPost('/webhooks/twilio/sms', form)).status).toBe(200);
      const visible = await eventually(
        async () => {
          const [latest] = await messagesOf(conversationId);
          return latest?.text === 'see the photo' ? latest : undefined;
        },
        2_000,
        50,
      );
      const visibleAfter = Date.now() - posted;

      expect(visibleAfter).toBeLessThan(2_000);
      expect(visible.media).toEqual([expect.objectContaining({ status: 'pending' })]);
      const marked = await eventually(
        async () => {
          const [latest] = await messagesOf(conversationId);
          return latest?.media[0]?.status === 'pending' ? undefined : latest;
        },
        50_000,
        500,
      );
      expect(marked.media).toEqual([expect.objectContaining({ status: 'unavailable', reason: 'timed out' })]);
      await drain();
      expect(await deadLettered()).toBe(before);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 60_000);
});

/** The texts stored in the store's conversation with this number, oldest first (none when there is no conversation). */
async function storedTexts(from: string): Promise<string[]> {
  const found = (await admin.search(from)).body.items?.find((c: { phone: string }) => c.phone === from);
  if (!found) return [];
  const opened = await associate.open(found.customerId);
  return (await messagesOf(opened.body.conversationId)).map((m) => String(m.text)).reverse();
}

describe('outbound under load and faults', () => {
  it('records and hands over 20 concurrent sends on one conversation exactly once each, none answered with an error', async () => {
    const phone = `+1646${digits(7)}`;
    const conversationId = await optedInConversation(phone);

    const sends = await Promise.all(Array.from({ length: 20 }, (_, i) => associate.send(conversationId, `offer ${i}`)));
    await drain();

    expect(sends.map((s) => s.status)).toEqual(sends.map(() => 201));
    const stored = (await messagesOf(conversationId)).filter((m) => String(m.text).startsWith('offer '));
    expect(stored).toHaveLength(20);
    const carried = (await outbox()).filter((m) => m.to === phone && m.body.startsWith('offer '));
    expect(carried).toHaveLength(20);
    expect(new Set(carried.map((m) => m.body)).size).toBe(20);
    expect(stored.every((m) => m.status === 'delivered')).toBe(true);
  });

  it('finds the message when the status callback beats the send call, and answers the same message again for an Idempotency-Key', async () => {
    const phone = `+1646${digits(7)}`;
    const conversationId = await optedInConversation(phone);
    const key = `retry-${randomUUID()}`;

    const [first, second] = await Promise.all([
      associate.send(conversationId, 'Only once', key),
      associate.send(conversationId, 'Only once', key),
    ]);
    const later = await associate.send(conversationId, 'Only once', key);
    const otherBody = await associate.send(conversationId, 'Something else', key);

    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(second.body.messageId).toBe(first.body.messageId);
    expect(later).toMatchObject({ status: 200, body: { messageId: first.body.messageId } });
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.type).toMatch(/idempotency-key-reused$/);
    // The answer never waits for Twilio: `queued`. The local carrier posts `sent` before it answers
    // the sender, so the callback beats the SID; the message still ends delivered, with its SID.
    const sent = first.status === 201 ? first : second;
    expect(sent.body.status).toBe('queued');
    await drain();
    expect((await outbox()).filter((m) => m.to === phone && m.body === 'Only once')).toHaveLength(1);
    const [stored] = (await messagesOf(conversationId)).filter((m) => m.text === 'Only once');
    expect(stored).toMatchObject({ status: 'delivered', twilioSid: expect.stringMatching(/^SM/) });
  });

  it.each([
    ['+15005550001', 21211],
    ['+15005550002', 21612],
    ['+15005550003', 21408],
    ['+15005550009', 21614],
  ])(
    'answers 201 queued at once when the carrier will refuse %s, then shows it failed with the code within 2 s, on the inbox item and as an event',
    async (phone, code) => {
      const conversationId = await optedInConversation(phone);

      const res = await associate.send(conversationId, 'Hello');

      expect(res).toMatchObject({ status: 201, body: { status: 'queued' } });
      const failedAt = Date.now();
      const latest = await eventually(
        async () => {
          const [message] = await messagesOf(conversationId);
          return message?.status === 'failed' ? message : undefined;
        },
        2_000,
        50,
      );
      expect(latest).toMatchObject({ messageId: res.body.messageId, status: 'failed', errorCode: String(code) });
      // The inbox item follows the message in a second write (functions/conversations/repository/delivery.ts),
      // so a reader may see the message failed a moment before its inbox item.
      const inboxItem = await eventually(
        async () => {
          const { lastMessage } = (await associate.conversation(conversationId)).body;
          return lastMessage?.status === 'failed' ? lastMessage : undefined;
        },
        2_000,
        50,
      );
      expect(Date.now() - failedAt).toBeLessThan(2_000);
      expect(inboxItem).toMatchObject({ status: 'failed', errorCode: String(code) });
      await eventually(async () =>
        (await localEvents('message.status')).find(
          (e) =>
            e.data.messageId === res.body.messageId && e.data.status === 'failed' && e.data.errorCode === String(code),
        ),
      );
    },
  );

  it('opts the customer out when the carrier refuses with 21610', async () => {
    const conversationId = await optedInConversation('+15005550004');

    const res = await associate.send(conversationId, 'Hello');
    await drain();

    expect(res.status).toBe(201);
    const [latest] = await messagesOf(conversationId);
    expect(latest).toMatchObject({ messageId: res.body.messageId, status: 'failed', errorCode: '21610' });
    expect((await associate.conversation(conversationId)).body.optIn).toBe('OPTED_OUT');
  });

  it.each([
    ['+15005550030', 'undelivered', '30003'],
    ['+15005550031', 'failed', '30007'],
  ])(
    'shows a delivery that %s reports %s (%s) on the message and on the inbox item',
    async (phone, status, errorCode) => {
      const conversationId = await optedInConversation(phone);

      const res = await associate.send(conversationId, 'Your order');
      await drain();

      expect(res.status).toBe(201);
      const [latest] = await messagesOf(conversationId);
      expect(latest).toMatchObject({ messageId: res.body.messageId, status, errorCode });
      const inbox = await associate.inbox('store');
      expect(
        inbox.body.items.find((c: { conversationId: string }) => c.conversationId === conversationId).lastMessage,
      ).toMatchObject({ status, errorCode, text: 'Your order' });
    },
  );
});

describe('the sender', () => {
  it('answers a send to a carrier that takes 10 s in under 1 s, and inbox reads stay fast while 20 such sends are in flight', async () => {
    const conversationId = await optedInConversation('+15005550040');
    const tag = randomUUID().slice(0, 8);

    const first = Date.now();
    const one = await associate.send(conversationId, `slow ${tag} 0`);
    expect(Date.now() - first).toBeLessThan(1_000);
    expect(one).toMatchObject({ status: 201, body: { status: 'queued' } });
    const sends = await Promise.all(
      Array.from({ length: 19 }, (_, i) => associate.send(conversationId, `slow ${tag} ${i + 1}`)),
    );
    expect(sends.map((s) => s.status)).toEqual(sends.map(() => 201));

    // The carrier holds every one of them for 10 s: reads meanwhile answer as fast as ever.
    const readTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      expect((await associate.inbox('store')).status).toBe(200);
      readTimes.push(Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(Math.max(...readTimes)).toBeLessThan(1_000);
    // Meanwhile the carrier still holds them: none has a SID yet, and every one answered 201 long ago.
    const inFlight = (await messagesOf(conversationId)).filter((m) => String(m.text).startsWith(`slow ${tag}`));
    expect(inFlight).toHaveLength(20);
    expect(inFlight.some((m) => !m.twilioSid)).toBe(true);

    await drain();
    const carried = (await outbox()).filter((m) => m.body.startsWith(`slow ${tag}`));
    expect(carried).toHaveLength(20);
    const stored = (await messagesOf(conversationId)).filter((m) => String(m.text).startsWith(`slow ${tag}`));
    expect(stored.every((m) => m.status === 'delivered')).toBe(true);
  });

  it.each([
    ['+15005550041', 'two HTTP 500s'],
    ['+15005550042', 'two 20429s'],
  ])('retries %s (%s) with backoff until the carrier takes it: delivered, handed over exactly once', async (phone) => {
    const conversationId = await optedInConversation(phone);
    const text = `flaky ${randomUUID()}`;

    const res = await associate.send(conversationId, text);
    expect(res).toMatchObject({ status: 201, body: { status: 'queued' } });
    await drain();

    const message = await eventually(async () => {
      const [latest] = await messagesOf(conversationId);
      return latest?.status === 'delivered' ? latest : undefined;
    });
    expect(message).toMatchObject({ messageId: res.body.messageId, twilioSid: expect.stringMatching(/^SM/) });
    expect(message.errorCode).toBeUndefined();
    expect((await outbox()).filter((m) => m.to === phone && m.body === text)).toHaveLength(1);
  });
});

describe('HELP', () => {
  it('answers HELP once through the REST API, even when Twilio delivers the webhook twice', async () => {
    const phone = `+1646${digits(7)}`;
    await optedInConversation(phone);
    const form = smsForm(phone, 'help');

    await Promise.all([twilioPost('/webhooks/twilio/sms', form), twilioPost('/webhooks/twilio/sms', form)]);
    await drain();
    await twilioPost('/webhooks/twilio/sms', form);
    await drain();

    await eventually(async () =>
      (await outbox()).some((m) => m.to === phone && m.body === 'Call us.') ? true : undefined,
    );
    expect((await outbox()).filter((m) => m.to === phone && m.body === 'Call us.')).toHaveLength(1);
  });
});
