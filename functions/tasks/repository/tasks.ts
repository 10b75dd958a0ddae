/**
 * Task items: one per task, carrying its list entries (gsi1 the store's, gsi2 the assignee's) and,
 * while it waits for its reminder, its due entry (gsi3). Every change is one conditional write
 * under the state it was read in. Keys: ./keys.ts.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPage } from '../../shared/dynamo/batches';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { workDue, type DueWork } from '../../shared/dynamo/due-sweep';
import { putIfAbsent, tableName, type Item } from '../../shared/dynamo/table';
import type { Page } from '../../shared/pagination';
import type { Task, TaskStatus } from '../model';
import { assigneeTasksPk, duePk, storeTasksPk, TASK_DUE_SHARDS, taskIndexKeys, taskKey } from './keys';

const TASK_FIELDS = [
  'taskId',
  'storeId',
  'conversationId',
  'customerId',
  'title',
  'dueAt',
  'assignee',
  'status',
  'source',
  'createdAt',
  'doneAt',
  'remindedAt',
] as const;

function toTask(item: Item): Task {
  const task = Object.fromEntries(TASK_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]));
  return { ...task, assignee: (item.assignee as string | undefined) ?? null } as Task;
}

function itemOf(task: Task): Item {
  const { assignee, ...rest } = task;
  return {
    ...taskKey(task.taskId),
    ...rest,
    ...(assignee !== null ? { assignee } : {}),
    ...taskIndexKeys(task),
    type: 'task',
  };
}

/** Writes a new task; false when a task with its id exists (a system task written before: nothing changes). */
export function createTask(task: Task): Promise<boolean> {
  return writeIfUnchanged(() => documentClient.send(new PutCommand(putIfAbsent(itemOf(task)).Put)));
}

export async function getTask(taskId: string): Promise<Task | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: taskKey(taskId), ConsistentRead: true }),
  );
  return out.Item && toTask(out.Item);
}

/**
 * Replaces the task with `next` if it is still exactly as `previous` was read (status, due time,
 * assignee, reminder); false when it moved on (the caller reads again).
 */
export function replaceTask(previous: Task, next: Task): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: itemOf(next),
        ConditionExpression:
          '#status = :status AND dueAt = :dueAt AND ' +
          (previous.assignee === null ? 'attribute_not_exists(assignee)' : 'assignee = :assignee') +
          ' AND ' +
          (previous.remindedAt === undefined ? 'attribute_not_exists(remindedAt)' : 'remindedAt = :reminded'),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': previous.status,
          ':dueAt': previous.dueAt,
          ...(previous.assignee === null ? {} : { ':assignee': previous.assignee }),
          ...(previous.remindedAt === undefined ? {} : { ':reminded': previous.remindedAt }),
        },
      }),
    ),
  );
}

/**
 * A page of a store's (or an assignee's) tasks in one status, earliest due first, due strictly
 * before `dueBefore` when given: one query of the list's index.
 */
export async function listTasks(request: {
  storeId: string;
  assignee?: string;
  status: TaskStatus;
  dueBefore?: string;
  limit: number;
  cursor?: string;
}): Promise<Page<Task>> {
  const index = request.assignee === undefined ? 'gsi1' : 'gsi2';
  const pk =
    request.assignee === undefined
      ? storeTasksPk(request.storeId, request.status)
      : assigneeTasksPk(request.storeId, request.assignee, request.status);
  const page = await queryPage(
    {
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: `${index}pk = :pk${request.dueBefore ? ` AND ${index}sk < :before` : ''}`,
      ExpressionAttributeValues: { ':pk': pk, ...(request.dueBefore ? { ':before': request.dueBefore } : {}) },
    },
    { limit: request.limit, cursor: request.cursor, partition: { [`${index}pk`]: pk } },
  );
  return { items: page.items.map(toTask), nextCursor: page.nextCursor };
}

/**
 * Marks a due task reminded at `now` and drops its due entry, in one write, if it is still the
 * entry read (same due time, still OPEN, not reminded): the stream makes `task.due` of exactly
 * this write, so a rerun, or a second run racing this one, raises none again. False: it moved on.
 */
export function markReminded(entry: Item, now: Date): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: entry.pk, sk: entry.sk },
        UpdateExpression: 'SET remindedAt = :now REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'gsi3sk = :sk AND #status = :open AND attribute_not_exists(remindedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':sk': entry.gsi3sk, ':open': 'OPEN' },
      }),
    ),
  );
}

/**
 * Works every task due by `now` (its due entry at or before it), shard by shard until the run's
 * deadline (functions/shared/dynamo/due-sweep.ts); `handle` gets each entry's key and due key.
 */
export function workDueTasks(now: Date, work: DueWork, handle: (entries: Item[]) => Promise<void>) {
  return workDue(
    {
      index: 'gsi3',
      shards: TASK_DUE_SHARDS,
      shardKey: duePk,
      sortKeyCondition: 'gsi3sk <= :bound',
      values: { ':bound': `${now.toISOString()}#\uffff` },
      projection: 'pk, sk, gsi3sk',
    },
    work,
    handle,
  );
}
