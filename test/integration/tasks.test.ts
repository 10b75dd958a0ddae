/**
 * Follow-up tasks (docs/rules.md, "Tasks") through the tasks handlers against DynamoDB Local:
 * create, list by due time and page, patch with the assignment role matrix, another store's task
 * a 404; the task-reminders schedule reminding once and again after a snooze; CART_UNPAID written
 * once an hour before an unpaid shared cart expires and closed by its payment; the after-hours
 * task of a customer who wrote in quiet hours, once however often the change is delivered.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  associate,
  cartCalls,
  customerWrites,
  documentClient,
  NYC,
  pay,
  paymentId,
  QUIET,
  seedConversation,
  seedStores,
  shirt,
  tableName,
  TOKYO,
  tokenOf,
} from './carts-fixtures';
import type { Caller } from '../support/http-events';
import { invoker } from '../support/invoke';
import { lambdaContext } from '../support/http-events';
import { scheduledEvent } from '../../lib/lambda-events';

const api = invoker((await import('../../functions/tasks/api.handler')).handler);
const { handler: reminders } = await import('../../functions/tasks/reminders.handler');
const { followChanges } = await import('../../functions/tasks/system-tasks');
const { getTask } = await import('../../functions/tasks/repository');
const { paymentKey } = await import('../../functions/carts/repository/keys');
const { eventsOf } = await import('../../functions/events/rules');

const ana = associate(NYC.storeId, 'ana');
const ben = associate(NYC.storeId, 'ben');
const max: Caller = { userId: 'max', role: 'manager', storeId: NYC.storeId };
const oli = associate(TOKYO.storeId, 'oli');

const runAt = (time: string | Date) =>
  reminders(scheduledEvent('task-reminders', new Date(time)), lambdaContext()) as Promise<{
    cartTasks: number;
    reminded: number;
  }>;
const create = (caller: Caller, body: Record<string, unknown>) => api({ routeKey: 'POST /tasks', body, caller });
const list = (caller: Caller, query: Record<string, string> = {}) => api({ routeKey: 'GET /tasks', query, caller });
const patch = (caller: Caller, taskId: string, body: Record<string, unknown>) =>
  api({ routeKey: 'PATCH /tasks/{taskId}', pathParameters: { taskId }, body, caller });
const ids = (answer: { body: { items: { taskId: string }[] } }) => answer.body.items.map((t) => t.taskId);

beforeAll(async () => {
  await seedStores();
  for (const caller of [ana, ben, max, oli]) await list(caller); // each is recorded as staff of their store
});

describe('POST, GET and PATCH /tasks', () => {
  it("creates a task for the caller and lists the caller's and the store's earliest due first, paged", async () => {
    const later = await create(ana, { title: 'Call back about the coat', dueAt: '2031-01-02T10:00:00+01:00' });
    const sooner = await create(ana, { title: 'Send the lookbook', dueAt: '2031-01-01T09:00:00Z' });
    const bens = await create(ben, { title: "Ben's", dueAt: '2031-01-01T12:00:00Z' });
    expect(later.status).toBe(201);
    expect(later.body).toMatchObject({
      storeId: NYC.storeId,
      title: 'Call back about the coat',
      dueAt: '2031-01-02T09:00:00.000Z',
      assignee: 'ana',
      status: 'OPEN',
      source: 'MANUAL',
    });
    expect(later.body).not.toHaveProperty('remindedAt');

    expect(ids(await list(ana))).toEqual([sooner.body.taskId, later.body.taskId]);
    const store = await list(max, { scope: 'store' });
    expect(ids(store)).toEqual([sooner.body.taskId, bens.body.taskId, later.body.taskId]);
    expect(ids(await list(ana, { dueBefore: '2031-01-02T00:00:00Z' }))).toEqual([sooner.body.taskId]);

    const first = await list(ana, { limit: '1' });
    expect(ids(first)).toEqual([sooner.body.taskId]);
    const second = await list(ana, { limit: '1', cursor: first.body.nextCursor });
    expect(ids(second)).toEqual([later.body.taskId]);
    expect((await list(ben, { limit: '1', cursor: first.body.nextCursor })).status).toBe(400);
  });

  it('refuses a long title, an unknown field and a conversation of another store', async () => {
    const tooLong = await create(ana, { title: 'x'.repeat(201), dueAt: '2031-01-01T09:00:00Z' });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body.errors)).toContain('title');
    expect((await create(ana, { title: 'a', dueAt: '2031-01-01T09:00:00Z', status: 'DONE' })).status).toBe(400);
    const { conversationId } = await seedConversation(TOKYO.storeId);
    expect((await create(ana, { title: 'a', dueAt: '2031-01-01T09:00:00Z', conversationId })).status).toBe(404);
    const own = await create(oli, { title: 'a', dueAt: '2031-01-01T09:00:00Z', conversationId });
    expect(own.status).toBe(201);
    expect(own.body.customerId).toBeDefined();
    expect(
      (await create(ana, { title: 'a', dueAt: '2031-01-01T09:00:00Z', customerId: own.body.customerId })).status,
    ).toBe(404);
  });

  it('closes, reopens and reassigns by the assignment rules; another store gets 404', async () => {
    const task = (await create(ana, { title: 'Follow up', dueAt: '2031-02-01T09:00:00Z' })).body;
    expect((await create(ana, { title: 'For Ben', dueAt: '2031-02-01T09:00:00Z', assignee: 'ben' })).status).toBe(403);
    expect((await patch(ben, task.taskId, { assignee: 'ben' })).status).toBe(403);
    expect((await patch(ana, task.taskId, { assignee: 'nobody-here' })).status).toBe(422);
    expect((await patch(oli, task.taskId, { status: 'DONE' })).status).toBe(404);
    expect((await patch(ana, task.taskId, { assignee: 'ben' })).body.assignee).toBe('ben');
    expect((await patch(ana, task.taskId, { assignee: 'ana' })).status).toBe(403);
    expect((await patch(max, task.taskId, { assignee: null })).body.assignee).toBeNull();
    expect((await patch(ana, task.taskId, { assignee: 'ben' })).status).toBe(403);
    expect((await patch(ana, task.taskId, { assignee: 'ana' })).body.assignee).toBe('ana');

    const done = await patch(ana, task.taskId, { status: 'DONE' });
    expect(done.body).toMatchObject({ status: 'DONE', doneAt: expect.any(String) });
    expect(ids(await list(ana, { status: 'DONE' }))).toContain(task.taskId);
    expect(ids(await list(ana))).not.toContain(task.taskId);
    const reopened = await patch(ana, task.taskId, { status: 'OPEN' });
    expect(reopened.body.status).toBe('OPEN');
    expect(reopened.body).not.toHaveProperty('doneAt');
  });
});

describe('the task-reminders schedule', () => {
  it('reminds a due task once, and again at its new time after a snooze', async () => {
    const task = (await create(ana, { title: 'Ring Ada', dueAt: '2030-05-01T10:00:00Z' })).body;
    await runAt('2030-05-01T09:59:00Z');
    expect((await getTask(task.taskId))?.remindedAt).toBeUndefined();

    expect((await runAt('2030-05-01T10:00:30Z')).reminded).toBeGreaterThanOrEqual(1);
    const reminded = await getTask(task.taskId);
    expect(reminded?.remindedAt).toBe('2030-05-01T10:00:30.000Z');
    expect((await runAt('2030-05-01T10:01:30Z')).reminded).toBe(0);
    expect((await getTask(task.taskId))?.remindedAt).toBe('2030-05-01T10:00:30.000Z');

    await patch(ana, task.taskId, { dueAt: '2030-05-01T12:00:00Z' });
    expect((await getTask(task.taskId))?.remindedAt).toBeUndefined();
    expect((await runAt('2030-05-01T11:59:00Z')).reminded).toBe(0);
    expect((await runAt('2030-05-01T12:00:10Z')).reminded).toBe(1);
    expect((await getTask(task.taskId))?.remindedAt).toBe('2030-05-01T12:00:10.000Z');
  });

  it('a DONE task is never reminded', async () => {
    const task = (await create(ana, { title: 'Done early', dueAt: '2030-06-01T10:00:00Z' })).body;
    await patch(ana, task.taskId, { status: 'DONE' });
    expect((await runAt('2030-06-01T10:00:30Z')).reminded).toBe(0);
    expect((await getTask(task.taskId))?.remindedAt).toBeUndefined();
  });

  it('the reminder write makes exactly one task.due, to the assignee', async () => {
    const task = (await create(ana, { title: 'Event', dueAt: '2030-07-01T10:00:00Z' })).body;
    const before = await itemOf(task.taskId);
    await runAt('2030-07-01T10:00:30Z');
    const after = await itemOf(task.taskId);
    const events = eventsOf({
      eventId: 'e1',
      kind: 'MODIFY',
      at: '2030-07-01T10:00:31Z',
      oldImage: before,
      newImage: after,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'task.due',
        storeId: NYC.storeId,
        userId: 'ana',
        data: { taskId: task.taskId, title: 'Event', dueAt: '2030-07-01T10:00:00.000Z' },
      }),
    ]);
    expect(eventsOf({ eventId: 'e2', kind: 'MODIFY', at: 'x', oldImage: after, newImage: after })).toEqual([]);
  });
});

const itemOf = async (taskId: string) =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: { pk: `TASK#${taskId}`, sk: 'TASK' } })))
    .Item!;

/** The store of NYC or Tokyo whose carts' mark (23:00 local) is not within the next hour: a share now comes before it. */
function storeBeforeItsMark() {
  const hour = (zone: string) => DateTime.now().setZone(zone).hour;
  return hour(NYC.timezone) < 22 ? NYC : TOKYO;
}

async function sharedCartAt(storeId: string, sharer: string) {
  const { conversationId } = await seedConversation(storeId);
  const cart = cartCalls(conversationId, associate(storeId, sharer));
  await cart.putItem('SHIRT', shirt);
  const shared = await cart.share();
  const expiresAt = (await cart.get()).body.expiresAt as string;
  return { conversationId, token: tokenOf(shared.body.url), expiresAt, total: shirt.unitPrice * shirt.quantity };
}

const mark = (expiresAt: string, plusSeconds: number) =>
  new Date(Date.parse(expiresAt) - 3600_000 + plusSeconds * 1000);

describe('CART_UNPAID', () => {
  it('is written once for the sharer an hour before an unpaid shared cart expires, and closed by its payment', async () => {
    const store = storeBeforeItsMark();
    const cart = await sharedCartAt(store.storeId, 'sam');
    expect((await runAt(mark(cart.expiresAt, -60))).cartTasks).toBe(0);
    expect((await runAt(mark(cart.expiresAt, 30))).cartTasks).toBe(1);
    expect((await runAt(mark(cart.expiresAt, 90))).cartTasks).toBe(0);
    const sam = associate(store.storeId, 'sam');
    const tasks = (await list(sam)).body.items.filter((t: { source: string }) => t.source === 'CART_UNPAID');
    expect(tasks).toEqual([
      expect.objectContaining({
        conversationId: cart.conversationId,
        assignee: 'sam',
        status: 'OPEN',
        dueAt: mark(cart.expiresAt, 0).toISOString(),
      }),
    ]);
    expect((await getTask(tasks[0].taskId))?.remindedAt).toBeDefined();

    const id = paymentId();
    expect((await pay({ token: cart.token, amount: cart.total, currency: store.currency, paymentId: id })).status).toBe(
      200,
    );
    const payment = (await documentClient.send(new GetCommand({ TableName: tableName, Key: paymentKey(id) }))).Item!;
    await followChanges([{ kind: 'INSERT', newImage: payment }], new Date());
    await followChanges([{ kind: 'INSERT', newImage: payment }], new Date()); // a redelivery
    expect(await getTask(tasks[0].taskId)).toMatchObject({ status: 'DONE', doneAt: payment.paidAt });
  });

  it('is not written for a cart paid before its hour, nor for one never shared', async () => {
    const store = storeBeforeItsMark();
    const paid = await sharedCartAt(store.storeId, 'pia');
    await pay({ token: paid.token, amount: paid.total, currency: store.currency, paymentId: paymentId() });
    const { conversationId } = await seedConversation(store.storeId);
    await cartCalls(conversationId, associate(store.storeId, 'pia')).putItem('SHIRT', shirt);
    expect((await runAt(mark(paid.expiresAt, 30))).cartTasks).toBe(0);
  });
});

describe('CUSTOMER_REPLIED_AFTER_HOURS', () => {
  it("is written once for a customer's messages in quiet hours, due when they end, for the store while unassigned", async () => {
    const { conversationId } = await seedConversation(QUIET.storeId);
    await customerWrites(conversationId, 'Are you open tomorrow?');
    await customerWrites(conversationId, 'Hello?');
    const messages = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': `CONV#${conversationId}`, ':msg': 'MSG#' },
      }),
    );
    const changes = (messages.Items ?? []).map((newImage) => ({ kind: 'INSERT' as const, newImage }));
    await followChanges(changes, new Date());
    await followChanges(changes, new Date()); // the stream delivers the batch again

    const quietManager: Caller = { userId: 'qm', role: 'manager', storeId: QUIET.storeId };
    const tasks = (await list(quietManager, { scope: 'store' })).body.items;
    expect(tasks).toEqual([
      expect.objectContaining({
        conversationId,
        source: 'CUSTOMER_REPLIED_AFTER_HOURS',
        assignee: null,
        status: 'OPEN',
      }),
    ]);
    const end = DateTime.fromISO(tasks[0].dueAt, { zone: QUIET.timezone }).toFormat('HH:mm');
    expect(end).toBe(QUIET.quietHours.end);
  });

  it('is not written for a store outside quiet hours', async () => {
    const { conversationId } = await seedConversation(TOKYO.storeId);
    await customerWrites(conversationId, 'Hi');
    const messages = await documentClient.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :msg)',
        ExpressionAttributeValues: { ':pk': `CONV#${conversationId}`, ':msg': 'MSG#' },
      }),
    );
    await followChanges(
      (messages.Items ?? []).map((newImage) => ({ kind: 'INSERT' as const, newImage })),
      new Date(),
    );
    const tasks = (await list(oli, { scope: 'store' })).body.items;
    expect(tasks.filter((t: { conversationId?: string }) => t.conversationId === conversationId)).toEqual([]);
  });
});
