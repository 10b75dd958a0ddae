/**
 * S3 notifications from s3rver turned into the S3Event real S3 sends to Lambda (built by
 * lib/lambda-events.ts). s3rver's own event carries the key as stored (not URL-encoded), a
 * malformed bucket ARN and quoted ETags; real S3 encodes the key like a form value (space as
 * `+`), which handlers must decode.
 */
import type { S3Event } from 'aws-lambda';
import { objectCreatedEvent } from '../lambda-events';

/** What s3rver emits (its own model of an S3 event record). */
interface S3rverRecord {
  eventName: string;
  eventTime: string;
  requestParameters?: { sourceIPAddress?: string };
  responseElements?: Record<string, string>;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
}

export interface ObjectCreated {
  readonly bucket: string;
  /** The key as stored (decoded). */
  readonly key: string;
  readonly event: S3Event;
}

/** The object-created records of an s3rver event, each as a one-record S3Event like S3 sends. */
export function objectCreatedEvents(s3rverEvent: { Records?: S3rverRecord[] }): ObjectCreated[] {
  return (s3rverEvent.Records ?? [])
    .filter((r) => r.eventName.startsWith('ObjectCreated:'))
    .map((r) => {
      const { bucket, object } = r.s3;
      const event = objectCreatedEvent({
        bucket: bucket.name,
        key: object.key,
        size: Number(object.size ?? 0),
        eTag: String(object.eTag ?? ''),
        sequencer: object.sequencer,
        eventName: r.eventName,
        eventTime: r.eventTime,
        sourceIp: r.requestParameters?.sourceIPAddress,
        requestId: r.responseElements?.['x-amz-request-id'],
        hostId: r.responseElements?.['x-amz-id-2'],
      });
      return { bucket: bucket.name, key: object.key, event };
    });
}
