/**
 * The tasks the system writes (docs/rules.md, "Tasks"), each with an id derived from what it
 * follows, so a rerun of the schedule or a redelivered change writes it once:
 * - `CART_UNPAID`, for the sharer, when a shared cart is still unpaid an hour before it expires:
 *   the task-reminders schedule finds those carts in the carts' expiry index; a payment closes it
 *   (status DONE, `doneAt` the payment's time), whether it comes before or after the task;
 * - `CUSTOMER_REPLIED_AFTER_HOURS`, for the conversation's assignee (the store's while
 *   unassigned), when a customer writes in the store's quiet hours: due when they end.
 * Both follow committed changes: the cart scan reads the table, and followChanges gets the
 * table's stream from the events publisher (docs/live-events.md).
 */
import { cartsExpiringBetween, getCart } from '../carts/repository';
import { getConversation } from '../conversations/repository';
import { conversationIdOf, MESSAGE_PREFIX } from '../conversations/repository/keys';
import { PAYMENT_SK, paymentIdOf } from '../carts/repository/keys';
import { logger } from '../shared/logger';
import { getStore } from '../stores/repository';
import type { Cart } from '../carts/model';
import type { Task } from './model';
import * as repository from './repository';
import { afterHoursTask, cartScanWindow, cartTaskDueAt, changedTask, needsCartTask } from './rules';

const CART_TASK_TITLE = 'Follow up: the cart shared with this customer expires in an hour, unpaid';
const AFTER_HOURS_TITLE = 'Reply: the customer wrote during quiet hours';

/**
 * The schedule's cart step: a CART_UNPAID task for each cart whose mark passed in the lookback
 * (rules.ts needsCartTask). A payment that lands while the task is written is caught by reading
 * the cart again after it: the stream's close ran before the task existed only if the cart
 * already showed the payment. Returns how many tasks were written.
 */
export async function createCartTasks(now: Date): Promise<number> {
  const { from, to } = cartScanWindow(now);
  let created = 0;
  for await (const carts of cartsExpiringBetween(from, to)) {
    for (const cart of carts) {
      if (!needsCartTask(cart, now)) continue;
      if (!(await repository.createTask(cartTask(cart, now)))) continue;
      created++;
      const again = await getCart(cart.conversationId, cart.expiresAt);
      if (!again || again.paidAt) await closeCartTask(cart.cartId, again?.paidAt ?? now.toISOString());
    }
  }
  return created;
}

function cartTask(cart: Cart, now: Date): Task {
  return {
    taskId: repository.systemTaskId('CART_UNPAID', cart.cartId),
    storeId: cart.storeId,
    conversationId: cart.conversationId,
    customerId: cart.customerId,
    title: CART_TASK_TITLE,
    dueAt: cartTaskDueAt(cart.expiresAt),
    assignee: cart.sharedBy!,
    status: 'OPEN',
    source: 'CART_UNPAID',
    createdAt: now.toISOString(),
  };
}

/** Closes the CART_UNPAID task of a paid cart (DONE at the payment's time), if there is one still open. */
export async function closeCartTask(cartId: string, paidAt: string): Promise<void> {
  const taskId = repository.systemTaskId('CART_UNPAID', cartId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const task = await repository.getTask(taskId);
    if (!task || task.status === 'DONE') return;
    if (await repository.replaceTask(task, changedTask(task, { status: 'DONE' }, new Date(paidAt)))) return;
  }
}

/** A customer message written in quiet hours: its conversation's after-hours task, once per quiet period. */
async function followInbound(conversationId: string, at: string, now: Date): Promise<void> {
  const conversation = await getConversation(conversationId);
  const store = conversation && (await getStore(conversation.storeId));
  if (!conversation || !store) return;
  const due = await afterHoursTask(conversationId, at, store);
  if (!due) return;
  await repository.createTask({
    taskId: repository.systemTaskId('CUSTOMER_REPLIED_AFTER_HOURS', due.seed),
    storeId: conversation.storeId,
    conversationId,
    customerId: conversation.customerId,
    title: AFTER_HOURS_TITLE,
    dueAt: due.dueAt,
    assignee: conversation.assignee,
    status: 'OPEN',
    source: 'CUSTOMER_REPLIED_AFTER_HOURS',
    createdAt: now.toISOString(),
  }); // false: a message earlier in the same quiet hours wrote it
}

/** A committed change as the stream gives it (functions/events/publisher.handler.ts unmarshals it). */
export interface CommittedChange {
  readonly kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly newImage?: Readonly<Record<string, unknown>>;
}

/**
 * The system tasks a batch of committed changes calls for, in order: an inbound message inserted
 * (the after-hours task) and a payment recorded (its cart's task closed). Anything it throws
 * fails the batch, which the stream delivers again; every step writes at most once.
 */
export async function followChanges(changes: readonly CommittedChange[], now: Date): Promise<void> {
  for (const change of changes) {
    const image = change.newImage;
    if (change.kind !== 'INSERT' || !image) continue;
    const pk = String(image.pk);
    const sk = String(image.sk);
    const conversationId = conversationIdOf(pk);
    if (conversationId && sk.startsWith(MESSAGE_PREFIX) && image.direction === 'inbound') {
      await followInbound(conversationId, String(image.createdAt), now);
    } else if (sk === PAYMENT_SK && paymentIdOf(pk) && typeof image.cartId === 'string') {
      await closeCartTask(image.cartId, String(image.paidAt ?? now.toISOString()));
      logger.info('cart task closed by payment', { paymentId: paymentIdOf(pk) });
    }
  }
}
