/**
 * Scheduled runs: the EventBridge "Scheduled Event" a rule sends to its target, built for a
 * given time, so that `POST /_local/schedules/{name}` replays any moment and the timers of
 * `npm start` fire the same event at the real time.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { LOCAL_REGION } from './engines';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime';

export type ScheduledEvent = EventBridgeEvent<'Scheduled Event', Record<string, never>>;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant with a zone (`Z` or an offset); anything else is undefined. */
export function parseScheduleTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** EventBridge writes `time` in UTC without milliseconds (`2025-03-30T01:00:00Z`); milliseconds are kept only when given. */
export function eventBridgeTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

export function scheduledEvent(ruleName: string, time: Date): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT_ID,
    time: eventBridgeTime(time),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:rule/${ruleName}`],
    detail: {},
  };
}
