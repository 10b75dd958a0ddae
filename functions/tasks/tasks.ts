/**
 * What store users do with follow-up tasks (docs/rules.md, "Tasks"): create one, list theirs or
 * the store's by due time, and close, snooze or reassign one. A task of another store is a 404,
 * exactly like one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { accessibleConversation } from '../conversations/conversations';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { actingStore, type Principal } from '../shared/principal';
import { isStaff } from '../shared/staff';
import type { CreateTaskBody, PatchTaskBody, Task, TasksQuery } from './model';
import * as repository from './repository';
import { changedTask, mayChangeTask, normalInstant } from './rules';

/** What the API answers for a task: everything but the internal reminder mark. */
const view = ({ remindedAt: _reminded, ...task }: Task): Task => task;

const isManager = (principal: Principal) => principal.roles.includes('manager');

/** 422 `unknown-staff` unless `userId` is the caller or recorded staff of the store (functions/shared/staff.ts). */
async function requireStaff(storeId: string, principal: Principal, userId: string | null): Promise<void> {
  if (userId === null || userId === principal.userId) return;
  if (!(await isStaff(storeId, userId)))
    throw new RuleViolationError(`${userId} is not staff of store ${storeId}.`, 'unknown-staff');
}

/**
 * Creates a task in the caller's store:
 * 1. a conversation it names must be the store's, and a customer it names linked to the store
 *    (and the conversation's customer, when both are given): 404 otherwise;
 * 2. the assignee defaults to the caller; another assignee follows the assignment rules, judged
 *    as taking an unassigned task (an associate may only take it themselves: 403) and must be staff (422).
 */
export async function createTask(principal: Principal, body: CreateTaskBody, now: Date): Promise<Task> {
  const storeId = actingStore(principal);
  const conversation = body.conversationId ? await accessibleConversation(principal, body.conversationId) : undefined;
  const customerId = body.customerId ?? conversation?.customerId;
  if (body.customerId !== undefined) {
    const linked = conversation
      ? conversation.customerId === body.customerId
      : await repository.customerOfStore(storeId, body.customerId);
    if (!linked) throw new NotFoundError(`There is no customer ${body.customerId} in your store.`);
  }
  const assignee = body.assignee ?? principal.userId;
  if (!mayChangeTask({ assignee: null }, { assignee }, { userId: principal.userId, isManager: isManager(principal) }))
    throw new ForbiddenError('An associate can create tasks only for themselves; a manager assigns them to others.');
  await requireStaff(storeId, principal, assignee);
  const task: Task = {
    taskId: randomUUID(),
    storeId,
    ...(body.conversationId ? { conversationId: body.conversationId } : {}),
    ...(customerId ? { customerId } : {}),
    title: body.title,
    dueAt: normalInstant(body.dueAt),
    assignee,
    status: 'OPEN',
    source: 'MANUAL',
    createdAt: now.toISOString(),
  };
  await repository.createTask(task);
  return view(task);
}

/** The caller's tasks (`mine`) or the store's, in one status, earliest due first, paged. */
export async function listTasks(principal: Principal, query: TasksQuery): Promise<Page<Task>> {
  const page = await repository.listTasks({
    storeId: actingStore(principal),
    ...(query.scope === 'mine' ? { assignee: principal.userId } : {}),
    status: query.status,
    ...(query.dueBefore ? { dueBefore: normalInstant(query.dueBefore) } : {}),
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/** The task if the caller's store owns it; otherwise 404. */
async function accessibleTask(principal: Principal, taskId: string): Promise<Task> {
  const task = await repository.getTask(taskId);
  if (!task || task.storeId !== actingStore(principal))
    throw new NotFoundError(`There is no task ${taskId} in your store.`);
  return task;
}

const PATCH_ATTEMPTS = 5;

/**
 * Changes a task: status (done or open again), dueAt (a snooze: reminded again at the new time),
 * assignee (rules.ts mayChangeTask: 403; the new assignee must be staff: 422). Raced by another
 * change, it is judged again against the task as it now is.
 */
export async function patchTask(principal: Principal, taskId: string, body: PatchTaskBody, now: Date): Promise<Task> {
  const storeId = actingStore(principal);
  if (body.assignee !== undefined) await requireStaff(storeId, principal, body.assignee);
  for (let attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
    const task = await accessibleTask(principal, taskId);
    if (!mayChangeTask(task, body, { userId: principal.userId, isManager: isManager(principal) }))
      throw new ForbiddenError(
        task.assignee === null
          ? 'An associate can take an unassigned task only for themselves.'
          : 'Only a manager, or the associate it is assigned to, can reassign this task.',
      );
    const next = changedTask(task, body, now);
    if (await repository.replaceTask(task, next)) return view(next);
  }
  throw new ConflictError(`Task ${taskId} is being changed by others right now; try again.`);
}
