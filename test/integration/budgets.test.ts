/**
 * The DynamoDB request budgets of the message path and the inboxes (docs/architecture.md,
 * "Budgets"), counted on DynamoDB Local: each operation costs at most its budget, and the same
 * whatever the history (a caller with 3 or 2,000 assigned conversations). SQS is replaced by a
 * recorder here, so each job is handed to its worker by the test and counted on its own.
 */
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedTwilioForm } from '../../lib/local/carrier';
import type { Caller } from '../support/http-events';
import { invoker } from '../support/invoke';
import { countRequests } from '../support/requests';
import { useFreshTable } from '../support/table';

await useFreshTable('budgets');
process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'budgets-')), 'outbox.jsonl');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
process.env.INBOUND_QUEUE_URL = 'http://127.0.0.1:1/queue/budgets-inbound.fifo'; // never reached: SQS is recorded
const { documentClient, sqs } = await import('../../functions/shared/clients');
const queued = mockClient(sqs());
queued.on(SendMessageCommand).resolves({ MessageId: 'm' });
queued.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const smsWebhook = invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler);
const statusWebhook = invoker((await import('../../functions/conversations/twilio-status.handler')).handler);
const { applyInbound } = await import('../../functions/conversations/inbound');
const { InboundJob } = await import('../../functions/conversations/inbound-queue');
const { handOver, senderSettings, statusCallbackUrl } = await import('../../functions/conversations/hand-over');
const { SenderJob } = await import('../../functions/conversations/sender-queue');
const { applyAttribution } = await import('../../functions/reports/attribution-worker.handler');
const { AttributionJob } = await import('../../functions/reports/attribution-queue');
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const { batchWriteAll } = await import('../../functions/shared/dynamo/batches');

const STORE_PHONE = '+16175550100';
const ada: Caller = { userId: 'ada', role: 'associate', storeId: 'bos' };
const few: Caller = { userId: 'few', role: 'associate', storeId: 'bos' };
const many: Caller = { userId: 'many', role: 'associate', storeId: 'bos' };

/** The budgets of docs/architecture.md, "Budgets". */
const BUDGET = {
  webhookAccepts: 2,
  workerApplies: 5,
  apiRecordsSend: 4,
  senderHandsOver: 3,
  inboxPage: 4,
  statusCallback: 3,
  /** A message's attribution (the attribution worker, off the message path): outreach and report counters. */
  attribution: 3,
};

/**
 * What was counted, by operation: written to BUDGETS_REPORT when the bench runs this file
 * (`npm run bench -- budgets`), which prints each beside its budget.
 */
const report: Record<string, { counted: number; budget: number; calls: string[] }> = {};
const counted = (operation: string, budget: number, count: { total: number; calls: string[] }) => {
  report[operation] = { counted: count.total, budget, calls: count.calls };
};
afterAll(() => {
  if (process.env.BUDGETS_REPORT) writeFileSync(process.env.BUDGETS_REPORT, JSON.stringify(report, null, 2));
});

/** The bodies of the SQS messages sent since the last call. */
function takeQueued(): string[] {
  const bodies = queued.commandCalls(SendMessageCommand).map((c) => c.args[0].input.MessageBody!);
  queued.resetHistory();
  return bodies;
}

let sid = 0;
let phone = 0;
const nextPhone = () => `+1617555${(2000 + ++phone).toString()}`;

async function conversationWith(customerPhone: string) {
  const { customer } = await createCustomer(
    { email: `${customerPhone.slice(1)}@example.test`, phone: customerPhone },
    new Date(),
  );
  return (await repository.openConversation({ storeId: 'bos', customer, now: new Date() })).conversation;
}

/** A webhook request signed as Twilio signs it: over the whole URL, its query included. */
const webhookRequest = (params: Record<string, string>, url: string) => {
  const signed = signedTwilioForm(url, params);
  const { pathname, searchParams } = new URL(url);
  return {
    routeKey: `POST ${pathname}`,
    rawBody: signed.body,
    headers: signed.headers,
    query: Object.fromEntries(searchParams),
  };
};
const inboundSms = (from: string, body: string) =>
  webhookRequest(
    {
      MessageSid: `SMb${(++sid).toString().padStart(31, '0')}`,
      AccountSid: 'AC_local',
      From: from,
      To: STORE_PHONE,
      Body: body,
      NumMedia: '0',
    },
    `${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`,
  );

/** The one attribution job queued since the last call, applied and counted. */
async function attribute() {
  const jobs = takeQueued();
  expect(jobs).toHaveLength(1);
  return countRequests(() => applyAttribution(AttributionJob.parse(JSON.parse(jobs[0]!))));
}

/** A customer's message through the webhook and then the worker: the counts of each step. */
async function customerWrites(from: string, body: string) {
  const accepted = await countRequests(() => smsWebhook(inboundSms(from, body)));
  expect(accepted.result.status).toBe(200);
  const [job] = takeQueued();
  const applied = await countRequests(() => applyInbound(InboundJob.parse(JSON.parse(job!))));
  expect(applied.result).toBe('stored');
  const attributed = await attribute();
  return { accepted, applied, attributed };
}

beforeAll(async () => {
  await putStore(
    'bos',
    {
      name: 'Newbury St',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: STORE_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
  // Every caller's first request of the day records them as staff: done here, outside the counts.
  for (const caller of [ada, few, many]) await call({ routeKey: 'GET /inbox', query: { scope: 'mine' }, caller });
});

describe('the message path', () => {
  it('costs its budget at each step: webhook, worker, API send, sender, status callback', async () => {
    const from = nextPhone();
    const conversation = await conversationWith(from);
    const optIn = await customerWrites(from, 'YES');
    const reply = await customerWrites(from, 'Do you have it in blue?');

    const send = await countRequests(() =>
      call({
        routeKey: 'POST /conversations/{conversationId}/messages',
        pathParameters: { conversationId: conversation.conversationId },
        body: { text: 'We do: shall I hold one?' },
        caller: ada,
      }),
    );
    expect(send.result.status).toBe(201);
    const jobs = takeQueued();
    expect(jobs).toHaveLength(1);
    const handedOver = await countRequests(() =>
      handOver(SenderJob.parse(JSON.parse(jobs[0]!)), {
        now: Date.now,
        publicBaseUrl: process.env.PUBLIC_BASE_URL!,
        // Paced as on AWS (1 message/s a number): the number's slot is one of the requests.
        settings: senderSettings({ SENDER_RATE_PER_NUMBER: '1' }),
      }),
    );
    expect(handedOver.result).toBe('sent');
    const sendAttributed = await attribute();
    const sent = (await repository.getMessage(conversation.conversationId, send.result.body.messageId))!;
    const callback = await countRequests(() =>
      statusWebhook(
        webhookRequest(
          { MessageSid: sent.twilioSid!, MessageStatus: 'delivered', AccountSid: 'AC_local' },
          statusCallbackUrl(process.env.PUBLIC_BASE_URL!, sent),
        ),
      ),
    );
    expect(callback.result.status).toBe(204);

    counted('the webhook accepts an inbound message', BUDGET.webhookAccepts, reply.accepted);
    counted('the worker applies an inbound text', BUDGET.workerApplies, reply.applied);
    counted('the API records a send', BUDGET.apiRecordsSend, send);
    counted('the sender hands one message to Twilio (paced)', BUDGET.senderHandsOver, handedOver);
    counted('a status callback', BUDGET.statusCallback, callback);
    counted("a customer's message's attribution", BUDGET.attribution, reply.attributed);
    counted("an associate's message's attribution", BUDGET.attribution, sendAttributed);
    const figures = {
      webhookAccepts: reply.accepted.total,
      workerApplies: reply.applied.total,
      apiRecordsSend: send.total,
      senderHandsOver: handedOver.total,
      statusCallback: callback.total,
      replyAttribution: reply.attributed.total,
      sendAttribution: sendAttributed.total,
    };
    // Counts are deterministic: the exact figures (docs/architecture.md, "Budgets"), each within its budget.
    expect(figures).toEqual({
      webhookAccepts: 2,
      workerApplies: 4,
      apiRecordsSend: 3,
      senderHandsOver: 3,
      statusCallback: 2,
      replyAttribution: 3,
      sendAttribution: 3,
    });
    for (const [operation, total] of Object.entries(figures))
      expect({
        operation,
        total,
        within: total <= (BUDGET[operation as keyof typeof BUDGET] ?? BUDGET.attribution),
      }).toEqual({
        operation,
        total,
        within: true,
      });
    // A keyword (an opt-in change) costs the same as a plain text.
    expect(optIn.applied.total).toBe(reply.applied.total);
    expect((await repository.getConversation(conversation.conversationId))?.assignee).toBe('ada');
  });
});

describe('an inbox page', () => {
  /**
   * `count` conversations assigned to the caller: one opened and assigned through the repository,
   * the rest copies of its item under new ids and activity times (a batch write, so 2,000 take
   * seconds), each with its own index entries.
   */
  const assignMany = async (caller: Caller, count: number) => {
    const model = await conversationWith(nextPhone());
    expect(await repository.setAssignee(model, caller.userId)).toBe(true);
    const { Item: item } = await documentClient.send(
      new GetCommand({ TableName: process.env.TABLE_NAME!, Key: { pk: `CONV#${model.conversationId}`, sk: 'CONV' } }),
    );
    const copies = Array.from({ length: count - 1 }, (_, i) => {
      const id = `${caller.userId}-${i.toString().padStart(5, '0')}`;
      const at = new Date(Date.parse(item!.lastActivityAt) - (i + 1) * 60_000).toISOString();
      return {
        PutRequest: {
          Item: {
            ...item,
            pk: `CONV#${id}`,
            conversationId: id,
            lastActivityAt: at,
            gsi1sk: `${at}#${id}`,
            gsi2sk: `${at}#${id}`,
            gsi3sk: `${at}#${id}`,
            // Every 7th carries a tag, as PUT /customers/{id}/tags copies it (the inbox's ?tag=).
            ...(i % 7 === 0 ? { tags: ['VIP'] } : {}),
          },
        },
      };
    });
    await batchWriteAll(process.env.TABLE_NAME!, copies, { concurrency: 4 });
  };
  const page = (caller: Caller, scope: 'mine' | 'store', cursor?: string, tag?: string) =>
    countRequests(() =>
      call({
        routeKey: 'GET /inbox',
        query: { scope, limit: '50', ...(cursor ? { cursor } : {}), ...(tag ? { tag } : {}) },
        caller,
      }),
    );

  beforeAll(async () => {
    await assignMany(few, 3);
    await assignMany(many, 2_000);
  }, 120_000);

  it('costs the same for 3 and for 2,000 assigned conversations, within the budget', async () => {
    const small = await page(few, 'mine');
    const large = await page(many, 'mine');
    const second = await page(many, 'mine', large.result.body.nextCursor);

    expect(small.result.body.items).toHaveLength(3);
    expect(large.result.body.items).toHaveLength(50);
    expect(second.result.body.items).toHaveLength(50);
    expect(second.result.body.items[0].conversationId).not.toBe(large.result.body.items[0].conversationId);
    counted('My Inbox, first page, 3 assigned conversations', BUDGET.inboxPage, small);
    counted('My Inbox, first page, 2,000 assigned conversations', BUDGET.inboxPage, large);
    counted('My Inbox, next page, 2,000 assigned conversations', BUDGET.inboxPage, second);
    expect(large.total).toBe(small.total);
    expect(large.total).toBeLessThanOrEqual(BUDGET.inboxPage);
    expect(second.total).toBeLessThanOrEqual(BUDGET.inboxPage);
  });

  it('costs the same in the Store Inbox of a store with 2,000 conversations', async () => {
    const first = await page(few, 'store');
    const next = await page(few, 'store', first.result.body.nextCursor);

    expect(first.result.body.items).toHaveLength(50);
    counted('Store Inbox, first page, 2,000 conversations', BUDGET.inboxPage, first);
    counted('Store Inbox, next page', BUDGET.inboxPage, next);
    expect(first.total).toBeLessThanOrEqual(BUDGET.inboxPage);
    expect(next.total).toBe(first.total);
  });

  it('costs no more filtered by a tag: the filter applies to the page read (docs/rules.md, "Notes and tags")', async () => {
    for (const scope of ['mine', 'store'] as const) {
      const plain = await page(many, scope);
      const tagged = await page(many, scope, undefined, 'vip');
      const items = tagged.result.body.items as { tags?: string[] }[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThan(50);
      expect(items.every((c) => c.tags?.includes('VIP'))).toBe(true);
      expect(tagged.result.body.nextCursor).not.toBeNull();
      expect(tagged.result.body.unreadTotal).toBe(plain.result.body.unreadTotal);
      counted(`${scope === 'mine' ? 'My' : 'Store'} Inbox, first page filtered by a tag`, BUDGET.inboxPage, tagged);
      expect(tagged.total).toBe(plain.total);
      // No conversation of the page has it: the markers' read is skipped, the page is empty with a cursor.
      const none = await page(many, scope, undefined, 'nobody-has-this');
      expect(none.result.body.items).toEqual([]);
      expect(none.result.body.nextCursor).not.toBeNull();
      expect(none.total).toBeLessThanOrEqual(plain.total);
    }
  });
});
