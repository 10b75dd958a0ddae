/**
 * The middy chain for EventBridge schedules: request-id logging, the event checked with zod, and
 * "now" taken from the event's `time` (not the clock), so a run can be replayed for any moment.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger } from './logger';
import { tracer } from './tracing';

const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) }).loose();

/** `run` gets "now" and the whole event, for schedules whose input carries more than the time (the zone of a midnight run). */
export function scheduledJob<T extends object>(
  name: string,
  run: (now: Date, event: Record<string, unknown>) => Promise<T>,
) {
  return middy<unknown, T & { now: string }, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .handler(async (event) => {
      const parsed = ScheduledEvent.parse(event);
      const now = new Date(parsed.time);
      const result = await run(now, parsed);
      logger.info(`${name} done`, { now: now.toISOString(), ...result });
      return { ...result, now: now.toISOString() };
    });
}
