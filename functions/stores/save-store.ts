/** Saving a store, the use case behind `PUT /stores/{storeId}`. */
import { putStore } from './repository';
import type { Store, StoreInput } from './rules';
import type { ZoneSchedules } from './zone-schedules';

/**
 * Creates or replaces a store.
 * 1. Make sure the store's time zone has its midnight schedule (the first store in a zone
 *    creates it). This comes first so that a saved store always has one: when it fails, the
 *    store is left as it was and the admin's retry ensures it again.
 * 2. Save the store (the repository guards its phone number).
 *
 * Schedules are never removed here, also when a store moves to another zone or no store uses a
 * zone any more: carts started before the move still expire at the old zone's midnight and are
 * cleared by its schedule, and an idle zone's run costs one empty query per shard a day.
 */
export async function saveStore(
  storeId: string,
  input: StoreInput,
  now: Date,
  zoneSchedules: ZoneSchedules,
): Promise<{ store: Store; created: boolean }> {
  await zoneSchedules.ensure(input.timezone);
  return putStore(storeId, input, now);
}
