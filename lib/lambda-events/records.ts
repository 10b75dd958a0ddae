/**
 * The batched events (`Records`): S3 object-created notifications, SQS batches and DynamoDB
 * stream batches. Part of the one event-factory module, lib/lambda-events.ts.
 */
import type {
  DynamoDBRecord,
  DynamoDBStreamEvent,
  S3Event,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
} from 'aws-lambda';
import { createHash, randomBytes } from 'node:crypto';
import { type AwsPlace, LOCAL_PLACE } from './place';

// ── S3 ────────────────────────────────────────────────────────────────────────────────────────

/** The key as S3 event notifications spell it: each path segment form-encoded (space as `+`), `/` kept. */
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

export interface ObjectCreatedInput {
  readonly bucket: string;
  /** The key as stored; the event carries it encoded, as S3 does. */
  readonly key: string;
  readonly size?: number;
  /** With or without the quotes S3's ETag header has; the event carries it without. */
  readonly eTag?: string;
  readonly sequencer?: string;
  readonly eventName?: string;
  readonly eventTime?: string;
  readonly sourceIp?: string;
  readonly requestId?: string;
  readonly hostId?: string;
  readonly place?: AwsPlace;
}

/** The one-record S3Event that S3 sends to Lambda for an object put. */
export function objectCreatedEvent(input: ObjectCreatedInput): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: (input.place ?? LOCAL_PLACE).region,
        eventTime: input.eventTime ?? new Date().toISOString(),
        eventName: input.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:LOCALSTACKUSER' },
        requestParameters: { sourceIPAddress: input.sourceIp ?? '127.0.0.1' },
        responseElements: { 'x-amz-request-id': input.requestId ?? 'LOCAL', 'x-amz-id-2': input.hostId ?? 'LOCAL' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local-object-created',
          bucket: {
            name: input.bucket,
            ownerIdentity: { principalId: 'LOCALOWNER' },
            arn: `arn:aws:s3:::${input.bucket}`,
          },
          object: {
            key: encodeS3EventKey(input.key),
            size: input.size ?? 0,
            eTag: (input.eTag ?? '').replace(/"/g, ''),
            sequencer: input.sequencer ?? Date.now().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}

// ── SQS ───────────────────────────────────────────────────────────────────────────────────────

/** A message attribute as SendMessage takes it. */
export interface QueueMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export const md5Hex = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

/** SQS's MD5 of message attributes: names sorted, each length-prefixed with its type, a transport byte and the value. */
export function md5OfMessageAttributes(attributes: Record<string, QueueMessageAttribute>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'));
    } else {
      parts.push(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

export const sqsQueueArn = (name: string, place: AwsPlace = LOCAL_PLACE) =>
  `arn:aws:sqs:${place.region}:${place.accountId}:${name}`;

export interface QueueMessageInput {
  readonly messageId: string;
  readonly body: string;
  /** This delivery's number: 1 on the first receive. */
  readonly receiveCount: number;
  readonly queueArn: string;
  readonly sentTimestamp?: number;
  readonly firstReceiveTimestamp?: number;
  readonly attributes?: Record<string, QueueMessageAttribute>;
  readonly place?: AwsPlace;
  /** FIFO queues: the message's group, deduplication id and sequence number. */
  readonly fifo?: { groupId: string; deduplicationId?: string; sequenceNumber?: string };
}

/** One record of an SQSEvent, as Lambda's event source mapping delivers it. */
export function sqsRecord(input: QueueMessageInput): SQSRecord {
  const now = Date.now();
  const attributes = input.attributes ?? {};
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(attributes)) {
    messageAttributes[name] = {
      dataType: a.DataType,
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: a.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
    };
  }
  const md5OfAttributes = md5OfMessageAttributes(attributes);
  return {
    messageId: input.messageId,
    receiptHandle: randomBytes(48).toString('base64'),
    body: input.body,
    attributes: {
      ApproximateReceiveCount: String(input.receiveCount),
      SentTimestamp: String(input.sentTimestamp ?? now),
      SenderId: 'AROALOCALSTACKSENDER:local',
      ApproximateFirstReceiveTimestamp: String(input.firstReceiveTimestamp ?? now),
      ...(input.fifo
        ? {
            MessageGroupId: input.fifo.groupId,
            MessageDeduplicationId: input.fifo.deduplicationId,
            SequenceNumber: input.fifo.sequenceNumber,
          }
        : {}),
    },
    messageAttributes,
    md5OfBody: md5Hex(input.body),
    ...(md5OfAttributes ? { md5OfMessageAttributes: md5OfAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: input.queueArn,
    awsRegion: (input.place ?? LOCAL_PLACE).region,
  } as SQSRecord;
}

export const sqsEvent = (records: readonly SQSRecord[]): SQSEvent => ({ Records: [...records] });

// ── DynamoDB streams ──────────────────────────────────────────────────────────────────────────

/** A record as the DynamoDB Streams API returns it (GetRecords): the creation time as a Date. */
export interface StreamApiRecord<D extends { readonly ApproximateCreationDateTime?: Date }> {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly eventVersion?: string;
  readonly eventSource?: string;
  readonly awsRegion?: string;
  /** Keys, images, sequence number...: handed over as they are. */
  readonly dynamodb?: D;
}

/** A stream record as Lambda hands it over: the SDK's Date becomes epoch seconds, the source fields are added. */
export function dynamoStreamRecord<D extends { readonly ApproximateCreationDateTime?: Date }>(
  record: StreamApiRecord<D>,
  streamArn: string,
  place: AwsPlace = LOCAL_PLACE,
): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...rest } = record.dynamodb ?? ({} as D);
  return {
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? place.region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(rest as DynamoDBRecord['dynamodb']),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: ApproximateCreationDateTime.getTime() / 1000 }
        : {}),
    },
  };
}

export const dynamoStreamEvent = (records: readonly DynamoDBRecord[]): DynamoDBStreamEvent => ({
  Records: [...records],
});
