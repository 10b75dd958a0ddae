/** Event factories: API Gateway HTTP API (payload v2) events and Lambda contexts, as AWS sends them. */
import type { Context } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { HttpEvent } from '../../functions/shared/http';
import type { Role } from '../../functions/shared/principal';

export interface Caller {
  userId: string;
  role: Role;
  storeId?: string;
}

/** JWT claims exactly as API Gateway's JWT authorizer hands them over (groups as `[a b]`). */
export function claimsOf(caller: Caller): Record<string, string> {
  return {
    sub: caller.userId,
    'cognito:groups': `[${caller.role}]`,
    ...(caller.storeId ? { 'custom:store_id': caller.storeId } : {}),
  };
}

export function httpEvent(options: {
  routeKey: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  /** Bytes as API Gateway passes a body it does not take for text: base64, isBase64Encoded. */
  rawBytes?: Buffer;
  headers?: Record<string, string>;
  caller?: Caller;
}): HttpEvent {
  const [method, template] = options.routeKey.split(' ') as [string, string];
  const path = options.path ?? template.replace(/\{(\w+)\}/g, (_, name: string) => options.pathParameters?.[name] ?? name);
  const body = options.rawBytes?.toString('base64') ?? options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body,
    isBase64Encoded: options.rawBytes !== undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: options.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.caller ? { authorizer: { jwt: { claims: claimsOf(options.caller), scopes: [] } } } : {}),
    },
  } as HttpEvent;
}

export function lambdaContext(name = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
