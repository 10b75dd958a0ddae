/**
 * The middy chain for EventBridge schedules: request-id logging, the event checked with zod, and
 * "now" taken from the event's `time` (not the clock), so a run can be replayed for any moment.
 * A run also gets its deadline: the moment to stop taking new work, STOP_BEFORE_TIMEOUT_MS before
 * the Lambda's own timeout (the context's remaining time), so what it started finishes and the
 * next run picks up the rest (functions/shared/dynamo/due-sweep.ts, workDue).
 */
import * as z from 'zod/mini';
import { droppable } from './droppable';
import { handlerChain } from './handler-chain';
import { logger } from './logger';

/** A scheduled run stops taking work this long before its timeout: room to finish what it started. */
export const STOP_BEFORE_TIMEOUT_MS = 15_000;

const ScheduledEvent = /* @__PURE__ */ droppable(() => z.looseObject({ time: z.iso.datetime({ offset: true }) }));

/**
 * `run` gets "now", the whole event (for schedules whose input carries more than the time: the
 * zone of a midnight run) and its deadline (epoch ms): take no new work after it.
 */
export function scheduledJob<T extends object>(
  name: string,
  run: (now: Date, event: Record<string, unknown>, deadline: number) => Promise<T>,
) {
  // A run's answer is counts and times, no personal data: the trace keeps it.
  return handlerChain<unknown, T & { now: string }>({ captureResponse: true }).handler(async (event, context) => {
    const parsed = ScheduledEvent.parse(event);
    const now = new Date(parsed.time);
    const deadline = Date.now() + context.getRemainingTimeInMillis() - STOP_BEFORE_TIMEOUT_MS;
    const result = await run(now, parsed, deadline);
    logger.info(`${name} done`, { now: now.toISOString(), ...result });
    return { ...result, now: now.toISOString() };
  });
}
