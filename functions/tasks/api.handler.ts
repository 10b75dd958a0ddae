/** Tasks API for store users: create, list by due time, close, snooze, reassign (docs/rules.md, "Tasks"). */
import { created, httpApi, ok, route } from '../shared/http';
import { systemClock } from '../shared/clock';
import { STORE_ROLES } from '../shared/principal';
import { CreateTaskBody, PatchTaskBody, TaskParams, TasksQuery } from './model';
import { createTask, listTasks, patchTask } from './tasks';

export const handler = httpApi({
  'POST /tasks': route({ roles: STORE_ROLES, body: CreateTaskBody }, async ({ principal, body }) =>
    created(await createTask(principal, body, systemClock())),
  ),
  'GET /tasks': route({ roles: STORE_ROLES, query: TasksQuery }, async ({ principal, query }) =>
    ok(await listTasks(principal, query)),
  ),
  'PATCH /tasks/{taskId}': route(
    { roles: STORE_ROLES, params: TaskParams, body: PatchTaskBody },
    async ({ principal, params, body }) => ok(await patchTask(principal, params.taskId, body, systemClock())),
  ),
});
