/**
 * The task-reminders schedule (every minute; "now" is the event's time, so a run can be fired
 * for any moment: `POST /_local/schedules/task-reminders {"time": ISO}`): first the CART_UNPAID
 * tasks whose hour has come (system-tasks.ts), then `task.due` for every task due by now
 * (remind-due.ts), then the carts' own reminders to customers that are due
 * (functions/carts/cart-reminders.ts: the carts capability's rules, run on this schedule).
 */
import { sendDueCartReminders } from '../carts/cart-reminders';
import { scheduledJob } from '../shared/schedule';
import { remindDueTasks } from './remind-due';
import { createCartTasks } from './system-tasks';

export const handler = scheduledJob('task reminders', async (now, _event, deadline) => {
  const cartTasks = await createCartTasks(now);
  const tasks = await remindDueTasks(now, deadline);
  const cartReminders = await sendDueCartReminders(now, deadline);
  return { cartTasks, ...tasks, cartReminders };
});
