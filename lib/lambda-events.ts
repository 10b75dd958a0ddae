/**
 * The events AWS hands to Lambda, built field for field as AWS builds them: API Gateway HTTP API
 * (payload format 2.0) requests, S3 object-created notifications, SQS batches, EventBridge
 * scheduled events, and the Lambda context. The local stack (lib/local/) and the tests build every
 * event here, so a handler sees the same shapes in both and on AWS.
 *
 * No AWS SDK import and no I/O: this runs in tests, in the local stack and in the bench alike.
 */
import type {
  APIGatewayProxyEventV2,
  Context,
  EventBridgeEvent,
  S3Event,
  SQSEvent,
  SQSMessageAttributes,
  SQSRecord,
} from 'aws-lambda';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** The account and region an event claims to come from. */
export interface AwsPlace {
  readonly region: string;
  readonly accountId: string;
}

/** Where local and test events come from: no real account, the region local clients use. */
export const LOCAL_PLACE: AwsPlace = { region: 'us-east-1', accountId: '000000000000' };

// ── API Gateway HTTP API, payload format 2.0 ─────────────────────────────────────────────────

/** Content types API Gateway hands over as text; every other body (form posts included) arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(type);
}

export interface HttpRequestInput {
  /** `GET /stores/{storeId}`: the matched route. */
  readonly routeKey: string;
  readonly method: string;
  /** The path as received (still percent-encoded). */
  readonly rawPath: string;
  /** The query string as received, without `?`. */
  readonly rawQueryString?: string;
  /** Header names in any case; a repeated header as an array. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** The JWT authorizer's claims, when the route has one and it passed. */
  readonly claims?: Readonly<Record<string, string>>;
  readonly sourceIp?: string;
  readonly now?: Date;
  readonly place?: AwsPlace;
}

/** API Gateway's request id format: 16 random bytes of base64 with the padding cut short. */
const apiGatewayRequestId = () => randomBytes(12).toString('base64').replace(/[+/]/g, 'A').slice(0, 15) + '=';

/** `requestContext.time` is in Common Log Format: `22/Nov/2026:16:18:48 +0000`. */
function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A payload format 2.0 event as API Gateway builds it: header names lowercased and repeats
 * comma-joined, cookies moved into their own array, the `x-forwarded-*` headers added, repeated
 * query parameters comma-joined, and a body that is not text base64-encoded.
 */
export function httpApiEvent(input: HttpRequestInput): APIGatewayProxyEventV2 {
  const place = input.place ?? LOCAL_PLACE;
  const sourceIp = input.sourceIp ?? '127.0.0.1';
  const rawQueryString = input.rawQueryString ?? '';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      // v2 moves cookies out of the headers into their own array.
      cookies = (typeof value === 'string' ? value : value.join('; '))
        .split(';')
        .map((c) => c.trim())
        .filter(Boolean);
      continue;
    }
    headers[lower] = typeof value === 'string' ? value : value.join(',');
  }
  // What API Gateway adds in front of the function.
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= (headers.host ?? '').split(':')[1] ?? '80';
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    // Repeated parameters arrive comma-joined, as in API Gateway v2.
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const now = input.now ?? new Date();
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const hasBody = body !== undefined && body.length > 0;
  const asText = isTextContentType(headers['content-type']);
  const host = headers.host ?? '127.0.0.1';
  const pathParameters = input.pathParameters ?? {};
  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters: { ...pathParameters } } : {}),
    requestContext: {
      accountId: place.accountId,
      apiId: 'local',
      ...(input.claims ? { authorizer: { jwt: { claims: { ...input.claims }, scopes: null } } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: {
        method: input.method,
        path: safeDecode(input.rawPath),
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: apiGatewayRequestId(),
      routeKey: input.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !asText,
  } as APIGatewayProxyEventV2;
}

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
