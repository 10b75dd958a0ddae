/**
 * API Gateway HTTP API, as far as the handlers can tell: route selection from the manifest
 * (most specific path wins), the JWT authorizer (local tokens), payload format 2.0 events, and
 * the v2 response rules (structured result, or a bare value answered as JSON 200).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { PROBLEM_TYPE_BASE } from '../../functions/shared/problem';
import { routeKey, type FunctionSpec, type RouteSpec } from '../functions';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime';
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
  const compiled = routes.map(({ fn, ...route }) => ({ route, fn, routeKey: routeKey(route), segments: splitPath(route.path) }));
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

/** Content types API Gateway hands over as text; every other body (form posts included) arrives base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || ['application/json', 'application/xml', 'application/javascript'].includes(type);
}

/** API Gateway's request id format: 16 random bytes of base64 with the padding cut short. */
const apiGatewayRequestId = () => randomBytes(12).toString('base64').replace(/[+/]/g, 'A').slice(0, 15) + '=';

function clfTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

export interface IncomingRequest {
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** A payload format 2.0 event, field for field as API Gateway builds it. */
export function buildEvent(request: IncomingRequest, match: RouteMatch, claims: Record<string, string> | undefined): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = splitUrl(request.url);
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      // v2 moves cookies out of the headers into their own array.
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(';').map((c) => c.trim()).filter(Boolean);
      continue;
    }
    headers[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  // What API Gateway adds in front of the function.
  headers['x-forwarded-for'] ??= request.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= (headers.host ?? '').split(':')[1] ?? '80';
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    // Repeated parameters arrive comma-joined, as in API Gateway v2.
    queryStringParameters[name] = name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
  }
  const now = new Date();
  const hasBody = request.body.length > 0;
  const asText = isTextContentType(headers['content-type']);
  const host = headers.host ?? '127.0.0.1';
  return {
    version: '2.0',
    routeKey: match.compiled.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters } : {}),
    ...(Object.keys(match.pathParameters).length > 0 ? { pathParameters: match.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      domainName: host,
      domainPrefix: host.split('.')[0]!,
      http: {
        method: request.method,
        path: safeDecode(rawPath),
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: apiGatewayRequestId(),
      routeKey: match.compiled.routeKey,
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(hasBody ? { body: asText ? request.body.toString('utf8') : request.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !asText,
  } as APIGatewayProxyEventV2;
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
  const body = r.body === undefined ? Buffer.alloc(0) : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
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
