/**
 * The middy chain for EventBridge schedules: request-id logging, the event checked with zod, and
 * "now" taken from the event's `time` (not the clock), so a run can be replayed for any moment.
 * A run also gets its deadline: the moment to stop taking new work, STOP_BEFORE_TIMEOUT_MS before
 * the Lambda's own timeout (the context's remaining time), so what it started finishes and the
 * next run picks up the rest (functions/shared/dynamo/due-sweep.ts, workDue).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { logger } from './logger';
import { tracer } from './tracing';

/** A scheduled run stops taking work this long before its timeout: room to finish what it started. */
export const STOP_BEFORE_TIMEOUT_MS = 15_000;

const ScheduledEvent = z.object({ time: z.iso.datetime({ offset: true }) }).loose();

/**
 * `run` gets "now", the whole event (for schedules whose input carries more than the time: the
 * zone of a midnight run) and its deadline (epoch ms): take no new work after it.
 */
export function scheduledJob<T extends object>(
  name: string,
  run: (now: Date, event: Record<string, unknown>, deadline: number) => Promise<T>,
) {
  return middy<unknown, T & { now: string }, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer))
    .handler(async (event, context) => {
      const parsed = ScheduledEvent.parse(event);
      const now = new Date(parsed.time);
      const deadline = Date.now() + context.getRemainingTimeInMillis() - STOP_BEFORE_TIMEOUT_MS;
      const result = await run(now, parsed, deadline);
      logger.info(`${name} done`, { now: now.toISOString(), ...result });
      return { ...result, now: now.toISOString() };
    });
}
