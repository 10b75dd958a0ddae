/**
 * The events AWS hands to Lambda, built field for field as AWS builds them: API Gateway HTTP API
 * (payload format 2.0) requests and WebSocket route events (lambda-events/http.ts), S3
 * object-created notifications, SQS batches and DynamoDB stream batches (lambda-events/records.ts),
 * EventBridge scheduled events, and the Lambda context. The local stack (lib/local/), the tests and
 * the bench build every event here, so a handler sees the same shapes in all of them and on AWS.
 *
 * No AWS SDK import and no I/O: this runs in tests, in the local stack and in the bench alike.
 */
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { type AwsPlace, LOCAL_PLACE } from './lambda-events/place';

export * from './lambda-events/http';
export * from './lambda-events/place';
export * from './lambda-events/records';

// ── EventBridge schedules ─────────────────────────────────────────────────────────────────────

export type ScheduledEvent = EventBridgeEvent<'Scheduled Event', Record<string, never>>;

/** EventBridge writes `time` in UTC without milliseconds (`2025-03-30T01:00:00Z`); milliseconds are kept only when given. */
export function eventBridgeTime(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

/** The "Scheduled Event" a schedule rule sends to its target at `time`. */
export function scheduledEvent(ruleName: string, time: Date, place: AwsPlace = LOCAL_PLACE): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: place.accountId,
    time: eventBridgeTime(time),
    region: place.region,
    resources: [`arn:aws:events:${place.region}:${place.accountId}:rule/${ruleName}`],
    detail: {},
  };
}

// ── the Lambda context ────────────────────────────────────────────────────────────────────────

export interface ContextInput {
  readonly functionName: string;
  readonly memoryMb?: number;
  /** The function's timeout: `getRemainingTimeInMillis` counts down from it. */
  readonly timeoutSeconds?: number;
  readonly logStreamName?: string;
  readonly place?: AwsPlace;
}

/** The context Lambda passes beside the event, with a deadline that runs down from now. */
export function lambdaContext(input: ContextInput): Context {
  const place = input.place ?? LOCAL_PLACE;
  const deadline = Date.now() + (input.timeoutSeconds ?? 30) * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${place.region}:${place.accountId}:function:${input.functionName}`,
    memoryLimitInMB: String(input.memoryMb ?? 256),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: input.logStreamName ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
