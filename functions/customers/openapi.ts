/** Customers as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { Instant, pageOf, type OperationDocs } from '../shared/openapi';

export const Customer = z
  .object({
    customerId: z.string(),
    email: z.string().optional().meta({
      description: 'Trimmed and lower-cased; absent only for a customer first known by the phone they texted from',
    }),
    phone: z.string().optional().meta({ description: 'E.164' }),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    createdAt: Instant,
    tags: z.array(z.string()).optional().meta({
      description:
        'Store users: their own store\'s tags for the customer (none: an empty list). Admins: absent (tags are a store\'s; docs/rules.md, "Notes and tags")',
    }),
  })
  .meta({ id: 'Customer' });

export const CustomerNote = z
  .object({
    noteId: z.string(),
    storeId: z.string(),
    customerId: z.string(),
    text: z.string().meta({ description: 'At most 2,000 characters' }),
    authorId: z.string().meta({ description: 'The store user who wrote it' }),
    createdAt: Instant,
  })
  .meta({ id: 'CustomerNote' });

export const CustomerTags = z
  .object({
    customerId: z.string(),
    storeId: z.string(),
    tags: z
      .array(z.string())
      .meta({ description: 'As kept: trimmed, duplicates ignoring case dropped, in the given order' }),
  })
  .meta({ id: 'CustomerTags' });

const notLinked = "No such customer, it is being erased, or it is not linked to the caller's store";

export const ConsentEntry = z
  .object({
    at: Instant,
    storeId: z.string(),
    state: z.enum(['REQUESTED', 'OPTED_IN', 'OPTED_OUT']),
    source: z.enum(['OPT_IN_REQUEST', 'KEYWORD', 'CARRIER', 'ERASURE']),
    channel: z
      .enum(['sms', 'whatsapp'])
      .meta({ description: 'The channel whose consent changed (consent is per channel)' }),
    keyword: z.string().optional().meta({ description: 'The keyword the customer texted (KEYWORD)' }),
    messageSid: z.string().optional().meta({ description: "The inbound message's Twilio SID (KEYWORD, CARRIER)" }),
    userId: z.string().optional().meta({ description: 'The associate who sent the opt-in request' }),
  })
  .meta({ id: 'ConsentEntry' });

export const Erasure = z.object({ customerId: z.string(), status: z.literal('ERASING') }).meta({ id: 'Erasure' });

export const CustomerBatchResult = z
  .object({
    created: z.int().min(0),
    existing: z.int().min(0),
    errors: z
      .array(z.object({ index: z.int().min(0), detail: z.string() }))
      .meta({ description: 'Entries that were not stored, by index in the request' }),
    customers: z
      .array(
        z.object({
          index: z.int().min(0).meta({ description: "The entry's index in the request" }),
          status: z
            .enum(['created', 'existing'])
            .meta({ description: '`existing`: the email was known already, or repeats an earlier entry' }),
          customerId: z.string(),
          email: z.string().meta({ description: 'Trimmed and lower-cased' }),
        }),
      )
      .meta({ description: 'Entries stored or found, by index in the request' }),
  })
  .meta({ id: 'CustomerBatchResult' });

export const operations: OperationDocs = {
  'POST /customers': {
    tag: 'Customers',
    summary: 'Create a customer',
    example: { email: 'ada@example.com', phone: '+12125550123', firstName: 'Ada', lastName: 'Lovelace' },
    answers: {
      201: {
        description: 'The customer',
        schema: Customer,
        headers: { Location: { description: 'The customer URL', schema: { type: 'string' } } },
        example: {
          customerId: '0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d',
          email: 'ada@example.com',
          phone: '+12125550123',
          firstName: 'Ada',
          lastName: 'Lovelace',
          createdAt: '2026-03-14T14:50:00.000Z',
        },
      },
    },
    problems: { 409: 'A customer with this email exists, or the phone belongs to another customer' },
  },
  'POST /customers/batch': {
    tag: 'Customers',
    summary: 'Create up to 500 customers',
    description: 'Each entry is checked on its own: a bad entry is listed in `errors` and does not stop the others.',
    example: {
      customers: [
        { email: 'ada@example.com', firstName: 'Ada' },
        { email: 'grace@example.com', phone: '+12125550124' },
      ],
    },
    answers: { 200: { description: 'What happened to each entry', schema: CustomerBatchResult } },
  },
  'GET /customers/{customerId}': {
    tag: 'Customers',
    summary: 'Read a customer',
    description:
      "Store users read the customers linked to their store (a conversation or an outreach entry there), with their store's `tags`; any other is a 404, as if it did not exist.",
    answers: { 200: { description: 'The customer', schema: Customer } },
    problems: { 404: "No such customer, it is being erased, or (store users) it is not linked to the caller's store" },
  },
  'PATCH /customers/{customerId}': {
    tag: 'Customers',
    summary: 'Change a customer',
    description: 'Look-ups and search entries follow the change; the store conversations show the new name and phone.',
    example: { phone: '+12125550199' },
    answers: { 200: { description: 'The customer', schema: Customer } },
    problems: { 404: 'No such customer', 409: 'The email or phone belongs to another customer' },
  },
  'DELETE /customers/{customerId}': {
    tag: 'Customers',
    summary: 'Erase a customer',
    description:
      "Erases, in the background, every item and object holding the customer's personal data (conversations, messages and images, carts and links, outreach entries, rejections). " +
      'An opted-out number stays opted out through a suppression record keyed by a keyed hash of the phone.',
    answers: { 202: { description: 'Erasure started (or still running)', schema: Erasure } },
    problems: { 404: 'No such customer, or already erased' },
  },
  'GET /customers/{customerId}/consent': {
    tag: 'Customers',
    summary: "The customer's consent ledger, oldest first",
    description:
      "Every change of opt-in state at every store; store users see their store's entries. Entries are never changed.",
    answers: { 200: { description: 'A page of ledger entries', schema: pageOf(ConsentEntry) } },
    problems: { 404: "No such customer, or (store users) it is not linked to the caller's store" },
  },
  'GET /customers/{customerId}/notes': {
    tag: 'Customers',
    summary: "The caller's store's notes about a customer, newest first",
    description: 'Store users only; another store never sees them.',
    answers: { 200: { description: 'A page of notes', schema: pageOf(CustomerNote) } },
    problems: { 404: notLinked },
  },
  'POST /customers/{customerId}/notes': {
    tag: 'Customers',
    summary: 'Write a note about a customer',
    description:
      "Store users, about customers linked to their store. Kept for the caller's store only; text at most 2,000 characters.",
    example: { text: 'Prefers a call before noon; size 38.' },
    answers: {
      201: {
        description: 'The note',
        schema: CustomerNote,
        headers: { Location: { description: 'The note URL', schema: { type: 'string' } } },
      },
    },
    problems: { 404: notLinked },
  },
  'DELETE /customers/{customerId}/notes/{noteId}': {
    tag: 'Customers',
    summary: 'Delete a note',
    description: "By its author or a manager of the store; another store's note is a 404, as if it did not exist.",
    answers: { 204: { description: 'Deleted' } },
    problems: {
      403: "The caller is neither the note's author nor a manager",
      404: `${notLinked}, or no such note in the caller's store`,
    },
  },
  'PUT /customers/{customerId}/tags': {
    tag: 'Customers',
    summary: "Set the caller's store's tags for a customer",
    description:
      'The whole set (an empty list clears it): each tag trimmed, 1 to 40 characters on one line; duplicates that differ only in case are dropped; at most 20 after that. ' +
      "Shown as `tags` on `GET /customers/{customerId}` to the store's users, and filter the store's inbox (`GET /inbox?tag=`). Another store never sees them.",
    example: { tags: ['VIP', 'bridal'] },
    answers: { 200: { description: "The store's tags as kept", schema: CustomerTags } },
    problems: { 404: notLinked },
  },
  'GET /customers': {
    tag: 'Customers',
    summary: 'Search customers',
    description:
      'By email, phone or name prefix: at least 3 characters (a phone with `+` at least 5, in digits at least 4), at most 100. ' +
      'Admins search every customer. Store users search the customers linked to their store (a conversation or an outreach entry there), and find anyone by an exact email or full E.164 phone (a walk-in, first on the first page); a page may then hold fewer than `limit` items, even none, and still have a `nextCursor`. ' +
      'At most 60 searches a minute per user.',
    answers: { 200: { description: 'A page of customers', schema: pageOf(Customer) } },
    problems: {
      429: {
        description: 'More than 60 searches in this minute',
        headers: { 'Retry-After': { description: 'Seconds until the next minute', schema: { type: 'integer' } } },
      },
    },
  },
};
