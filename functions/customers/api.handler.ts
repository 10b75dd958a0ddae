/**
 * HTTP routes for customers: create, search, read, change, consent ledger, erase, and a store's
 * notes and tags about a customer (docs/architecture.md, "HTTP API"; docs/rules.md, "Notes and tags").
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { systemClock } from '../shared/clock';
import { ConflictError, NotFoundError } from '../shared/errors';
import { created, httpApi, json, noContent, ok, route } from '../shared/http';
import { pageQuery } from '../shared/pagination';
import { checkedLaterWith } from '../shared/validation';
import { actingStore, ADMIN, ANY_ROLE, STORE_ROLES } from '../shared/principal';
import { listConsent } from '../conversations/repository';
import { createCustomer } from '../stores/repository';
import { MAX_SEARCH_LENGTH, MIN_SEARCH_LENGTH, searchQueryTooShort } from '../stores/rules';
import { CustomerInput, CustomerPatch } from '../stores/schemas';
import { searchCustomersAs, visibleCustomer } from './customer-access';
import { createCustomers, MAX_BATCH } from './create-customers';
import { requestErasure } from './erasure';
import { changeCustomer } from './update-customer';
import { CustomerParams, NoteBody, NoteParams, TagsBody } from './model';
import { addNote, listNotesAs, removeNote, setTagsAs } from './notes-and-tags';

const CustomerQuery = /* @__PURE__ */ droppable(() =>
  z.extend(pageQuery, {
    query: z.string().check(
      z.trim(),
      z.minLength(MIN_SEARCH_LENGTH, `at least ${MIN_SEARCH_LENGTH} characters`),
      z.maxLength(MAX_SEARCH_LENGTH, `at most ${MAX_SEARCH_LENGTH} characters`),
      z.superRefine((query, ctx) => {
        const tooShort = query.length >= MIN_SEARCH_LENGTH ? searchQueryTooShort(query) : undefined;
        if (tooShort) ctx.addIssue({ code: 'custom', message: tooShort });
      }),
    ),
  }),
);
const BatchBody = /* @__PURE__ */ droppable(() =>
  z.object({
    // Each entry is checked on its own with CustomerInput (create-customers.ts); the docs show that shape.
    customers: z
      .array(checkedLaterWith(CustomerInput))
      .check(z.minLength(1), z.maxLength(MAX_BATCH, `at most ${MAX_BATCH} customers a call`)),
  }),
);

export const handler = httpApi({
  'POST /customers': route({ roles: ADMIN, body: CustomerInput }, async ({ body }) => {
    const outcome = await createCustomer(body, systemClock());
    if (outcome.status === 'existing') {
      throw new ConflictError(
        `A customer with email ${body.email} already exists (customerId ${outcome.customer.customerId}).`,
      );
    }
    return created(outcome.customer, { location: `/customers/${outcome.customer.customerId}` });
  }),

  'POST /customers/batch': route({ roles: ADMIN, body: BatchBody }, async ({ body }) =>
    ok(await createCustomers(body.customers, systemClock())),
  ),

  'GET /customers/{customerId}': route({ roles: ANY_ROLE, params: CustomerParams }, async ({ principal, params }) => {
    // A customer not linked to a store user's store is a 404, as if it did not exist.
    const customer = await visibleCustomer(principal, params.customerId);
    if (!customer) throw new NotFoundError(`There is no customer ${params.customerId}.`);
    return ok(customer);
  }),

  'PATCH /customers/{customerId}': route(
    { roles: ADMIN, params: CustomerParams, body: CustomerPatch },
    async ({ params, body }) => ok(await changeCustomer(params.customerId, body)),
  ),

  'DELETE /customers/{customerId}': route({ roles: ADMIN, params: CustomerParams }, async ({ params }) =>
    json(202, await requestErasure(params.customerId, systemClock())),
  ),

  'GET /customers/{customerId}/consent': route(
    { roles: ANY_ROLE, params: CustomerParams, query: pageQuery },
    async ({ principal, params, query }) => {
      if (!(await visibleCustomer(principal, params.customerId)))
        throw new NotFoundError(`There is no customer ${params.customerId}.`);
      // Store users see what happened at their store; admins the whole ledger.
      const storeId = principal.isAdmin ? undefined : actingStore(principal);
      return ok(await listConsent(params.customerId, storeId, query.limit, query.cursor));
    },
  ),

  'GET /customers/{customerId}/notes': route(
    { roles: STORE_ROLES, params: CustomerParams, query: pageQuery },
    async ({ principal, params, query }) => ok(await listNotesAs(principal, params.customerId, query)),
  ),

  'POST /customers/{customerId}/notes': route(
    { roles: STORE_ROLES, params: CustomerParams, body: NoteBody },
    async ({ principal, params, body }) => {
      const note = await addNote(principal, params.customerId, body.text, systemClock());
      return created(note, { location: `/customers/${note.customerId}/notes/${note.noteId}` });
    },
  ),

  'DELETE /customers/{customerId}/notes/{noteId}': route(
    { roles: STORE_ROLES, params: NoteParams },
    async ({ principal, params }) => {
      await removeNote(principal, params.customerId, params.noteId);
      return noContent();
    },
  ),

  'PUT /customers/{customerId}/tags': route(
    { roles: STORE_ROLES, params: CustomerParams, body: TagsBody },
    async ({ principal, params, body }) => ok(await setTagsAs(principal, params.customerId, body.tags)),
  ),

  'GET /customers': route({ roles: ANY_ROLE, query: CustomerQuery }, async ({ principal, query }) =>
    ok(await searchCustomersAs(principal, query, systemClock)),
  ),
});
