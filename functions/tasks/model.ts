/**
 * The tasks capability's types: what a follow-up task is (docs/rules.md, "Tasks") and the shapes
 * the HTTP API accepts (the zod schemas are the types).
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { pageQuery } from '../shared/pagination';
import { Id, Text } from '../shared/validation';

export const TASK_STATUSES = ['OPEN', 'DONE'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_SOURCES = ['MANUAL', 'CART_UNPAID', 'CUSTOMER_REPLIED_AFTER_HOURS'] as const;
export type TaskSource = (typeof TASK_SOURCES)[number];

/** A title is at most this long (UTF-16 units). */
export const MAX_TITLE_LENGTH = 200;

export interface Task {
  taskId: string;
  storeId: string;
  conversationId?: string;
  customerId?: string;
  title: string;
  dueAt: string;
  /** null: the store's (a system task of an unassigned conversation). */
  assignee: string | null;
  status: TaskStatus;
  source: TaskSource;
  createdAt: string;
  doneAt?: string;
  /** When `task.due` was raised for the current `dueAt` (internal: a snooze clears it). */
  remindedAt?: string;
}

/** An instant as the API takes it (any offset); stored as UTC with milliseconds, so keys sort by time (rules.ts normalInstant). */
const Instant = /* @__PURE__ */ droppable(() => z.iso.datetime({ offset: true }));

export const CreateTaskBody = /* @__PURE__ */ droppable(() =>
  z.strictObject({
    title: Text(MAX_TITLE_LENGTH),
    dueAt: Instant,
    conversationId: z.optional(Id),
    customerId: z.optional(Id),
    assignee: z.optional(Id),
  }),
);
export type CreateTaskBody = z.infer<typeof CreateTaskBody>;

export const PatchTaskBody = /* @__PURE__ */ droppable(() =>
  z
    .strictObject({
      status: z.optional(z.enum(TASK_STATUSES)),
      dueAt: z.optional(Instant),
      assignee: z.optional(z.nullable(Id)),
    })
    .check(
      z.refine((body) => Object.values(body).some((value) => value !== undefined), {
        message: 'give at least one of status, dueAt, assignee',
      }),
    ),
);
export type PatchTaskBody = z.infer<typeof PatchTaskBody>;

export const TaskParams = /* @__PURE__ */ droppable(() => z.object({ taskId: Id }));

export const TasksQuery = /* @__PURE__ */ droppable(() =>
  z.extend(pageQuery, {
    scope: z._default(z.enum(['mine', 'store']), 'mine'),
    status: z._default(z.enum(TASK_STATUSES), 'OPEN'),
    dueBefore: z.optional(Instant),
  }),
);
export type TasksQuery = z.infer<typeof TasksQuery>;
