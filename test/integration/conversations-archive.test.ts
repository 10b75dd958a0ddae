/** The daily archiver against DynamoDB Local: due conversations only, 4 calendar months across a month end. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { scheduledEvent } from '../../lib/lambda-events';
import { lambdaContext, type Caller } from '../support/http-events';
import { startInboundQueue } from '../support/inbound-queue';
import { signedTwilioForm } from '../../lib/local/carrier';

await useFreshTable('conv-archive');
const inboundQueue = await startInboundQueue();
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const webhook = invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler);
const { handler: archiver } = await import('../../functions/conversations/archiver.handler');
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');

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
