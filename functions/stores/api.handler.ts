/** HTTP routes for stores and customers (docs/architecture.md, "HTTP API"). */
import * as z from 'zod';
import { systemClock } from '../shared/clock';
import { ConflictError, NotFoundError } from '../shared/errors';
import { created, httpApi, json, ok, route } from '../shared/http';
import { invalidCursor, pageQuery } from '../shared/pagination';
import { Id } from '../shared/validation';
import { listStaff } from '../shared/staff';
import { actingStore, ADMIN, ANY_ROLE, requireStoreAccess } from '../shared/principal';
import { listConsent, refreshCustomerSummary } from '../conversations/repository';
import { createCustomer, getStore, listStores, updateCustomer } from './repository';
import { searchCustomersAs, visibleCustomer } from './customer-access';
import { createCustomers, MAX_BATCH } from './create-customers';
import {
  CustomerInput,
  CustomerPatch,
  MAX_SEARCH_LENGTH,
  MIN_SEARCH_LENGTH,
  StoreId,
  StoreInput,
  searchQueryTooShort,
} from './rules';
import { requestErasure } from './erasure';
import { saveStore } from './save-store';
import { eventBridgeZoneSchedules } from './zone-schedules';

const StoreParams = z.object({ storeId: StoreId });
const CustomerQuery = pageQuery.extend({
  query: z
    .string()
    .trim()
    .min(MIN_SEARCH_LENGTH, `at least ${MIN_SEARCH_LENGTH} characters`)
    .max(MAX_SEARCH_LENGTH, `at most ${MAX_SEARCH_LENGTH} characters`)
    // A phone-shaped query must name its whole search bucket (docs/data-model.md, "Stores and customers").
    .superRefine((query, ctx) => {
      const tooShort = query.length >= MIN_SEARCH_LENGTH ? searchQueryTooShort(query) : undefined;
      if (tooShort) ctx.addIssue({ code: 'custom', message: tooShort });
    }),
});
const CustomerParams = z.object({ customerId: Id });
const BatchBody = z.object({
  customers: z.array(z.unknown()).min(1).max(MAX_BATCH, `at most ${MAX_BATCH} customers a call`),
});
const zoneSchedules = eventBridgeZoneSchedules();

export const handler = httpApi({
  'PUT /stores/{storeId}': route({ roles: ADMIN, params: StoreParams, body: StoreInput }, async ({ params, body }) => {
    const { store, created: isNew } = await saveStore(params.storeId, body, systemClock(), zoneSchedules);
    return isNew ? created(store) : ok(store);
  }),

  'GET /stores/{storeId}': route({ roles: ANY_ROLE, params: StoreParams }, async ({ principal, params }) => {
    requireStoreAccess(principal, params.storeId);
    const store = await getStore(params.storeId);
    if (!store) throw new NotFoundError(`Store ${params.storeId} does not exist.`);
    return ok(store);
  }),

  'GET /stores/{storeId}/staff': route(
    { roles: ANY_ROLE, params: StoreParams, query: pageQuery },
    async ({ principal, params, query }) => {
      requireStoreAccess(principal, params.storeId);
      return ok(await listStaff(params.storeId, query.limit, query.cursor));
    },
  ),

  'GET /stores': route({ roles: ANY_ROLE, query: pageQuery }, async ({ principal, query }) => {
    if (principal.isAdmin) return ok(await listStores(query.limit, query.cursor));
    // A store user sees one store, theirs: a one-item page that never gives out a cursor.
    if (query.cursor !== undefined) throw invalidCursor();
    const own = principal.storeId ? await getStore(principal.storeId) : undefined;
    return ok({ items: own ? [own] : [], nextCursor: null });
  }),

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
    async ({ params, body }) => {
      const customer = await updateCustomer(params.customerId, body);
      // Conversations show (and text) the customer's current name and phone.
      await refreshCustomerSummary(customer);
      return ok(customer);
    },
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

  'GET /customers': route({ roles: ANY_ROLE, query: CustomerQuery }, async ({ principal, query }) =>
    ok(await searchCustomersAs(principal, query, systemClock)),
  ),
});
