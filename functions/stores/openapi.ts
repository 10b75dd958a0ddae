/** Stores as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { Instant, pageOf, type OperationDocs } from '../shared/openapi';

export const Store = z
  .object({
    storeId: z.string(),
    name: z.string(),
    timezone: z.string().meta({ description: 'IANA time zone' }),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-2' }),
    phoneNumber: z.string().meta({ description: "The store's Twilio number, E.164" }),
    currency: z.string().meta({ description: 'ISO 4217' }),
    helpText: z.string().optional().meta({ description: 'Sent to a customer who texts HELP or INFO' }),
    quietHours: z
      .object({
        start: z.string().meta({ description: 'HH:mm, store-local' }),
        end: z.string().meta({ description: 'HH:mm, store-local' }),
      })
      .nullable()
      .meta({ description: 'Store-local hours in which marketing messages are held (default 21:00–08:00); null: off' }),
    cartReminderHours: z.number().int().min(1).max(12).nullable().meta({
      description:
        "Hours before a shared cart's midnight that its one reminder goes out, if unpaid (default 3; a time in quiet hours skips it); null: no reminders",
    }),
    whatsapp: z
      .object({
        enabled: z.boolean(),
        sender: z
          .string()
          .optional()
          .meta({ description: 'E.164; WhatsApp goes on whatsapp:<sender> (default phoneNumber)' }),
      })
      .nullable()
      .meta({ description: 'WhatsApp as a second channel; null: SMS only' }),
    createdAt: Instant,
    updatedAt: Instant,
  })
  .meta({ id: 'Store' });

const StaffMember = z
  .object({
    userId: z.string(),
    role: z.enum(['associate', 'manager']),
    lastSeenAt: Instant.meta({ description: "The user's first request of the day that last recorded them" }),
  })
  .meta({ id: 'StaffMember' });

const storeExample = {
  name: 'Fifth Avenue',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
};

/** The store as PUT answers it (test/unit/openapi.test.ts checks it against Store). */
const storeAnswerExample = {
  storeId: 'nyc-5th',
  ...storeExample,
  quietHours: { start: '21:00', end: '08:00' },
  cartReminderHours: 3,
  whatsapp: null,
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedAt: '2026-03-01T09:00:00.000Z',
};

export const operations: OperationDocs = {
  'PUT /stores/{storeId}': {
    tag: 'Stores',
    summary: 'Create or replace a store',
    description:
      'Registers the store under its id, or replaces it. The Twilio number must not belong to another store.',
    example: storeExample,
    answers: {
      200: { description: 'The store was replaced', schema: Store },
      201: { description: 'The store was created', schema: Store, example: storeAnswerExample },
    },
    problems: { 409: 'The phone number belongs to another store' },
  },
  'GET /stores/{storeId}': {
    tag: 'Stores',
    summary: 'Read a store',
    description: 'Store users read their own store; admins read any.',
    answers: { 200: { description: 'The store', schema: Store } },
    problems: { 403: "Another store's user", 404: 'No such store' },
  },
  'GET /stores/{storeId}/staff': {
    tag: 'Stores',
    summary: "List a store's staff",
    description:
      'Everyone whose authenticated request named this store (recorded at most once a day per user): the users an assignment may name.',
    answers: { 200: { description: 'A page of staff', schema: pageOf(StaffMember) } },
    problems: { 403: "Another store's user" },
  },
  'GET /stores': {
    tag: 'Stores',
    summary: 'List stores',
    description: 'Admins page through every store; a store user gets a one-item page with their own store.',
    answers: { 200: { description: 'A page of stores', schema: pageOf(Store) } },
  },
};
