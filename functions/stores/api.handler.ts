/**
 * HTTP routes for stores: the registry and its staff (docs/architecture.md, "HTTP API"). The
 * customer routes are the customers room's (functions/customers/api.handler.ts).
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { systemClock } from '../shared/clock';
import { NotFoundError } from '../shared/errors';
import { created, httpApi, ok, route } from '../shared/http';
import { invalidCursor, pageQuery } from '../shared/pagination';
import { listStaff } from '../shared/staff';
import { ADMIN, ANY_ROLE, requireStoreAccess } from '../shared/principal';
import { getStore, listStores } from './repository';
import { StoreId, StoreInput } from './schemas';
import { saveStore } from './save-store';
import { eventBridgeZoneSchedules } from './zone-schedules';

const StoreParams = /* @__PURE__ */ droppable(() => z.object({ storeId: StoreId }));
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
});
