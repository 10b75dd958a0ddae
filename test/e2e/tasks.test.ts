/**
 * Follow-up tasks over the local stack (docs/rules.md, "Tasks"): a task created over HTTP, the
 * `task-reminders` schedule fired with a time, and `task.due` reaching the assignee's WebSocket
 * (not a colleague's, not another store's) and the bus, once however often the schedule reruns,
 * and again after a snooze. The typed client checks every answer against docs/openapi.json.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, runSchedule, tokenFor } from '../support/e2e';
import { connectEvents, type EventClient } from '../support/live-events';

const storeId = `tasks-${randomUUID().slice(0, 8)}`;
const anaToken = tokenFor({ role: 'associate', storeId, userId: 'ana' });
const ana = api(anaToken);
const benToken = tokenFor({ role: 'associate', storeId, userId: 'ben' });
const otherToken = tokenFor({ role: 'associate', storeId: `${storeId}-other`, userId: 'oli' });
const other = api(otherToken);

const busEvents = async (taskId: string) =>
  ((await api().get('/_local/events?type=task.due')).body as Array<{ detail: { data: { taskId: string } } }>).filter(
    (e) => e.detail.data.taskId === taskId,
  );

let sockets: EventClient[] = [];
beforeAll(async () => {
  sockets = await Promise.all([anaToken, benToken, otherToken].map(connectEvents));
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
});

describe('task.due from the task-reminders schedule', () => {
  it('reaches the assignee once, and again at the new time after a snooze', async () => {
    const [anaSocket, benSocket, otherSocket] = sockets as [EventClient, EventClient, EventClient];
    const dueAt = '2031-03-01T15:00:00.000Z';
    const created = await ana.post('/tasks', { title: 'Call Ada about the coat', dueAt });
    expect(created.status).toBe(201);
    const { taskId } = created.body;
    expect((await other.request('PATCH', `/tasks/${taskId}`, { status: 'DONE' })).status).toBe(404);

    expect((await runSchedule('task-reminders', '2031-03-01T14:59:00Z')).status).toBe(200);
    const run = await runSchedule('task-reminders', '2031-03-01T15:00:30Z');
    expect(run.body.reminded).toBeGreaterThanOrEqual(1);
    const event = await anaSocket.next((e) => e.type === 'task.due' && e.data.taskId === taskId);
    expect(event).toMatchObject({ storeId, data: { taskId, title: 'Call Ada about the coat', dueAt } });
    await eventually(async () => ((await busEvents(taskId)).length === 1 ? true : undefined));

    await runSchedule('task-reminders', '2031-03-01T15:01:30Z');
    const snoozed = await ana.request('PATCH', `/tasks/${taskId}`, { dueAt: '2031-03-01T17:00:00Z' });
    expect(snoozed.body.dueAt).toBe('2031-03-01T17:00:00.000Z');
    await runSchedule('task-reminders', '2031-03-01T17:00:10Z');
    await anaSocket.nth(2, (e) => e.type === 'task.due' && e.data.taskId === taskId);
    await eventually(async () => ((await busEvents(taskId)).length === 2 ? true : undefined));
    expect(anaSocket.events.filter((e) => e.type === 'task.due' && e.data.taskId === taskId)).toHaveLength(2);
    expect(benSocket.events.filter((e) => e.type === 'task.due' && e.data.taskId === taskId)).toEqual([]);
    expect(otherSocket.events.filter((e) => e.type === 'task.due')).toEqual([]);

    const page = await ana.get('/tasks?scope=mine&dueBefore=2031-03-02T00:00:00Z');
    expect(page.body.items.map((t: { taskId: string }) => t.taskId)).toContain(taskId);
  });
});
