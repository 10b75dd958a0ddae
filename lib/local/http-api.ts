/**
 * API Gateway HTTP API, as far as the handlers can tell: route selection from the manifest
 * (most specific path wins), the JWT authorizer (local tokens), payload format 2.0 events, and
 * the v2 response rules (structured result, or a bare value answered as JSON 200).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PROBLEM_TYPE_BASE } from '../../functions/shared/problem';
import type { FunctionSpec, RouteSpec } from '../function-spec';
import { routeKey } from '../functions';
import { httpApiEvent } from '../lambda-events';
import { authorizerClaims, verifyToken } from './tokens';

export interface CompiledRoute {
  readonly route: RouteSpec;
  readonly fn: FunctionSpec;
  readonly routeKey: string;
  readonly segments: readonly string[];
}

export interface RouteMatch {
  readonly compiled: CompiledRoute;
  readonly pathParameters: Record<string, string>;
}

const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');
const splitPath = (path: string) => path.split('/').slice(1);

export function compileRoutes(routes: ReadonlyArray<RouteSpec & { fn: FunctionSpec }>): CompiledRoute[] {
  const compiled = routes.map(({ fn, ...route }) => ({
    route,
    fn,
    routeKey: routeKey(route),
    segments: splitPath(route.path),
  }));
  // API Gateway prefers the most specific route: at the first differing segment, a literal beats a parameter.
  return compiled.sort((a, b) => {
    for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
      const pa = isParameter(a.segments[i]!);
      const pb = isParameter(b.segments[i]!);
      if (pa !== pb) return pa ? 1 : -1;
    }
    return 0;
  });
}

/**
 * The route for this method and path. A known path with another method is not a match either:
 * HTTP APIs answer both with 404 Not Found.
 */
export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteMatch | undefined {
  const segments = splitPath(path);
  for (const compiled of routes) {
    if (compiled.route.method !== method || compiled.segments.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matches = compiled.segments.every((expected, i) => {
      const actual = segments[i]!;
      if (!isParameter(expected)) return expected === actual;
      if (actual === '') return false;
      pathParameters[expected.slice(1, -1)] = safeDecode(actual);
      return true;
    });
    if (matches) return { compiled, pathParameters };
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export type AuthResult = { ok: true; claims: Record<string, string> } | { ok: false; reason: string };

/** The JWT authorizer: the token comes from the Authorization header, with or without the `Bearer ` prefix. */
export function authorize(signingKey: Buffer, authorization: string | undefined): AuthResult {
  if (!authorization) return { ok: false, reason: 'no Authorization header' };
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const verified = verifyToken(signingKey, token);
  return verified.ok ? { ok: true, claims: authorizerClaims(verified.claims) } : verified;
}

export interface IncomingRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
  /** When the gateway received it (`requestContext.timeEpoch`); default now. */
  readonly receivedAt?: Date;
}

/** A payload format 2.0 event for a request received on the local port (lib/lambda-events.ts builds it). */
export function buildEvent(
  request: IncomingRequest,
  match: RouteMatch,
  claims: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = splitUrl(request.url);
  return httpApiEvent({
    routeKey: match.compiled.routeKey,
    method: request.method,
    rawPath,
    rawQueryString,
    headers: request.headers,
    pathParameters: match.pathParameters,
    body: request.body,
    claims,
    sourceIp: request.sourceIp,
    ...(request.receivedAt ? { now: request.receivedAt } : {}),
  });
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at + 1)];
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** The v2 response rules: a result with `statusCode` is taken as structured; anything else is JSON 200. */
export function answerFromResult(result: unknown): HttpAnswer {
  const structured = typeof result === 'object' && result !== null && 'statusCode' in result;
  if (!structured) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
    };
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode) || r.statusCode < 100 || r.statusCode > 599) {
    throw new Error(`The handler answered an invalid statusCode: ${JSON.stringify(r.statusCode)}`);
  }
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (r.cookies && r.cookies.length > 0) headers['set-cookie'] = [...r.cookies];
  const body =
    r.body === undefined ? Buffer.alloc(0) : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  return { statusCode: r.statusCode, headers, body };
}

/** A failure answered by the gateway itself (no route, no valid token, a handler crash), as problem+json like the handlers' own. */
export const problemAnswer = (
  status: number,
  slug: string,
  title: string,
  detail: string,
  extraHeaders: Record<string, string> = {},
): HttpAnswer => ({
  statusCode: status,
  headers: { 'content-type': 'application/problem+json', ...extraHeaders },
  body: Buffer.from(JSON.stringify({ type: PROBLEM_TYPE_BASE + slug, title, status, detail })),
});
