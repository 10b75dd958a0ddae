/**
 * The cart sweeper. Expired carts are kept 2 hours past their midnight, for a payment made
 * before it that arrives late (docs/rules.md, "Remote carts"; rules.ts PAYMENT_GRACE_MS); every
 * read treats them as gone from the midnight on. Two kinds of schedule run it:
 * - the 15-minute sweep (no zone): deletes every cart whose expiry is 2 hours behind, in every
 *   zone, so a cart goes at most 15 minutes after its grace;
 * - each store time zone's own schedule (input `{time, timezone}`, created when a store in that
 *   zone is saved): deletes that zone's carts of the last midnight at least 2 hours behind, and
 *   no other zone's.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { scheduledJob } from '../shared/schedule';
import { Timezone } from '../stores/schemas';
import { deleteExpiredCarts, deleteZoneCartsDueAt } from './repository';
import { localMidnightAtOrBefore } from './local-time';
import { sweepBefore } from './rules';

const SweepInput = /* @__PURE__ */ droppable(() => z.object({ timezone: z.optional(Timezone) }));

export const handler = scheduledJob('cart sweep', async (now, event) => {
  const { timezone } = SweepInput.parse(event);
  const before = sweepBefore(now);
  if (!timezone) return { deleted: await deleteExpiredCarts(before) };
  const midnight = await localMidnightAtOrBefore(before, timezone);
  return { timezone, midnight: midnight.toISOString(), deleted: await deleteZoneCartsDueAt(timezone, midnight) };
});
