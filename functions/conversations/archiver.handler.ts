/** Daily: archives conversations with no activity for 4 calendar months, "now" being the scheduled event's time. */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger } from '../shared/logger';
import { archiveInactive } from './repository';

const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) }).loose();

export const handler = async (event: unknown, context?: Context): Promise<{ archived: number; skipped: number; now: string }> => {
  if (context) logger.addContext(context);
  const now = new Date(ScheduledEvent.parse(event).time);
  const result = await archiveInactive(now);
  logger.info('conversation archive run', { now: now.toISOString(), ...result });
  return { ...result, now: now.toISOString() };
};
