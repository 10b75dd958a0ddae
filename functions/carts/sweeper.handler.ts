/**
 * The cart sweeper. Two kinds of schedule run it:
 * - each store time zone's own 00:00 schedule (input `{time, timezone}`, created when a store in
 *   that zone is saved): clears that zone's carts the minute they expire;
 * - the 15-minute safety net (no zone): clears everything due that a zone run missed (a run
 *   that failed, a zone whose midnight DST skips, carts older than zone schedules).
 */
import * as z from 'zod';
import { scheduledJob } from '../shared/schedule';
import { Timezone } from '../stores/rules';
import { deleteExpiredCarts, deleteZoneCartsDueAt } from './repository';
import { localMidnightAtOrBefore } from './rules';

const SweepInput = z.object({ timezone: Timezone.optional() });

export const handler = scheduledJob('cart sweep', async (now, event) => {
  const { timezone } = SweepInput.parse(event);
  if (!timezone) return { deleted: await deleteExpiredCarts(now) };
  const midnight = localMidnightAtOrBefore(now, timezone);
  return { timezone, midnight: midnight.toISOString(), deleted: await deleteZoneCartsDueAt(timezone, midnight) };
});
