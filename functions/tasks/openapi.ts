/** Follow-up tasks as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { Instant, pageOf, type OperationDocs } from '../shared/openapi';
import { MAX_TITLE_LENGTH, TASK_SOURCES, TASK_STATUSES } from './model';

const Task = z
  .object({
    taskId: z.string(),
    storeId: z.string(),
    conversationId: z.string().optional(),
    customerId: z.string().optional(),
    title: z.string().meta({ description: `At most ${MAX_TITLE_LENGTH} characters` }),
    dueAt: Instant,
    assignee: z.string().nullable().meta({ description: "The user it is for; null: the store's (unassigned)" }),
    status: z.enum(TASK_STATUSES),
    source: z.enum(TASK_SOURCES).meta({
      description:
        'MANUAL: created by a user; CART_UNPAID: a shared cart still unpaid an hour before it expires (closed by its payment); CUSTOMER_REPLIED_AFTER_HOURS: a customer wrote during quiet hours (due when they end)',
    }),
    createdAt: Instant,
    doneAt: Instant.optional(),
  })
  .meta({ id: 'Task' });

const notYours = "No such task in your store (another store's task answers the same)";

export const operations: OperationDocs = {
  'POST /tasks': {
    tag: 'Tasks',
    summary: 'Create a follow-up task',
    description:
      "A task of the caller's store, for the caller unless `assignee` names a colleague (a manager's choice; an associate creates tasks for themselves). A named conversation or customer must belong to the store. When it is due, the assignee hears `task.due` on the WebSocket, once.",
    example: { title: 'Call back about the blue coat', dueAt: '2026-03-14T15:00:00Z', conversationId: 'c-123' },
    answers: { 201: { description: 'The task', schema: Task } },
    problems: {
      403: 'An associate may not create a task for someone else',
      404: 'The conversation or customer is not in your store',
      422: 'The assignee is not staff of the store',
    },
  },
  'GET /tasks': {
    tag: 'Tasks',
    summary: 'List tasks by due time',
    description:
      "The caller's tasks (`scope=mine`, the default) or the store's (`scope=store`, unassigned ones included), in one status (`OPEN` by default), earliest due first; `dueBefore` keeps those due strictly before it.",
    answers: { 200: { description: 'A page of tasks', schema: pageOf(Task) } },
  },
  'PATCH /tasks/{taskId}': {
    tag: 'Tasks',
    summary: 'Close, snooze or reassign a task',
    description:
      "Any user of the store closes (`status: DONE`), reopens or snoozes (`dueAt`: reminded again at the new time) a task. `assignee` follows the assignment rules: a manager assigns anyone of the store's staff or unassigns (null); an associate takes an unassigned task for themselves or hands one of their own to a colleague.",
    example: { dueAt: '2026-03-15T10:00:00Z' },
    answers: { 200: { description: 'The task as changed', schema: Task } },
    problems: {
      403: 'An associate may not make this change of assignee',
      404: notYours,
      409: 'Others kept changing it meanwhile; try again',
      422: 'The assignee is not staff of the store',
    },
  },
};
