/**
 * The Twilio adapter at the HTTP level: the real twilio library sends its real REST request to a
 * local HTTP server standing in for api.twilio.com, and the test reads what arrived on the wire.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import type { Caller } from '../support/http-events';
import { sendsSettled } from '../support/sender-queue';
import { eventually } from '../support/e2e';

await useFreshTable('conv-twilio');
process.env.TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000001';
process.env.TWILIO_AUTH_TOKEN = 'live-test-token';
const { configureTwilioClients, sendViaTwilio, twilioClient, CarrierError, TWILIO_TIMEOUT_MS } = await import(
  '../../functions/conversations/messenger'
);
const { handler } = await import('../../functions/conversations/api.handler');
const statusWebhook = invoker((await import('../../functions/conversations/twilio-status.handler')).handler);
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const { handOver } = await import('../../functions/conversations/hand-over');
const { CircuitBreaker } = await import('../../functions/conversations/sending-rules');
const call = invoker(handler);

interface Captured {
  method: string;
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

const OPTED_OUT_PHONE = '+15550009999';
/** Numbers the fake Twilio answers badly: throttled (20429), down (500), or too slow, once. */
const THROTTLED_PHONE = '+15550007777';
const DOWN_PHONE = '+15550005000';
const SLOW_PHONE = '+15550006666';
/** Takes the first message, but answers only after the client gave up. */
const SLOW_TAKING_PHONE = '+15550006667';
let slowAnswersLeft = 1;
let slowTakingLeft = 1;
/** What the fake Twilio took, for its Messages list. */
const taken: Array<{ sid: string; to: string; from: string; body: string; date_created: string }> = [];
const captured: Captured[] = [];
let server: Server;
let baseUrl: string;

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
  });

/** Points every request of the twilio library at the local server, keeping path and query. */
class LocalTwilioHttp extends twilio.RequestClient {
  constructor(
    private readonly target: string,
    timeout = TWILIO_TIMEOUT_MS,
  ) {
    super({ timeout });
  }
  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = new URL(opts.uri);
    return super.request<TData>({ ...opts, uri: `${this.target}${uri.pathname}${uri.search}` });
  }
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    captured.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization, form });
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET') {
      const query = new URL(req.url!, baseUrl).searchParams;
      const messages = taken.filter((m) => m.to === query.get('To') && m.from === query.get('From')).reverse();
      res.statusCode = 200;
      res.end(JSON.stringify({ messages, page: 0, page_size: 50, next_page_uri: null }));
      return;
    }
    if (form.get('To') === SLOW_TAKING_PHONE && slowTakingLeft-- > 0) {
      const sid = `SMtaken${captured.length.toString().padStart(27, '0')}`;
      taken.push({
        sid,
        to: form.get('To')!,
        from: form.get('From')!,
        body: form.get('Body')!,
        date_created: new Date().toUTCString(),
      });
      setTimeout(() => {
        res.statusCode = 201;
        res.end(JSON.stringify({ sid, status: 'queued', to: form.get('To'), from: form.get('From') }));
      }, 2_500);
      return;
    }
    if (form.get('To') === THROTTLED_PHONE) {
      res.statusCode = 429;
      res.end(JSON.stringify({ code: 20429, message: 'Too Many Requests', status: 429 }));
      return;
    }
    if (form.get('To') === DOWN_PHONE) {
      res.statusCode = 500;
      res.end(JSON.stringify({ code: 20500, message: 'Internal Server Error', status: 500 }));
      return;
    }
    if (form.get('To') === SLOW_PHONE && slowAnswersLeft-- > 0) {
      // Longer than the client waits; by then the client has given up and the request was dropped.
      setTimeout(() => {
        res.statusCode = 503;
        res.end(JSON.stringify({ code: 20503, message: 'Service Unavailable', status: 503 }));
      }, 2_500);
      return;
    }
    if (form.get('To') === OPTED_OUT_PHONE) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          code: 21610,
          message: 'Attempt to send to unsubscribed recipient',
          more_info: 'https://www.twilio.com/docs/errors/21610',
          status: 400,
        }),
      );
      return;
    }
    res.statusCode = 201;
    res.end(
      JSON.stringify({
        sid: `SM${captured.length.toString().padStart(32, '0')}`,
        status: 'queued',
        to: form.get('To'),
        from: form.get('From'),
        body: form.get('Body'),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  configureTwilioClients({ httpClient: new LocalTwilioHttp(baseUrl), autoRetry: false });
  await putStore(
    'nyc',
    {
      name: 'Fifth Avenue',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: '+12125550100',
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
});

afterAll(async () => {
  configureTwilioClients(undefined);
  await new Promise((resolve) => server.close(resolve));
});

describe('the Twilio adapter', () => {
  it('posts To, From, Body, MediaUrl and StatusCallback as a form with basic auth to the Messages resource', async () => {
    const client = await twilioClient({
      accountSid: 'AC00000000000000000000000000000001',
      authToken: 'live-test-token',
    });

    const sent = await sendViaTwilio(client, {
      to: '+15550001111',
      from: '+12125550100',
      body: 'Hello from Fifth Avenue',
      mediaUrls: ['https://images.test/a.jpg?sig=1', 'https://images.test/b.png?sig=2'],
      statusCallback: 'https://api.example.test/webhooks/twilio/status',
    });

    const request = captured.at(-1)!;
    expect(sent.sid).toMatch(/^SM/);
    expect(sent.status).toBe('queued');
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json');
    expect(request.authorization).toBe(
      `Basic ${Buffer.from('AC00000000000000000000000000000001:live-test-token').toString('base64')}`,
    );
    expect(request.form.get('To')).toBe('+15550001111');
    expect(request.form.get('From')).toBe('+12125550100');
    expect(request.form.get('Body')).toBe('Hello from Fifth Avenue');
    expect(request.form.getAll('MediaUrl')).toEqual([
      'https://images.test/a.jpg?sig=1',
      'https://images.test/b.png?sig=2',
    ]);
    expect(request.form.get('StatusCallback')).toBe('https://api.example.test/webhooks/twilio/status');
  });

  it("turns Twilio's RestException 21610 into a refusal carrying the code", async () => {
    const client = await twilioClient({
      accountSid: 'AC00000000000000000000000000000001',
      authToken: 'live-test-token',
    });
    const attempt = sendViaTwilio(client, {
      to: OPTED_OUT_PHONE,
      from: '+12125550100',
      body: 'hi',
      mediaUrls: [],
      statusCallback: 'https://x.test/s',
    });
    await expect(attempt).rejects.toBeInstanceOf(CarrierError);
    await expect(attempt).rejects.toMatchObject({
      twilioCode: 21610,
      failure: { kind: 'refused', errorCode: '21610' },
    });
  });
});

describe('sending for real through the API', () => {
  const associate: Caller = { userId: 'assoc-1', role: 'associate', storeId: 'nyc' };

  async function optedInConversation(phone: string, email: string) {
    const { customer } = await createCustomer({ email, phone, firstName: 'Ada' }, new Date());
    const opened = await call({
      routeKey: 'POST /conversations',
      body: { customerId: customer.customerId },
      caller: associate,
    });
    const conversation = (await repository.getConversation(opened.body.conversationId))!;
    await repository.changeOptIn(
      conversation,
      { type: 'keyword', kind: 'opt-in' },
      { source: 'KEYWORD', at: new Date() },
    );
    return opened.body.conversationId as string;
  }

  const send = (conversationId: string, text: string, headers: Record<string, string> = {}) =>
    call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId },
      body: { text },
      headers,
      caller: associate,
    });
  const toPhone = (phone: string) => captured.filter((c) => c.form.get('To') === phone);
  /** A queued message recorded as the API records one, but with no job on the queue: the test hands it over itself. */
  async function recordQueued(conversationId: string, to: string, text: string): Promise<string> {
    const message = {
      messageId: repository.newMessageId(new Date()),
      conversationId,
      direction: 'outbound' as const,
      kind: 'sms' as const,
      text,
      media: [],
      status: 'queued' as const,
      createdAt: new Date().toISOString(),
    };
    await repository.recordMessage(conversationId, message, {
      sendKind: 'message',
      outbox: { to, from: '+12125550100', priority: 'interactive', dueAt: new Date().toISOString() },
    });
    return message.messageId;
  }

  it('records the send queued and answers at once; the sender posts it to the Twilio REST API with our status callback and keeps the SID', async () => {
    const conversationId = await optedInConversation('+15550001234', 'ada.live@example.test');

    const res = await send(conversationId, 'Your jacket is in');

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ direction: 'outbound', sentBy: 'assoc-1', status: 'queued' });
    expect(res.body.twilioSid).toBeUndefined();
    await sendsSettled();
    const request = toPhone('+15550001234').at(-1)!;
    expect(request.form.get('Body')).toBe('Your jacket is in');
    expect(request.form.get('StatusCallback')).toBe(
      `${process.env.PUBLIC_BASE_URL}/webhooks/twilio/status?conversationId=${conversationId}&messageId=${res.body.messageId}`,
    );
    expect(await repository.getMessage(conversationId, res.body.messageId)).toMatchObject({
      status: 'queued',
      twilioSid: expect.stringMatching(/^SM0+\d+$/),
    });
  });

  it('marks the message failed with 21610 and the customer opted out when Twilio refuses it; the API had answered 201', async () => {
    const conversationId = await optedInConversation(OPTED_OUT_PHONE, 'gone@example.test');

    const res = await send(conversationId, 'Hello?');
    await sendsSettled();

    expect(res.status).toBe(201);
    expect(await repository.getMessage(conversationId, res.body.messageId)).toMatchObject({
      status: 'failed',
      errorCode: '21610',
    });
    expect((await repository.getConversation(conversationId))?.optIn).toBe('OPTED_OUT');
    expect((await repository.optInHistory(conversationId)).at(-1)).toMatchObject({
      from: 'OPTED_IN',
      to: 'OPTED_OUT',
      source: 'CARRIER',
    });
  });

  it('waits for a slow Twilio off the request path: a timed-out try is retried, and the message is handed over once', async () => {
    configureTwilioClients({ httpClient: new LocalTwilioHttp(baseUrl, 1_000), autoRetry: false });
    try {
      const conversationId = await optedInConversation(SLOW_PHONE, 'slow@example.test');

      const started = Date.now();
      const first = await send(conversationId, 'Are you there?', { 'idempotency-key': 'slow-1' });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(first).toMatchObject({ status: 201, body: { status: 'queued' } });
      await sendsSettled();
      const replayed = await send(conversationId, 'Are you there?', { 'idempotency-key': 'slow-1' });

      expect(replayed).toMatchObject({
        status: 200,
        body: { messageId: first.body.messageId, twilioSid: expect.stringMatching(/^SM/) },
      });
      // The timed-out try (Twilio never answered it) and the one it took.
      expect(toPhone(SLOW_PHONE)).toHaveLength(2);
      const messages = (await repository.listMessages(conversationId, 50)).items.filter(
        (m) => m.text === 'Are you there?',
      );
      expect(messages).toHaveLength(1);
    } finally {
      configureTwilioClients({ httpClient: new LocalTwilioHttp(baseUrl), autoRetry: false });
    }
  }, 20_000);

  it('does not send again a timed-out try that Twilio had taken: the retry finds it in the Messages list and keeps its SID', async () => {
    configureTwilioClients({ httpClient: new LocalTwilioHttp(baseUrl, 1_000), autoRetry: false });
    try {
      const conversationId = await optedInConversation(SLOW_TAKING_PHONE, 'slow-taking@example.test');
      const sent = await send(conversationId, 'Did you get this?');
      expect(sent).toMatchObject({ status: 201, body: { status: 'queued' } });
      await sendsSettled();

      // One POST (it timed out, though Twilio took it), then the retry's look at the list, no second POST.
      expect(toPhone(SLOW_TAKING_PHONE)).toHaveLength(1);
      expect(captured.some((c) => c.method === 'GET' && c.path.includes(encodeURIComponent(SLOW_TAKING_PHONE)))).toBe(
        true,
      );
      expect(await repository.getMessage(conversationId, sent.body.messageId)).toMatchObject({
        status: 'queued',
        twilioSid: taken.find((m) => m.to === SLOW_TAKING_PHONE)!.sid,
      });
    } finally {
      configureTwilioClients({ httpClient: new LocalTwilioHttp(baseUrl), autoRetry: false });
    }
  }, 20_000);

  it.each([
    [THROTTLED_PHONE, '20429', 'throttled@example.test'],
    [DOWN_PHONE, '20500', 'down@example.test'],
  ])(
    'keeps a message Twilio answers %s to queued, tries it again after a backoff, and fails it with the last code once 15 minutes have passed',
    async (phone, errorCode, email) => {
      const conversationId = await optedInConversation(phone, email);
      const breaker = new CircuitBreaker();

      const res = await send(conversationId, 'Hello');
      expect(res.status).toBe(201);
      // The sender's first try failed: still queued, retriable, a later try booked.
      await eventually(async () => (toPhone(phone).length >= 2 ? true : undefined), 10_000, 50);
      expect(await repository.outboundState({ conversationId, messageId: res.body.messageId })).toMatchObject({
        status: 'queued',
        firstAttemptAt: expect.any(String),
      });

      // Stop this message's tries (the fake Twilio never recovers): a settled message is never claimed again.
      await repository.recordSendFailed({ conversationId, messageId: res.body.messageId }, errorCode);

      // A job that comes back after the 15-minute window: the message fails with the last code, for good.
      const messageId = await recordQueued(conversationId, phone, 'Hello again');
      const outcome = await handOver(
        {
          conversationId,
          messageId,
          from: '+12125550100',
          priority: 'interactive',
          attempt: 8,
          firstAttemptAt: new Date(Date.now() - 15 * 60_000).toISOString(),
        },
        { now: Date.now, publicBaseUrl: 'https://x.test', settings: { retryBaseSeconds: 1 }, breaker },
      );
      expect(outcome).toBe('gave-up');
      expect(await repository.getMessage(conversationId, messageId)).toMatchObject({ status: 'failed', errorCode });
    },
    20_000,
  );

  it('stops calling Twilio while it is down: after five failures in a row the breaker holds the jobs on the queue', async () => {
    const breaker = new CircuitBreaker(5, 60_000);
    const conversationId = await optedInConversation('+15550005001', 'down-breaker@example.test');
    const phone = '+15550005001';
    const recorded: string[] = [];
    for (let i = 0; i < 7; i++) recorded.push(await recordQueued(conversationId, DOWN_PHONE, `down ${i}`));
    const before = toPhone(DOWN_PHONE).length;
    const context = { now: Date.now, publicBaseUrl: 'https://x.test', settings: { retryBaseSeconds: 60 }, breaker };
    const outcomes = [];
    for (const messageId of recorded)
      outcomes.push(
        await handOver({ conversationId, messageId, from: phone, priority: 'interactive', attempt: 0 }, context),
      );

    expect(outcomes).toEqual([...Array(5).fill('retrying'), 'held-by-breaker', 'held-by-breaker']);
    expect(toPhone(DOWN_PHONE).length - before).toBe(5);
  });

  it('checks webhook signatures with the live auth token', async () => {
    const url = `${process.env.PUBLIC_BASE_URL}/webhooks/twilio/status`;
    const params = { MessageSid: 'SMunknown', MessageStatus: 'delivered' };
    const good = twilio.getExpectedTwilioSignature('live-test-token', url, params);
    const bad = twilio.getExpectedTwilioSignature('local-twilio-token', url, params);
    const send = (signature: string) =>
      statusWebhook({
        routeKey: 'POST /webhooks/twilio/status',
        rawBody: new URLSearchParams(params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      });

    expect((await send(good)).status).toBe(204);
    expect((await send(bad)).status).toBe(403);
  });
});
