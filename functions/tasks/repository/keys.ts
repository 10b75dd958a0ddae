/**
 * The tasks capability's key layout in the single table (docs/data-model.md, "Tasks"). Every key
 * of this capability is built here and nowhere else; tests build keys through these too.
 *
 *   TASK#<taskId> / TASK     a follow-up task: store, title, dueAt, assignee, status, source, remindedAt
 *   gsi1: TASKSTORE#<storeId>#<OPEN|DONE>            / <dueAt>#<taskId>   the store's tasks by due time
 *   gsi2: TASKMINE#<storeId>#<assignee>#<OPEN|DONE>  / <dueAt>#<taskId>   an assignee's tasks by due time (absent while unassigned)
 *   gsi3: TASKDUE#<0..7>                             / <dueAt>#<taskId>   while OPEN and not yet reminded at this dueAt
 *
 * A task's list entries live on the task item itself, so a status change, a snooze or a
 * reassignment moves them in the same write. The due entry is dropped in the write that marks the
 * task reminded (the `task.due` event comes from that write), so a rerun finds nothing; a snooze
 * writes it again at the new time.
 */
import { createHash } from 'node:crypto';
import type { TaskSource, TaskStatus } from '../model';

export const TASK_PREFIX = 'TASK#';
export const TASK_SK = 'TASK';
export const TASK_DUE_PREFIX = 'TASKDUE#';
export const TASK_DUE_SHARDS = 8;

export const taskKey = (taskId: string) => ({ pk: `${TASK_PREFIX}${taskId}`, sk: TASK_SK });
/** The task id of a `TASK#<id>` / `TASK` key (a stream image's), or undefined for any other key. */
export const taskIdOf = (key: { pk: string; sk: string }): string | undefined =>
  key.sk === TASK_SK && key.pk.startsWith(TASK_PREFIX) ? key.pk.slice(TASK_PREFIX.length) : undefined;

export const storeTasksPk = (storeId: string, status: TaskStatus) => `TASKSTORE#${storeId}#${status}`;
export const assigneeTasksPk = (storeId: string, userId: string, status: TaskStatus) =>
  `TASKMINE#${storeId}#${userId}#${status}`;
export const dueSk = (dueAt: string, taskId: string) => `${dueAt}#${taskId}`;

export const dueShard = (taskId: string): number =>
  createHash('sha256').update(taskId).digest().readUInt32BE(0) % TASK_DUE_SHARDS;
export const duePk = (shard: number) => `${TASK_DUE_PREFIX}${shard}`;

/**
 * The id of a system task, derived from what it follows (a cart instance; a conversation and the
 * quiet hours it was written in), so a rerun or a redelivery writes the same task once.
 */
export const systemTaskId = (source: Exclude<TaskSource, 'MANUAL'>, seed: string) =>
  `${source === 'CART_UNPAID' ? 'cart' : 'after-hours'}-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;

/** The index attributes of a task in its state: the lists it is on, and the due index while it waits for its reminder. */
export function taskIndexKeys(task: {
  taskId: string;
  storeId: string;
  assignee: string | null;
  status: TaskStatus;
  dueAt: string;
  remindedAt?: string;
}): Record<string, string> {
  const sk = dueSk(task.dueAt, task.taskId);
  return {
    gsi1pk: storeTasksPk(task.storeId, task.status),
    gsi1sk: sk,
    ...(task.assignee !== null
      ? { gsi2pk: assigneeTasksPk(task.storeId, task.assignee, task.status), gsi2sk: sk }
      : {}),
    ...(task.status === 'OPEN' && task.remindedAt === undefined
      ? { gsi3pk: duePk(dueShard(task.taskId)), gsi3sk: sk }
      : {}),
  };
}
