/** The cart sweeper (every 15 minutes): deletes every cart whose store-local midnight has passed. "Now" is the event's time, so a run is reproducible. */
import * as z from 'zod';
import { logger } from '../shared/logger';
import { deleteExpiredCarts } from './repository';

const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) });

export const handler = async (event: unknown): Promise<{ deleted: number; now: string }> => {
  const now = new Date(ScheduledEvent.parse(event).time);
  const deleted = await deleteExpiredCarts(now);
  logger.info('expired carts swept', { deleted, now: now.toISOString() });
  return { deleted, now: now.toISOString() };
};
