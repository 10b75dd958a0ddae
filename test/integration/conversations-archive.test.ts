/**
 * The archiver against DynamoDB Local: due conversations only, 4 calendar months across a month
 * end; what one archive costs (counted, whatever the readers); a run over many shards; a run
 * stopped by its deadline; unread totals exact once the stream has carried the readers along.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { lambdaContext as contextFor, scheduledEvent } from '../../lib/lambda-events';
import { lambdaContext, type Caller } from '../support/http-events';
import { countRequests } from '../support/requests';
import { startInboundQueue } from '../support/inbound-queue';
import { signedTwilioForm } from '../../lib/local/carrier';

await useFreshTable('conv-archive');
const inboundQueue = await startInboundQueue();
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const webhook = invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler);
const { handler: archiver } = await import('../../functions/conversations/archiver.handler');
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const { carryReaders } = await import('../../functions/conversations/carry-readers');
const { activityShard } = await import('../../functions/conversations/rules');
const { convKey } = await import('../../functions/conversations/repository/keys');

const STORE_PHONE = '+13125550100';
const manager: Caller = { userId: 'mgr', role: 'manager', storeId: 'chi' };

/** An EventBridge scheduled event as AWS delivers it. */
const scheduled = (time: string) => scheduledEvent('conversation-archiver', new Date(time));

async function conversationLastActiveAt(at: string, phone: string): Promise<string> {
  const { customer } = await createCustomer({ email: `${phone.slice(1)}@example.test`, phone }, new Date(at));
  const { conversation } = await repository.openConversation({ storeId: 'chi', customer, now: new Date(at) });
  await repository.setAssignee(conversation, 'mgr');
  return conversation.conversationId;
}

/** A signed inbound SMS, answered once the worker behind the queue has applied it. */
async function inbound(from: string, body: string) {
  const params = {
    MessageSid: `SM${from.slice(1)}${Date.now()}`,
    From: from,
    To: STORE_PHONE,
    Body: body,
    NumMedia: '0',
  };
  const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, params);
  const answer = await webhook({
    routeKey: 'POST /webhooks/twilio/sms',
    rawBody: signed.body,
    headers: signed.headers,
  });
  await inboundQueue.drained();
  return answer;
}

const ids = (res: { body: { items: Array<{ conversationId: string }> } }) =>
  res.body.items.map((c) => c.conversationId);
const storeInbox = (archived: boolean) =>
  call({ routeKey: 'GET /inbox', query: { scope: 'store', archived: String(archived) }, caller: manager });
const myInbox = (archived: boolean) =>
  call({ routeKey: 'GET /inbox', query: { scope: 'mine', archived: String(archived) }, caller: manager });

let feb28: string;
let mar01: string;
let jan15: string;

beforeAll(async () => {
  await putStore(
    'chi',
    {
      name: 'Michigan Ave',
      timezone: 'America/Chicago',
      country: 'US',
      phoneNumber: STORE_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
  jan15 = await conversationLastActiveAt('2026-01-15T09:00:00.000Z', '+13125550001');
  await repository.recordMessage(jan15, {
    messageId: repository.newMessageId(new Date('2026-01-15T09:05:00.000Z')),
    conversationId: jan15,
    direction: 'inbound',
    kind: 'sms',
    text: 'unanswered',
    media: [],
    twilioSid: 'SMjan15',
    status: 'received',
    createdAt: '2026-01-15T09:05:00.000Z',
  });
  feb28 = await conversationLastActiveAt('2026-02-28T11:00:00.000Z', '+13125550002');
  mar01 = await conversationLastActiveAt('2026-03-01T00:30:00.000Z', '+13125550003');
});

describe('the conversation archiver', () => {
  it('on 2026-06-30 archives what was last active before 2026-02-28 at that hour and keeps March conversations', async () => {
    const result = await archiver(scheduled('2026-06-30T12:00:00Z'), lambdaContext());

    expect(result).toMatchObject({ archived: 2, now: '2026-06-30T12:00:00.000Z' });
    expect((await repository.getConversation(jan15))?.archived).toBe(true);
    expect((await repository.getConversation(feb28))?.archived).toBe(true);
    expect((await repository.getConversation(mar01))?.archived).toBe(false);
    expect(ids(await storeInbox(false))).toEqual([mar01]);
    expect(ids(await storeInbox(true))).toEqual([feb28, jan15]);
    expect(ids(await myInbox(false))).toEqual([mar01]);
    expect(ids(await myInbox(true))).toEqual([feb28, jan15]);
    expect((await storeInbox(false)).body.unreadTotal).toBe(0);
    expect((await storeInbox(true)).body.unreadTotal).toBe(1);
    expect((await myInbox(false)).body.unreadTotal).toBe(0);
    expect((await myInbox(true)).body.unreadTotal).toBe(1);
  });

  it('is a no-op when run again for the same time', async () => {
    expect(await archiver(scheduled('2026-06-30T12:00:00Z'), lambdaContext())).toMatchObject({ archived: 0 });
  });

  it('archives the March 1st conversation on 2026-07-01 (four months later)', async () => {
    expect(await archiver(scheduled('2026-07-01T00:30:00Z'), lambdaContext())).toMatchObject({ archived: 0 });
    expect(await archiver(scheduled('2026-07-01T00:30:01Z'), lambdaContext())).toMatchObject({ archived: 1 });
    expect((await repository.getConversation(mar01))?.archived).toBe(true);
  });

  it('un-archives on a new message and carries the unread count between the views', async () => {
    await inbound('+13125550002', 'Hello again');

    const active = await storeInbox(false);
    expect((await repository.getConversation(feb28))?.archived).toBe(false);
    expect(ids(active)).toEqual([feb28]);
    expect(active.body.items[0].unread).toBe(1);
    expect(active.body.unreadTotal).toBe(1);
    expect((await storeInbox(true)).body.unreadTotal).toBe(1);
    expect(ids(await myInbox(false))).toEqual([feb28]);
    expect((await myInbox(false)).body.unreadTotal).toBe(1);
  });
});

// ── budgets, shards, deadlines (store `nyc`, active in May 2026, archived from October) ───────

const NYC_PHONE = '+12125550100';
let phones = 0;
const nextPhone = () => `+1212555${String(2000 + phones++).padStart(4, '0')}`;
const minutesAfter = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();

async function inboundAt(conversationId: string, at: string) {
  await repository.recordMessage(conversationId, {
    messageId: repository.newMessageId(new Date(at)),
    conversationId,
    direction: 'inbound',
    kind: 'sms',
    text: 'hi',
    media: [],
    twilioSid: `SM${conversationId.slice(0, 8)}${Date.parse(at)}`,
    status: 'received',
    createdAt: at,
  });
}

/** A conversation of `nyc` with 3 customer messages (or none): each of `readers` users read the first (2 unread each). */
async function nycConversation(at: string, readers: number, messages = true): Promise<string> {
  const phone = nextPhone();
  const { customer } = await createCustomer({ email: `${phone.slice(1)}@example.test`, phone }, new Date(at));
  const { conversation } = await repository.openConversation({ storeId: 'nyc', customer, now: new Date(at) });
  const id = conversation.conversationId;
  if (!messages) return id;
  await inboundAt(id, minutesAfter(at, 1));
  for (let u = 0; u < readers; u++) await repository.markRead(id, `u${u}`);
  await inboundAt(id, minutesAfter(at, 2));
  await inboundAt(id, minutesAfter(at, 3));
  return id;
}

/** What the table stream hands its consumer for these conversations' moves (old and new `archived`). */
const moves = (ids: readonly string[], archived: boolean) =>
  ids.map((id) => ({ oldImage: { ...convKey(id), archived: !archived }, newImage: { ...convKey(id), archived } }));

const totals = async (userId: string) => ({
  active: await repository.storeUnreadTotal('nyc', userId, false),
  archived: await repository.storeUnreadTotal('nyc', userId, true),
});

describe('the archiver at scale', () => {
  const OCTOBER = new Date('2026-10-01T12:00:00.000Z');
  const cutoff = '2026-06-01T12:00:00.000Z';
  let oneReader: string;
  let twentyReaders: string;

  beforeAll(async () => {
    await putStore(
      'nyc',
      {
        name: 'Fifth Ave',
        timezone: 'America/New_York',
        country: 'US',
        phoneNumber: NYC_PHONE,
        currency: 'USD',
        quietHours: null,
      },
      new Date(),
    );
    oneReader = await nycConversation('2026-05-10T10:00:00.000Z', 1);
    twentyReaders = await nycConversation('2026-05-11T10:00:00.000Z', 20);
  });

  it('archives one conversation in 2 DynamoDB requests, the same with 1 reader or 20', async () => {
    expect(await totals('u0')).toEqual({ active: 4, archived: 0 });
    expect(await totals('u5')).toEqual({ active: 5, archived: 0 });

    const one = await countRequests(() => repository.archiveIfInactive(oneReader, cutoff));
    const twenty = await countRequests(() => repository.archiveIfInactive(twentyReaders, cutoff));

    expect(one.result).toBe('archived');
    expect(twenty.result).toBe('archived');
    expect(one.byCommand).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    expect(twenty.total).toBe(one.total);
    expect(twenty.total).toBeLessThanOrEqual(3);
  });

  it('keeps the store unread totals exact once the stream carried the readers along, and again after un-archiving', async () => {
    // The stream's follow-up: one small transaction per reader, off the archiver's path.
    const carried = await countRequests(() => carryReaders(moves([oneReader, twentyReaders], true)));
    expect(carried.result).toBe(21);
    expect(await carryReaders(moves([oneReader, twentyReaders], true))).toBe(0);
    expect(await totals('u0')).toEqual({ active: 0, archived: 4 });
    expect(await totals('u5')).toEqual({ active: 0, archived: 5 });
    expect(await totals('nobody')).toEqual({ active: 0, archived: 6 });

    // A customer writes again: un-archived (no write per reader either), then the stream carries them back.
    const unarchive = await countRequests(() => inboundAt(twentyReaders, '2026-10-01T13:00:00.000Z'));
    expect(unarchive.byCommand.Query ?? 0).toBe(0);
    expect(await carryReaders(moves([twentyReaders], false))).toBe(20);
    expect(await totals('u0')).toEqual({ active: 3, archived: 2 });
    expect(await totals('u5')).toEqual({ active: 3, archived: 3 });
    expect(await totals('nobody')).toEqual({ active: 4, archived: 3 });

    // A reader who opens it before the stream got there moves their own marker first (markRead).
    await repository.markRead(twentyReaders, 'u7');
    expect(await totals('u7')).toEqual({ active: 0, archived: 3 });
  });

  it('archives many conversations across the shards in one run, 2 requests each', async () => {
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        nycConversation(`2026-05-12T10:${String(i).padStart(2, '0')}:00.000Z`, 0, false),
      ),
    );
    expect(new Set(ids.map(activityShard)).size).toBeGreaterThan(4);

    const run = await countRequests(() => repository.archiveInactive(OCTOBER, Date.now() + 60_000, 5));

    expect(run.result).toEqual({ archived: 40, skipped: 0, leftover: 0 });
    expect(run.byCommand.GetItem).toBe(40);
    expect(run.byCommand.TransactWriteItems).toBe(40);
    expect(await totals('nobody')).toEqual({ active: 4, archived: 3 });
  });

  it('stops taking work 15 s before its deadline and leaves the rest, untouched, to the next run', async () => {
    const ids = await Promise.all(
      Array.from({ length: 16 }, (_, i) => nycConversation(`2026-05-13T10:${String(i).padStart(2, '0')}:00.000Z`, 1)),
    );
    const before = await totals('u0');
    const active = async () =>
      (await Promise.all(ids.map((id) => repository.getConversation(id)))).filter((c) => !c!.archived).length;

    // 15 s left: the deadline has come, every page read is left over.
    const stopped = await archiver(
      scheduledEvent('conversation-archiver', OCTOBER),
      contextFor({ functionName: 'ConversationArchiver', timeoutSeconds: 15 }),
    );
    expect(stopped).toMatchObject({ archived: 0, leftover: 16 });
    expect(await active()).toBe(16);
    expect(await totals('u0')).toEqual(before);

    // A deadline that comes mid-run: whatever was archived is archived whole, the rest still due.
    const partial = await repository.archiveInactive(OCTOBER, Date.now() + 30, 1);
    expect(partial.archived + (await active())).toBe(16);
    const inbound = await totals('nobody');
    expect(inbound.active).toBe(4 + (await active()) * 3);

    const rest = await archiver(scheduledEvent('conversation-archiver', OCTOBER), lambdaContext());
    expect(rest).toMatchObject({ archived: 16 - partial.archived, leftover: 0 });
    expect(await active()).toBe(0);
    await carryReaders(moves(ids, true));
    expect(await totals('u0')).toEqual({ active: 3, archived: 2 + 16 * 2 });
  });
});
