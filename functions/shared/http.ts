/**
 * The HTTP middy chain, written once for every API function: request-id logging, identity from
 * the verified JWT claims, role checks, zod validation of path, query and body with the failing
 * fields named, and RFC 9457 problem+json for every failure (500s log the error, never leak it).
 *
 * A function's handler file is then a route table:
 *
 *   export const handler = httpApi({
 *     'GET /stores/{storeId}': route({ roles: ANY_ROLE, params: StoreParams }, async ({ principal, params }) => ok(await getStore(...))),
 *   });
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import {
  DomainError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldError,
} from './errors';
import { jsonOf, parseJsonBodyWith, parseOrReject } from './validation';
import { logger } from './logger';
import { loggablePath } from './log-redaction';
import { principalFromClaims, requireRole, type Principal, type Role } from './principal';
import { recordStaff } from './staff';
import { systemClock } from './clock';
import { problemResponse, toProblem } from './problem';
import { handlerChain } from './handler-chain';

export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface RequestContext<P, Q, B> {
  readonly event: HttpEvent;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The body as text (decoded from base64 when API Gateway encoded it). */
  readonly rawBody: string;
  /** The body's bytes exactly as sent: what a signature over the body covers. */
  readonly rawBytes: Buffer;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
}

export interface AuthedContext<P, Q, B> extends RequestContext<P, Q, B> {
  readonly principal: Principal;
}

type Schema<T> = z.ZodMiniType<T>;

interface RouteOptions<P, Q, B> {
  params?: Schema<P>;
  query?: Schema<Q>;
  /** JSON body schema. */
  body?: Schema<B>;
  /** application/x-www-form-urlencoded body schema (webhooks). */
  form?: Schema<B>;
}

/** What a route accepts, kept on its handler so the API description (npm run openapi) reads the very schemas it validates with. */
export interface RouteContract {
  readonly auth: 'jwt' | 'public';
  readonly roles?: readonly Role[];
  readonly params?: z.ZodMiniType;
  readonly query?: z.ZodMiniType;
  readonly body?: z.ZodMiniType;
  readonly form?: z.ZodMiniType;
}

export type RouteHandler = ((event: HttpEvent, requestId: string) => Promise<HttpResult>) & {
  readonly contract?: RouteContract;
};

// ── answers ──────────────────────────────────────────────────────────────────────────────────

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
export const ok = (body: unknown, headers?: Record<string, string>) => json(200, body, headers);
export const created = (body: unknown, headers?: Record<string, string>) => json(201, body, headers);
export const noContent = (): HttpResult => ({ statusCode: 204 });
export const html = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  body,
});

// ── parsing ──────────────────────────────────────────────────────────────────────────────────

function parsePart<T>(where: FieldError['in'], schema: Schema<T> | undefined, value: unknown): T {
  return schema ? parseOrReject(where, schema, value) : (undefined as T);
}

/** One optional request header, checked with `schema` (a bad value is a 400 naming the header). */
export function optionalHeader<T>(
  headers: Readonly<Record<string, string | undefined>>,
  name: string,
  schema: Schema<T>,
): T | undefined {
  const value = headers[name.toLowerCase()];
  return value === undefined ? undefined : parseOrReject('header', schema, value, `Invalid header ${name}`, name);
}

/** The body's bytes exactly as received (signatures are computed over bytes, not decoded text). */
export function rawBytesOf(event: HttpEvent): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * The largest body any route takes: JSON bodies are small (a batch of customers is the largest),
 * and API Gateway would pass up to 10 MB, so the function's own check is the limit (docs/architecture.md, "HTTP API").
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/** `application/json`, with at most a UTF-8 charset: what a route with a JSON body takes. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '')
    throw new ValidationError('A JSON body is required.', [{ in: 'body', field: 'body', detail: 'missing' }]);
  return jsonOf(raw);
}

function lowerCaseHeaders(headers: HttpEvent['headers']): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}

function buildContext<P, Q, B>(
  options: RouteOptions<P, Q, B>,
  event: HttpEvent,
  requestId: string,
): RequestContext<P, Q, B> {
  // The ids of the path and the query first: one that is too long or odd is the 400, whatever the body.
  const params = parsePart('path', options.params, event.pathParameters ?? {});
  const query = parsePart('query', options.query, event.queryStringParameters ?? {});
  const rawBytes = rawBytesOf(event);
  if (rawBytes.length > MAX_BODY_BYTES)
    throw new PayloadTooLargeError(`The body is ${rawBytes.length} bytes; this API takes at most ${MAX_BODY_BYTES}.`);
  const headers = lowerCaseHeaders(event.headers);
  const rawBody = rawBytes.toString('utf8');
  let body: B = undefined as B;
  if (options.body) {
    if (!JSON_CONTENT_TYPE.test(headers['content-type'] ?? ''))
      throw new UnsupportedMediaTypeError(
        `This route takes a JSON body sent as application/json, not ${headers['content-type'] ?? 'no content type'}.`,
      );
    body = parseJsonBodyWith(options.body, parseJsonBody(rawBody));
  } else if (options.form) body = parsePart('body', options.form, Object.fromEntries(new URLSearchParams(rawBody)));
  return { event, requestId, rawBody, rawBytes, headers, params, query, body };
}

// ── routes ───────────────────────────────────────────────────────────────────────────────────

/** A route behind the JWT authorizer: the caller must hold one of `roles`. */
export function route<P = undefined, Q = undefined, B = undefined>(
  options: RouteOptions<P, Q, B> & { roles: readonly Role[] },
  handle: (ctx: AuthedContext<P, Q, B>) => Promise<HttpResult>,
): RouteHandler {
  const run = async (event: HttpEvent, requestId: string) => {
    const principal = principalFromClaims(event.requestContext.authorizer?.jwt?.claims);
    requireRole(principal, options.roles);
    // Beside the request, not before it: a store user's first request of the day records them as staff.
    const [result] = await Promise.all([
      handle({ ...buildContext(options, event, requestId), principal }),
      recordStaff(principal, systemClock()),
    ]);
    return result;
  };
  return Object.assign(run, { contract: { auth: 'jwt' as const, ...options } });
}

/** A route with no authorizer: the handler checks its own signature or token. */
export function publicRoute<P = undefined, Q = undefined, B = undefined>(
  options: RouteOptions<P, Q, B>,
  handle: (ctx: RequestContext<P, Q, B>) => Promise<HttpResult>,
): RouteHandler {
  const run = async (event: HttpEvent, requestId: string) => handle(buildContext(options, event, requestId));
  return Object.assign(run, { contract: { auth: 'public' as const, ...options } });
}

/** Answers every failure as problem+json; logs 5xx with the error and 4xx as a warning. */
const problemDetails = (): MiddlewareObj<HttpEvent, HttpResult, Error, Context> => ({
  onError: async (request) => {
    const requestId = request.context.awsRequestId;
    const problem = toProblem(request.error, requestId);
    if (problem.status >= 500)
      logger.error('request failed', { error: request.error as Error, routeKey: request.event.routeKey });
    else
      logger.warn('request refused', {
        status: problem.status,
        detail: problem.detail,
        routeKey: request.event.routeKey,
      });
    const headers = request.error instanceof DomainError ? { ...request.error.headers } : {};
    request.response = problemResponse({ ...problem, instance: request.event.rawPath }, headers);
  },
});

/** The middy handler for a function's route table, keyed by API Gateway route key. */
export function httpApi(routes: Record<string, RouteHandler>) {
  // Responses carry customers' personal data: the trace keeps timings and errors, not bodies (the chain's default).
  const handler = handlerChain<HttpEvent, HttpResult>()
    .use(problemDetails())
    .handler(async (event, context) => {
      const route = routes[event.routeKey];
      // The detail is logged with the refusal: a share link's token must not be (./log-redaction.ts).
      if (!route)
        throw new NotFoundError(`No route ${event.requestContext.http?.method ?? ''} ${loggablePath(event.rawPath)}.`);
      logger.appendKeys({ routeKey: event.routeKey });
      return route(event, context.awsRequestId);
    });
  return Object.assign(handler, { routes });
}
