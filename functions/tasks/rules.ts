/**
 * The tasks capability's pure rules (docs/rules.md, "Tasks"): who may change a task, when system
 * tasks are due, which carts need one. No AWS import, no I/O; tested table-driven in test/unit/.
 */
import { quietHoursEnd } from '../conversations/quiet-hours';
import { mayAssign, type QuietWindow } from '../conversations/rules';
import type { Task } from './model';

/** An instant in the one form keys sort by: UTC with milliseconds. */
export const normalInstant = (at: string | Date): string => new Date(at).toISOString();

/** A shared cart left unpaid gets its follow-up this long before it expires. */
export const CART_TASK_LEAD_MS = 3600_000;
/**
 * How far back the task-reminders schedule looks for carts whose mark (an hour before expiry)
 * passed: runs missed for up to this long are caught up; each cart is looked at in this many
 * one-minute runs, then never again.
 */
export const CART_SCAN_LOOKBACK_MS = 10 * 60_000;

/** When a cart's CART_UNPAID task is due: an hour before the cart expires. */
export const cartTaskDueAt = (expiresAt: string): string =>
  normalInstant(new Date(Date.parse(expiresAt) - CART_TASK_LEAD_MS));

/** The expiries (`from` exclusive, `to` inclusive) whose mark passed within the lookback before `now`. */
export function cartScanWindow(now: Date): { from: string; to: string } {
  const to = now.getTime() + CART_TASK_LEAD_MS;
  return { from: normalInstant(new Date(to - CART_SCAN_LOOKBACK_MS)), to: normalInstant(new Date(to)) };
}

/**
 * Whether a cart needs its CART_UNPAID task at `now`: it was shared by its mark (an hour before
 * expiry), is still unpaid, and the mark has come. A cart shared later was just sent: no task.
 */
export function needsCartTask(
  cart: { expiresAt: string; sharedBy?: string; sharedAt?: string; paidAt?: string },
  now: Date,
): boolean {
  if (!cart.sharedBy || !cart.sharedAt || cart.paidAt) return false;
  const mark = Date.parse(cartTaskDueAt(cart.expiresAt));
  return Date.parse(cart.sharedAt) <= mark && mark <= now.getTime();
}

/**
 * The after-hours follow-up of a customer message written at `at`: due when the store's quiet
 * hours end, or undefined when the message came outside them (or the store has none). One task
 * per conversation and quiet period: its seed names both.
 */
export async function afterHoursTask(
  conversationId: string,
  at: string,
  store: { timezone: string; quietHours: QuietWindow | null },
): Promise<{ dueAt: string; seed: string } | undefined> {
  const end = await quietHoursEnd(new Date(at), store.timezone, store.quietHours);
  if (!end) return undefined;
  const dueAt = normalInstant(end);
  return { dueAt, seed: `${conversationId}#${dueAt}` };
}

/** What a patch asks for, in the task's terms. */
export interface TaskChange {
  status?: Task['status'];
  dueAt?: string;
  assignee?: string | null;
}

/**
 * Whether a store user may make this change to a task of their store (403 otherwise). Anyone of
 * the store may close, reopen or snooze it; a new assignee follows the conversations' rule
 * (conversations/rules.ts mayAssign): a manager assigns anyone, an associate takes an unassigned
 * task for themselves or hands their own to a colleague.
 */
export function mayChangeTask(
  task: Pick<Task, 'assignee'>,
  change: TaskChange,
  actor: { userId: string; isManager: boolean },
): boolean {
  if (change.assignee === undefined) return true;
  return mayAssign({ actor: actor.userId, isManager: actor.isManager, current: task.assignee, to: change.assignee });
}

/**
 * The task after a change made at `now`: closing sets `doneAt` (reopening clears it); a new due
 * time clears the reminder, so the task is reminded again at that time.
 */
export function changedTask(task: Task, change: TaskChange, now: Date): Task {
  const status = change.status ?? task.status;
  const dueAt = change.dueAt !== undefined ? normalInstant(change.dueAt) : task.dueAt;
  const next: Task = {
    ...task,
    status,
    dueAt,
    assignee: change.assignee !== undefined ? change.assignee : task.assignee,
  };
  if (status === 'DONE' && task.status !== 'DONE') next.doneAt = now.toISOString();
  if (status === 'OPEN') delete next.doneAt;
  if (dueAt !== task.dueAt || (status === 'OPEN' && task.status === 'DONE')) delete next.remindedAt;
  return next;
}
