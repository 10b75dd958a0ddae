/**
 * Scheduled runs: the EventBridge "Scheduled Event" a rule sends to its target (built by
 * lib/lambda-events.ts), for a given time, so that `POST /_local/schedules/{name}` replays any
 * moment and the timers of `npm start` fire the same event at the real time.
 */
export { eventBridgeTime, scheduledEvent } from '../lambda-events';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with a zone (`Z` or an offset); anything else is undefined. */
export function parseScheduleTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
