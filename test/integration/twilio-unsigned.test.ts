/**
 * Public webhooks refuse unsigned requests before any database or queue call (the design's
 * section 9): a flood of unsigned or wrongly signed requests to either Twilio route is answered
 * 403 problem+json, and the handlers' DynamoDB and SQS clients see not one call. The clients are
 * spied on, not mocked: every call still reaches DynamoDB Local and the local inbound queue, and
 * one correctly signed request at the end shows the spies do see what a handler calls.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signedTwilioForm } from '../../lib/local/carrier';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { startInboundQueue } from '../support/inbound-queue';

const tableName = await useFreshTable('twilio-unsigned');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const inboundQueue = await startInboundQueue();
const { dynamo, documentClient, sqs } = await import('../../functions/shared/clients');
const { putStore } = await import('../../functions/stores/repository');
const webhooks = {
  '/webhooks/twilio/sms': invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler),
  '/webhooks/twilio/status': invoker((await import('../../functions/conversations/twilio-status.handler')).handler),
} as const;
type WebhookPath = keyof typeof webhooks;

const STORE_PHONE = '+12125550199';
const REQUESTS_PER_ROUTE = 200;

/** Items in the table, read around the spies (the scan itself is not the handlers' doing). */
const tableItems = async () => (await dynamo.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }))).Count;

/** What Twilio would post to each route: a text to the store, or a delivery status naming a message. */
const formFor = (path: WebhookPath, i: number): { form: Record<string, string>; query: Record<string, string> } =>
  path === '/webhooks/twilio/sms'
    ? {
        form: { MessageSid: `SMunsigned${i}`, From: '+15550001111', To: STORE_PHONE, Body: 'STOP', NumMedia: '0' },
        query: {},
      }
    : {
        form: { MessageSid: `SMstatus${i}`, MessageStatus: 'delivered' },
        query: { conversationId: 'c1', messageId: 'm1' },
      };

/** Half without a signature, half signed with another account's token, every tenth signed for another URL. */
function forgedRequest(path: WebhookPath, i: number) {
  const { form, query } = formFor(path, i);
  const queryString = new URLSearchParams(query).toString();
  const url = `${process.env.PUBLIC_BASE_URL}${path}${queryString ? `?${queryString}` : ''}`;
  const headers =
    i % 2 === 0
      ? { 'content-type': 'application/x-www-form-urlencoded' }
      : signedTwilioForm(i % 10 === 1 ? `https://elsewhere.example${path}` : url, form, 'not-our-token').headers;
  return { routeKey: `POST ${path}`, rawBody: new URLSearchParams(form).toString(), headers, query };
}

function spyOnClients() {
  return {
    dynamo: vi.spyOn(dynamo, 'send'),
    documentClient: vi.spyOn(documentClient, 'send'),
    sqs: vi.spyOn(sqs(), 'send'),
  };
}

beforeAll(async () => {
  // A real store on the number: a signed request would find it, record the message and queue it.
  await putStore(
    'unsigned-nyc',
    {
      name: 'Unsigned test store',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: STORE_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
});
afterEach(() => vi.restoreAllMocks());

describe('Twilio webhooks without a valid signature', () => {
  it.each(Object.keys(webhooks) as WebhookPath[])(
    `%s: ${REQUESTS_PER_ROUTE} unsigned or wrongly signed requests are 403 problem+json, with no DynamoDB or SQS call`,
    async (path) => {
      const itemsBefore = await tableItems();
      const spies = spyOnClients();

      const answers = [];
      for (let start = 0; start < REQUESTS_PER_ROUTE; start += 20) {
        const batch = Array.from({ length: 20 }, (_, k) => webhooks[path](forgedRequest(path, start + k)));
        answers.push(...(await Promise.all(batch)));
      }
      await inboundQueue.drained();

      expect(answers).toHaveLength(REQUESTS_PER_ROUTE);
      for (const answer of answers) {
        expect(answer.status).toBe(403);
        expect(answer.headers['content-type']).toBe('application/problem+json');
      }
      expect(spies.dynamo).not.toHaveBeenCalled();
      expect(spies.documentClient).not.toHaveBeenCalled();
      expect(spies.sqs).not.toHaveBeenCalled();
      vi.restoreAllMocks();
      expect(await tableItems()).toBe(itemsBefore);
      expect(inboundQueue.deadLetters()).toBe(0);
    },
    60_000,
  );

  it('a correctly signed request, by contrast, reaches the table and the queue through the same spies', async () => {
    const spies = spyOnClients();
    const { form } = formFor('/webhooks/twilio/sms', 0);
    const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, form);

    const answer = await webhooks['/webhooks/twilio/sms']({
      routeKey: 'POST /webhooks/twilio/sms',
      rawBody: signed.body,
      headers: signed.headers,
    });

    expect(answer.status).toBe(200);
    expect(spies.dynamo.mock.calls.length + spies.documentClient.mock.calls.length).toBeGreaterThan(0);
    expect(spies.sqs).toHaveBeenCalled();
    await inboundQueue.drained();
  });
});
