/** API Gateway HTTP API events for a caller, and Lambda contexts, built by the shared factory (lib/lambda-events.ts). */
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../functions/shared/http';
import type { Role } from '../../functions/shared/principal';
import { httpApiEvent, lambdaContext as contextFor } from '../../lib/lambda-events';

export interface Caller {
  userId: string;
  role: Role;
  storeId?: string;
}

/** JWT claims exactly as API Gateway's JWT authorizer hands them over (groups as `[a b]`). */
function claimsOf(caller: Caller): Record<string, string> {
  return {
    sub: caller.userId,
    'cognito:groups': `[${caller.role}]`,
    ...(caller.storeId ? { 'custom:store_id': caller.storeId } : {}),
  };
}

/**
 * The event API Gateway sends for `routeKey`: the path filled from `pathParameters`, `body` sent
 * as JSON (or `rawBody` as it is), `content-type: application/json` unless a header says otherwise.
 */
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
  const path =
    options.path ??
    template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(options.pathParameters?.[name] ?? name));
  const event = httpApiEvent({
    routeKey: options.routeKey,
    method,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest', ...(options.headers ?? {}) },
    pathParameters: options.pathParameters,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    claims: options.caller ? claimsOf(options.caller) : undefined,
  }) as HttpEvent;
  // Raw bytes reach the function exactly as sent, whatever the content type claims (e.g. not valid UTF-8).
  return options.rawBytes === undefined
    ? event
    : { ...event, body: options.rawBytes.toString('base64'), isBase64Encoded: true };
}

export function lambdaContext(name = 'test-function'): Context {
  return contextFor({ functionName: name });
}
