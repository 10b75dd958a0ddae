/**
 * The task-reminders schedule (every minute; "now" is the event's time, so a run can be fired
 * for any moment: `POST /_local/schedules/task-reminders {"time": ISO}`): first the CART_UNPAID
 * tasks whose hour has come (system-tasks.ts), then `task.due` for every task due by now (remind-due.ts).
 */
import { scheduledJob } from '../shared/schedule';
import { remindDueTasks } from './remind-due';
import { createCartTasks } from './system-tasks';

export const handler = scheduledJob('task reminders', async (now, _event, deadline) => {
  const cartTasks = await createCartTasks(now);
  return { cartTasks, ...(await remindDueTasks(now, deadline)) };
});
