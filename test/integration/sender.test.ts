/**
 * The sender queue's guarantees against DynamoDB Local and the local queues: a send recorded but
 * never queued (the process died, or SQS refused) is queued by the outbox sweep; the same job
 * delivered twice hands the message over once; a sender that died after its claim is settled by
 * Twilio's list once the claim expires (sent once if Twilio never took it, its SID recorded if it
 * did), and only a list unreadable for the whole retry window leaves UNKNOWN_OUTCOME. Twilio is
 * the local outbox.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { invoker } from '../support/invoke';
import type { Caller } from '../support/http-events';
import { sendsSettled, settledOutbox } from '../support/sender-queue';
import { useFreshTable } from '../support/table';

await useFreshTable('sender');
const outbox = join(mkdtempSync(join(tmpdir(), 'sender-outbox-')), 'outbox.jsonl');
process.env.OUTBOX_FILE = outbox;
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const { releaseDue } = await import('../../functions/conversations/release-due');
const { enqueueSend } = await import('../../functions/conversations/sender-queue');
const { sqs } = await import('../../functions/shared/clients');
const { appendToOutbox } = await import('../../functions/conversations/messenger');

const STORE_PHONE = '+12125550190';
const associate: Caller = { userId: 'sender-assoc', role: 'associate', storeId: 'sender-nyc' };
const minutesAfter = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const carriedTo = async (phone: string) => (await settledOutbox(outbox)).filter((l) => l.to === phone);
let phoneCounter = 0;

async function optedInConversation(): Promise<{ conversationId: string; phone: string }> {
  const phone = `+1555010${String(phoneCounter++).padStart(4, '0')}`;
  const { customer } = await createCustomer({ email: `sender-${phone.slice(1)}@example.test`, phone }, new Date());
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
  return { conversationId: opened.body.conversationId, phone };
}

const send = (conversationId: string, text: string) =>
  call({
    routeKey: 'POST /conversations/{conversationId}/messages',
    pathParameters: { conversationId },
    body: { text },
    caller: associate,
  });

beforeAll(async () => {
  await putStore(
    'sender-nyc',
    {
      name: 'Sender Street',
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

describe('the outbox', () => {
  it('queues a recorded send whose job never reached the queue, and it is handed over once', async () => {
    const { conversationId, phone } = await optedInConversation();
    vi.spyOn(sqs(), 'send').mockImplementationOnce((() => Promise.reject(new Error('SQS unreachable'))) as never);

    const res = await send(conversationId, 'Kept in the outbox');
    vi.restoreAllMocks();
    expect(res).toMatchObject({ status: 201, body: { status: 'queued' } });
    expect(await carriedTo(phone)).toHaveLength(0);

    // Before the grace has passed the sweep leaves it alone; after, it queues it again.
    expect((await releaseDue(new Date())).requeued).toBe(0);
    expect((await releaseDue(minutesAfter(3))).requeued).toBe(1);
    await sendsSettled();
    expect((await carriedTo(phone)).map((l) => l.body)).toEqual(['Kept in the outbox']);
    // Handed over: out of the outbox, so a later sweep finds nothing to do.
    expect(await releaseDue(minutesAfter(10))).toMatchObject({ requeued: 0, failed: 0 });
    expect(await carriedTo(phone)).toHaveLength(1);
    expect((await repository.getMessage(conversationId, res.body.messageId))?.twilioSid).toMatch(/^SMlocal/);
  });

  it('hands the message over once when its job is delivered several times at once', async () => {
    const { conversationId, phone } = await optedInConversation();
    const res = await send(conversationId, 'Only once please');
    const job = {
      conversationId,
      messageId: res.body.messageId,
      from: STORE_PHONE,
      priority: 'interactive',
      attempt: 0,
    } as const;

    await Promise.all(Array.from({ length: 5 }, () => enqueueSend(job)));
    await sendsSettled();

    expect(await carriedTo(phone)).toHaveLength(1);
  });

  /** A queued message whose sender claimed it and died: before Twilio took it, or after. */
  async function claimedAndDied(text: string) {
    const { conversationId, phone } = await optedInConversation();
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
      outbox: { to: phone, from: STORE_PHONE, priority: 'interactive', dueAt: new Date().toISOString() },
    });
    expect(await repository.claimSend({ conversationId, messageId: message.messageId }, new Date())).toBeDefined();
    return { conversationId, phone, messageId: message.messageId };
  }

  it('sends once a message whose sender died after its claim and before Twilio took it, once the claim expires', async () => {
    const { conversationId, phone, messageId } = await claimedAndDied('Did it go?');

    expect(await releaseDue(minutesAfter(1))).toMatchObject({ waiting: 1, failed: 0 });
    // Twilio's list has no such message: the claim is dropped and the message queued again.
    expect(await releaseDue(minutesAfter(6))).toMatchObject({ requeued: 1, failed: 0 });
    await sendsSettled();

    const carried = await carriedTo(phone);
    expect(carried.map((l) => l.body)).toEqual(['Did it go?']);
    expect(await repository.getMessage(conversationId, messageId)).toMatchObject({ twilioSid: carried[0]!.sid });
    expect(await releaseDue(minutesAfter(20))).toMatchObject({ failed: 0, requeued: 0 });
    expect(await carriedTo(phone)).toHaveLength(1);
  });

  it('records the SID of a message Twilio took before its sender died, and never sends it again', async () => {
    const { conversationId, phone, messageId } = await claimedAndDied('Taken, then the sender died');
    // Twilio took it; the sender died before it could keep the SID (and no status callback came).
    const { sid } = appendToOutbox({
      to: phone,
      from: STORE_PHONE,
      body: 'Taken, then the sender died',
      mediaUrls: [],
      statusCallback: '',
    });

    expect(await releaseDue(minutesAfter(6))).toMatchObject({ settled: 1, requeued: 0, failed: 0 });
    await sendsSettled();

    expect(await repository.getMessage(conversationId, messageId)).toMatchObject({ status: 'queued', twilioSid: sid });
    expect(await carriedTo(phone)).toHaveLength(1);
    expect(await releaseDue(minutesAfter(20))).toMatchObject({ failed: 0, requeued: 0 });
  });

  it("asks again while Twilio's list cannot be read, and ends UNKNOWN_OUTCOME after the retry window, never sent again", async () => {
    const { conversationId, phone, messageId } = await claimedAndDied('Nobody can tell');
    // The list cannot be read: the outbox path is a directory.
    process.env.OUTBOX_FILE = mkdtempSync(join(tmpdir(), 'sender-unreadable-'));
    try {
      expect(await releaseDue(minutesAfter(6))).toMatchObject({ leftover: 1, failed: 0, requeued: 0 });
      expect(await releaseDue(minutesAfter(21))).toMatchObject({ failed: 1, requeued: 0 });
    } finally {
      process.env.OUTBOX_FILE = outbox;
    }
    await sendsSettled();

    expect(await repository.getMessage(conversationId, messageId)).toMatchObject({
      status: 'failed',
      errorCode: 'UNKNOWN_OUTCOME',
    });
    expect((await repository.getConversation(conversationId))?.lastMessage).toMatchObject({
      status: 'failed',
      errorCode: 'UNKNOWN_OUTCOME',
    });
    expect(await carriedTo(phone)).toHaveLength(0);
  });
});

describe('the quiet-hours release', () => {
  it('releases every due message at 4 DynamoDB requests each and SQS batches of 10: one run covers far more than 50,000 in 30 minutes needs', async () => {
    const { RELEASE, RELEASES_PER_MINUTE_NEEDED, RELEASES_PER_RUN_CAPACITY } = await import('../../lib/load-model');
    const { countRequests } = await import('../support/requests');
    const conversations = await Promise.all(Array.from({ length: 30 }, () => optedInConversation()));
    const sendAt = minutesAfter(2).toISOString();
    for (const { conversationId } of conversations) {
      for (const text of ['Doors open at 8', 'See you soon']) {
        const res = await call({
          routeKey: 'POST /conversations/{conversationId}/messages',
          pathParameters: { conversationId },
          body: { text, sendAt },
          caller: associate,
        });
        expect(res.body.status).toBe('scheduled');
      }
    }
    // The queue takes the jobs but hands nothing to the sender yet, so only the release's own requests are counted.
    const sqsSend = vi.spyOn(sqs(), 'send').mockResolvedValue({ Failed: [] } as never);

    const run = await countRequests(() => releaseDue(minutesAfter(3)));

    expect(run.result).toMatchObject({ released: 60, failed: 0, leftover: 0 });
    // Per message: its state, its conversation's consent, the release, the inbox item; plus a query per shard page.
    const perMessage = run.total - (run.byCommand.Query ?? 0);
    expect(perMessage / 60).toBe(RELEASE.requestsPerMessage);
    // Jobs go ten to a batch send, one batch series per page: at most a partial batch per due shard beyond 60 / 10.
    expect(sqsSend.mock.calls.length).toBeLessThanOrEqual(60 / 10 + 8);
    expect(RELEASES_PER_RUN_CAPACITY).toBeGreaterThan(RELEASES_PER_MINUTE_NEEDED * 3);
    expect(run.byCommand).toEqual({ Query: run.byCommand.Query, GetItem: 120, UpdateItem: 120 });
    vi.restoreAllMocks();

    // Those jobs never reached a sender: past the grace, the outbox sweep queues them again, and each goes once.
    expect(await releaseDue(minutesAfter(4))).toMatchObject({ released: 0, requeued: 0 });
    expect(await releaseDue(minutesAfter(6))).toMatchObject({ released: 0, requeued: 60 });
    await sendsSettled();
    for (const { phone } of conversations) expect(await carriedTo(phone)).toHaveLength(2);
  });
});
