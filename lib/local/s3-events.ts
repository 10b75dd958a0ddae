/**
 * S3 notifications from s3rver turned into the S3Event real S3 sends to Lambda. s3rver's own
 * event carries the key as stored (not URL-encoded), a malformed bucket ARN and quoted ETags;
 * real S3 encodes the key like a form value (space as `+`), which handlers must decode.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { LOCAL_REGION } from './engines';

/** The key as S3 event notifications spell it: each path segment form-encoded, `/` kept. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
        .replace(/%20/g, '+'),
    )
    .join('/');
}

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
      const record: S3EventRecord = {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: r.eventTime,
        eventName: r.eventName,
        userIdentity: { principalId: 'AWS:LOCALSTACKUSER' },
        requestParameters: { sourceIPAddress: r.requestParameters?.sourceIPAddress ?? '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': r.responseElements?.['x-amz-request-id'] ?? 'LOCAL',
          'x-amz-id-2': r.responseElements?.['x-amz-id-2'] ?? 'LOCAL',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-object-created',
          bucket: { name: bucket.name, ownerIdentity: { principalId: 'LOCALOWNER' }, arn: `arn:aws:s3:::${bucket.name}` },
          object: {
            key: encodeS3EventKey(object.key),
            size: Number(object.size ?? 0),
            eTag: String(object.eTag ?? '').replace(/"/g, ''),
            sequencer: object.sequencer ?? Date.now().toString(16).toUpperCase(),
          },
        },
      };
      return { bucket: bucket.name, key: object.key, event: { Records: [record] } };
    });
}
