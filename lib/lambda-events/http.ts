/**
 * API Gateway's events: HTTP API requests (payload format 2.0) and WebSocket API route events
 * ($connect, $disconnect). Part of the one event-factory module, lib/lambda-events.ts.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { type AwsPlace, LOCAL_PLACE } from './place';

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

// ── API Gateway WebSocket API ─────────────────────────────────────────────────────────────────

export interface WebSocketRouteInput {
  readonly routeKey: '$connect' | '$disconnect';
  readonly connectionId: string;
  /** The query string of the `$connect` request (`?token=…`). */
  readonly queryStringParameters?: Record<string, string>;
  readonly stage?: string;
  readonly place?: AwsPlace;
}

/** The event a WebSocket API's `$connect` or `$disconnect` route hands to its integration. */
export function webSocketEvent(input: WebSocketRouteInput): APIGatewayProxyWebsocketEventV2 {
  const place = input.place ?? LOCAL_PLACE;
  const now = new Date();
  const connect = input.routeKey === '$connect';
  return {
    requestContext: {
      routeKey: input.routeKey,
      eventType: connect ? 'CONNECT' : 'DISCONNECT',
      extendedRequestId: apiGatewayRequestId(),
      requestTimeEpoch: now.getTime(),
      messageDirection: 'IN',
      stage: input.stage ?? 'live',
      connectedAt: now.getTime(),
      requestId: apiGatewayRequestId(),
      domainName: `local.execute-api.${place.region}.amazonaws.com`,
      connectionId: input.connectionId,
      apiId: 'local',
    },
    ...(connect && input.queryStringParameters ? { queryStringParameters: input.queryStringParameters } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyWebsocketEventV2;
}
