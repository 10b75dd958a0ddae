/**
 * Cart reminders (docs/rules.md, "Remote carts") through the carts and task-reminders handlers against
 * DynamoDB Local, with the real sender queue and local carrier behind them: a share plans one
 * reminder `cartReminderHours` before midnight; the task-reminders run fired at that time sends
 * it once, as an outbound message of the conversation by the sharer (counted in the store report
 * as theirs); a payment, a re-share (only the latest share's reminder goes), an opt-out and quiet
 * hours at release cancel or skip it; `remind: false`, reminders off and a time in quiet hours
 * plan none; a run reads the due index only, whatever is planned for later.
 */
import { DateTime } from 'luxon';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  associate,
  cartCalls,
  cartsApi,
  documentClient,
  itemsWithPrefix,
  messagesOf,
  outboxTo,
  pay,
  paymentId,
  seedConversation,
  shirt,
  tokenOf,
} from './carts-fixtures';
import type { Caller } from '../support/http-events';
import { lambdaContext } from '../support/http-events';
import { invoker } from '../support/invoke';
import { countRequests } from '../support/requests';
import { sendsSettled } from '../support/sender-queue';
import { scheduledEvent } from '../../lib/lambda-events';
import { useLocalScheduler } from '../support/zone-schedules';

await useLocalScheduler(); // a store saved through the API creates its zone's midnight schedule

const { handler: reminders } = await import('../../functions/tasks/reminders.handler');
const storesApi = invoker((await import('../../functions/stores/api.handler')).handler);
const conversations = await import('../../functions/conversations/repository');
const { storeReport } = await import('../../functions/reports/report-store');
const { dayOf } = await import('../../functions/reports/rules');
const { eraseConversationCarts } = await import('../../functions/carts/repository');
const { REMINDER_PREFIX } = await import('../../functions/carts/repository/keys');

/** A fixed-offset zone where it is between 09:00 and 11:59 now: every share of the suite has its reminder hours ahead. */
function morningZone(): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = DateTime.now().setZone(zone).hour;
    if (hour >= 9 && hour < 12) return zone;
  }
  throw new Error('no zone is in its morning');
}
const zone = morningZone();
const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const store = (storeId: string, phoneNumber: string, extra: Record<string, unknown> = {}) => ({
  storeId,
  body: {
    name: `Store ${storeId}`,
    timezone: zone,
    country: 'US',
    phoneNumber,
    currency: 'USD',
    quietHours: null,
    ...extra,
  },
});
const REMIND = store('remind-default', '+12125550191');
const LATER_QUIET = store('remind-later-quiet', '+12125550192');
const EVENING_QUIET = store('remind-evening-quiet', '+12125550193', { quietHours: { start: '21:00', end: '08:00' } });
const OFF = store('remind-off', '+12125550194', { cartReminderHours: null });
const putStore = (s: { storeId: string; body: Record<string, unknown> }) =>
  storesApi({ routeKey: 'PUT /stores/{storeId}', pathParameters: { storeId: s.storeId }, body: s.body, caller: admin });

interface Run {
  cartReminders: { sent: number; skipped: number; leftover: number };
}
const runAt = async (time: Date): Promise<Run> => {
  const run = (await reminders(scheduledEvent('task-reminders', time), lambdaContext())) as Run;
  await sendsSettled();
  return run;
};
const shifted = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

/** An opted-in conversation at the store with a one-line cart, shared by `sharer` (body: the share's options). */
async function shared(storeId: string, sharer: string, body?: Record<string, unknown>) {
  const { conversationId, phone } = await seedConversation(storeId);
  const caller = associate(storeId, sharer);
  const cart = cartCalls(conversationId, caller);
  await cart.putItem('SHIRT', shirt);
  return { conversationId, phone, cart, caller, share: await share(conversationId, caller, body) };
}
const share = async (conversationId: string, caller: Caller, body?: Record<string, unknown>) => {
  const answer = await cartsApi({
    routeKey: 'POST /conversations/{conversationId}/cart/share',
    pathParameters: { conversationId },
    ...(body ? { body } : {}),
    caller,
  });
  expect(answer.status).toBe(200);
  return answer.body as { url: string; expiresAt: string; reminderAt?: string };
};
const remindersIn = async (conversationId: string) =>
  (await messagesOf(conversationId)).filter((m) => m.direction === 'outbound' && m.text?.includes('a reminder'));

beforeAll(async () => {
  for (const s of [REMIND, LATER_QUIET, EVENING_QUIET, OFF]) expect((await putStore(s)).status).toBe(201);
});

describe('the store field', () => {
  it('defaults to 3 hours, takes 1 to 12 or null, and refuses anything else with a 400 naming it', async () => {
    expect((await putStore(REMIND)).body).toMatchObject({ cartReminderHours: 3 });
    expect((await putStore(OFF)).body).toMatchObject({ cartReminderHours: null });
    for (const bad of [0, 13, 2.5, '3']) {
      const answer = await putStore({ ...REMIND, body: { ...REMIND.body, cartReminderHours: bad } });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('cartReminderHours');
    }
    const twelve = await putStore({ ...LATER_QUIET, body: { ...LATER_QUIET.body, cartReminderHours: 12 } });
    expect(twelve.body).toMatchObject({ cartReminderHours: 12 });
    expect((await putStore(LATER_QUIET)).body).toMatchObject({ cartReminderHours: 3 });
  });
});

describe('a shared cart reminder', () => {
  it('goes once, at cartReminderHours before midnight, as the sharer’s message through the sender queue', async () => {
    const { conversationId, phone, share: link } = await shared(REMIND.storeId, 'rita');
    expect(link.reminderAt).toBe(shifted(link.expiresAt, -3 * 3600).toISOString());
    const reminderAt = link.reminderAt!;

    expect((await runAt(shifted(reminderAt, -60))).cartReminders.sent).toBe(0);
    expect(await remindersIn(conversationId)).toEqual([]);

    expect((await runAt(shifted(reminderAt, 30))).cartReminders).toMatchObject({ sent: 1, skipped: 0 });
    const [reminder, ...more] = await remindersIn(conversationId);
    expect(more).toEqual([]);
    expect(reminder).toMatchObject({ direction: 'outbound', kind: 'sms', sentBy: 'rita' });
    expect(reminder!.text).toContain(link.url);
    const delivered = (await outboxTo(phone)).filter((entry) => entry.body.includes('a reminder'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.body).toContain(link.url);

    // A second run, and a later one, send nothing.
    expect((await runAt(shifted(reminderAt, 45))).cartReminders.sent).toBe(0);
    expect((await runAt(shifted(reminderAt, 600))).cartReminders.sent).toBe(0);
    expect(await remindersIn(conversationId)).toHaveLength(1);

    // Counted in the store report as the sharer's: the link and the reminder are two messages sent.
    const day = dayOf(new Date());
    const report = await storeReport(REMIND.storeId, day, dayOf(shifted(new Date().toISOString(), 2 * 86_400)));
    expect(report.associates.find((a) => a.userId === 'rita')).toMatchObject({ messagesSent: 2, cartsShared: 1 });
  });

  it('is cancelled by a payment', async () => {
    const { conversationId, share: link } = await shared(REMIND.storeId, 'paul');
    const paid = await pay({
      token: tokenOf(link.url),
      amount: shirt.unitPrice * shirt.quantity,
      currency: 'USD',
      paymentId: paymentId(),
    });
    expect(paid.status).toBe(200);
    const run = await runAt(shifted(link.reminderAt!, 30));
    expect(run.cartReminders).toMatchObject({ sent: 0, skipped: 1 });
    expect(await remindersIn(conversationId)).toEqual([]);
  });

  it('is replaced by a re-share: only the latest share’s link is reminded, once', async () => {
    const { conversationId, caller, share: first } = await shared(REMIND.storeId, 'rosa');
    const second = await share(conversationId, caller);
    expect(second.url).not.toBe(first.url);
    expect(second.reminderAt).toBe(first.reminderAt);
    expect((await runAt(shifted(second.reminderAt!, 30))).cartReminders.sent).toBe(1);
    const sent = await remindersIn(conversationId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(second.url);
    expect(sent[0]!.text).not.toContain(first.url);
  });

  it('is cancelled by a re-share with remind: false', async () => {
    const { conversationId, caller } = await shared(REMIND.storeId, 'remy');
    const again = await share(conversationId, caller, { remind: false });
    expect(again).not.toHaveProperty('reminderAt');
    const reminderAt = shifted(again.expiresAt, -3 * 3600);
    expect((await runAt(shifted(reminderAt.toISOString(), 30))).cartReminders.sent).toBe(0);
    expect(await remindersIn(conversationId)).toEqual([]);
  });

  it('is not sent to a customer who opted out since the share', async () => {
    const { conversationId, phone, share: link } = await shared(REMIND.storeId, 'omar');
    const conversation = (await conversations.getConversation(conversationId))!;
    await conversations.changeOptIn(
      conversation,
      { type: 'keyword', kind: 'opt-out' },
      { source: 'KEYWORD', at: new Date() },
    );
    expect((await runAt(shifted(link.reminderAt!, 30))).cartReminders).toMatchObject({ sent: 0, skipped: 1 });
    expect(await remindersIn(conversationId)).toEqual([]);
    expect((await outboxTo(phone)).filter((entry) => entry.body.includes('a reminder'))).toEqual([]);
    // Dropped, not kept for later: a run after the customer opts in again sends nothing either.
    expect((await runAt(shifted(link.reminderAt!, 90))).cartReminders.skipped).toBe(0);
  });

  it('is skipped when it is quiet hours at the store when it falls due (skipped, not held)', async () => {
    const { conversationId, share: link } = await shared(LATER_QUIET.storeId, 'quinn');
    expect(link.reminderAt).toBeDefined();
    // The store's quiet hours now start before the reminder's time (21:00 local).
    const quiet = { ...LATER_QUIET, body: { ...LATER_QUIET.body, quietHours: { start: '20:30', end: '08:00' } } };
    expect((await putStore(quiet)).status).toBe(200);
    expect((await runAt(shifted(link.reminderAt!, 30))).cartReminders).toMatchObject({ sent: 0, skipped: 1 });
    // Not held for the morning: after quiet hours end nothing goes out either.
    const morning = DateTime.fromISO(link.expiresAt, { zone }).set({ hour: 8, minute: 1 }).toJSDate();
    expect((await runAt(morning)).cartReminders.sent).toBe(0);
    expect(await remindersIn(conversationId)).toEqual([]);
    expect((await putStore(LATER_QUIET)).status).toBe(200);
  });
});

describe('a reminder that cannot be planned', () => {
  it('leaves the share a success, without reminderAt: the link is already out', async () => {
    const send = documentClient.send.bind(documentClient);
    const fault = vi.spyOn(documentClient, 'send').mockImplementation(((command: unknown) => {
      if (command instanceof PutCommand && command.input.Item?.type === 'cartReminder')
        return Promise.reject(new Error('injected: the reminder write fails'));
      return send(command as never);
    }) as never);
    try {
      const { conversationId, share: link } = await shared(REMIND.storeId, 'faye');
      expect(link.url).toMatch(/\/c\//);
      expect(link).not.toHaveProperty('reminderAt');
      expect(fault).toHaveBeenCalled();
      expect((await messagesOf(conversationId)).filter((m) => m.direction === 'outbound')).toHaveLength(1);
    } finally {
      fault.mockRestore();
    }
  });
});

describe("an erased customer's carts", () => {
  it('take their reminders with them', async () => {
    const { conversationId, share: link } = await shared(REMIND.storeId, 'erin');
    const ofConversation = async () =>
      (await itemsWithPrefix(REMINDER_PREFIX)).filter((item) => item.conversationId === conversationId);
    expect(await ofConversation()).toHaveLength(1);
    await eraseConversationCarts(conversationId);
    expect(await ofConversation()).toEqual([]);
    expect((await runAt(shifted(link.reminderAt!, 30))).cartReminders.sent).toBe(0);
  });
});

describe('no reminder is planned', () => {
  it('with remind: false, at a store with reminders off, or when its time falls in quiet hours', async () => {
    const declined = await shared(REMIND.storeId, 'dana', { remind: false });
    const off = await shared(OFF.storeId, 'otto');
    const evening = await shared(EVENING_QUIET.storeId, 'eve'); // 3 h before midnight is 21:00: quiet hours
    for (const { share: link } of [declined, off, evening]) expect(link).not.toHaveProperty('reminderAt');
    const due = shifted(declined.share.expiresAt, -3 * 3600 + 30);
    expect((await runAt(due)).cartReminders).toMatchObject({ sent: 0, skipped: 0 });
    for (const { conversationId } of [declined, off, evening]) expect(await remindersIn(conversationId)).toEqual([]);
  });

  it('before its time, a run reads the due index only, however many reminders wait for later', async () => {
    const early = shifted(new Date().toISOString(), 60);
    await sendsSettled(); // the sender's work for earlier shares is not the run's
    const before = await countRequests(() => runAt(early));
    for (const sharer of ['w1', 'w2', 'w3', 'w4', 'w5']) await shared(REMIND.storeId, sharer);
    await sendsSettled();
    const afterSharing = await countRequests(() => runAt(early));
    expect(afterSharing.result.cartReminders).toMatchObject({ sent: 0, skipped: 0 });
    expect(afterSharing.total).toBe(before.total);
    expect(afterSharing.calls).toEqual(before.calls);
  });
});
