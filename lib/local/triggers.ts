/**
 * The manifest's triggers, wired locally: S3 notifications of the uploads bucket (asynchronous
 * invocations, retried as Lambda retries them), the table's stream, and the rate schedules and
 * zone midnights on real timers. The queues are built by lib/local/queues.ts.
 */
import type { EventEmitter } from 'node:events';
import { passesSourceFilter } from '../../functions/events/rules';
import type { FunctionSpec } from '../function-spec';
import type { StackContext } from './context';
import type { S3Engine } from './engines';
import { objectCreatedEvents } from './s3-events';
import { scheduledEvent } from './schedules';
import { TableStream } from './table-stream';
import type { LocalSchedules } from './zone-schedules';

/** Lambda's tries of an asynchronous invocation: the first and two retries, then the event is dropped. */
const ASYNC_ATTEMPTS = 3;

/** An asynchronous invocation (S3): on failure Lambda retries it twice, then drops it. */
function invokeAsync(context: StackContext, fn: FunctionSpec, subject: string, event: unknown): Promise<void> {
  return context.background.track(
    (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await context.invoke(fn, 's3', subject, event);
          return;
        } catch {
          const last = attempt >= ASYNC_ATTEMPTS;
          context.log(
            `s3: ${subject} -> ${fn.id} attempt ${attempt} of ${ASYNC_ATTEMPTS} failed${last ? ', dropped' : ''}`,
          );
          if (last) return;
          await new Promise((r) => setTimeout(r, context.retryDelayMs * attempt));
        }
      }
    })(),
  );
}

/** The uploads bucket's object-created notifications, to the functions whose `s3` prefix and suffix match. */
export function wireS3Notifications(
  context: StackContext,
  functions: readonly FunctionSpec[],
  s3: S3Engine,
  bucket: string,
): void {
  // s3rver is a Koa app that emits 'event' for every object change (its types do not say so).
  (s3.server as unknown as EventEmitter).on('event', (s3rverEvent: Parameters<typeof objectCreatedEvents>[0]) => {
    for (const created of objectCreatedEvents(s3rverEvent)) {
      if (created.bucket !== bucket) continue;
      for (const fn of functions) {
        const { s3: trigger } = fn;
        if (
          trigger?.prefixes.some((prefix) => created.key.startsWith(prefix)) &&
          created.key.endsWith(trigger.suffix)
        ) {
          void invokeAsync(context, fn, `s3://${created.bucket}/${created.key}`, created.event);
        }
      }
    }
  });
}

/** The table's stream to the function with a `stream` block, through its filter. */
export async function wireTableStream(
  context: StackContext,
  functions: readonly FunctionSpec[],
  table: { endpoint: string; tableName: string },
): Promise<void> {
  const consumer = functions.find((f) => f.stream);
  if (!consumer) return;
  const stream = new TableStream({
    ...table,
    log: context.log,
    retryDelayMs: context.retryDelayMs,
    onChange: () => context.background.settle(),
    filter: (record) => passesSourceFilter(record.eventName, record.dynamodb?.Keys?.sk?.S),
    consume: (event) =>
      context.invoke(consumer, 'stream', `${event.Records.length} record(s)`, event).then(() => undefined),
  });
  await stream.start();
  context.background.addSource(() => stream.busy());
  context.onStop(() => stream.stop());
}

/** The manifest's rate schedules and the created zone midnights, fired on real timers. */
export function armScheduleTimers(
  context: StackContext,
  functions: readonly FunctionSpec[],
  schedules: LocalSchedules,
): void {
  const fire = (fn: FunctionSpec, name: string, time: string, event: unknown) =>
    void context.background.track(context.invoke(fn, 'schedule', `${name} @ ${time}`, event).catch(() => undefined));
  for (const fn of functions) {
    if (!fn.schedule) continue;
    const { name, everyMinutes } = fn.schedule;
    const timer = setInterval(() => {
      const event = scheduledEvent(name, new Date());
      fire(fn, name, event.time, event);
    }, everyMinutes * 60_000);
    timer.unref();
    context.onStop(() => clearInterval(timer));
  }
  schedules.armMidnightTimers((name, time) => {
    try {
      const run = schedules.run(name, time)!;
      fire(run.fn, name, run.time, run.event);
    } catch (error) {
      context.log(`schedule: ${name} @ ${time.toISOString()} failed: ${(error as Error).message}`);
    }
  });
}
