/**
 * The local-only `/_local/…` routes (never deployed, not behind the authorizer), as one route
 * table: a map from `METHOD /path` to the function that answers it, as the manifest's routes are
 * keyed. A path segment `{name}` takes one segment, `{name+}` the rest of the path; both reach
 * the route decoded. `ANY` takes the methods no other entry of the same path names. A request
 * no entry takes is a 404 naming it. The routes themselves (README, "Quick start";
 * docs/architecture.md, "The local stack"):
 *
 *   GET  /_local                      what is running and where
 *   GET  /_local/schedules            every schedule: [{name, expression, timezone}]
 *   POST /_local/schedules/{name}     fires one, at the body's {"time"}
 *   GET  /_local/outbox               the local carrier's accepted messages
 *   POST /_local/sms                  a customer's text, signed and posted to the inbound webhook (./inbound-sms.ts)
 *   GET  /_local/invocations          which function each trigger reached, with its outcome
 *   POST /_local/drain                waits until queues, triggers and drop uploads are idle
 *   GET|POST /_local/pay/{token}      the stand-in payment provider (./payments.ts)
 *   and the live events' stand-ins: the bus, its events, the WebSocket management API (./live-events.ts)
 */
import type { IncomingHttpHeaders } from 'node:http';
import { type HttpAnswer, problemAnswer } from './http-api';

/** What a local route is given: the request, with the path's parameters decoded. */
export interface LocalRequest {
  readonly method: string;
  readonly path: string;
  /** Everything after the URL's first `?`. */
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly params: Readonly<Record<string, string>>;
}

export type LocalRoute = (request: LocalRequest) => HttpAnswer | Promise<HttpAnswer>;

/** Route key (`GET /_local/schedules/{name}`, `ANY …`) to the route. */
export type LocalRouteTable = Readonly<Record<string, LocalRoute>>;

interface CompiledLocalRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly route: LocalRoute;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A route key's path as a pattern: `{name}` one segment, `{name+}` the rest (possibly empty). */
function compileKey(key: string, route: LocalRoute): CompiledLocalRoute {
  const [method, path] = key.split(' ') as [string, string];
  const names: string[] = [];
  const source = path.replace(/\{([^}]+?)(\+?)\}|[^{]+/g, (part, name: string | undefined, greedy: string) => {
    if (name === undefined) return escapeRegExp(part);
    names.push(name);
    return greedy ? '(.*)' : '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, route };
}

/** Compiles a table once: the stack's routes are fixed at start. */
export function compileLocalRoutes(table: LocalRouteTable): readonly CompiledLocalRoute[] {
  return Object.entries(table).map(([key, route]) => compileKey(key, route));
}

/** The answer of the entry that takes `method path` (its own method before `ANY`), or the 404. */
export async function serveLocalRoute(
  routes: readonly CompiledLocalRoute[],
  request: Omit<LocalRequest, 'params'>,
): Promise<HttpAnswer> {
  const taking = (method: string) => routes.find((r) => r.method === method && r.pattern.test(request.path));
  const found = taking(request.method) ?? taking('ANY');
  if (!found) return problemAnswer(404, 'not-found', 'Not Found', `No local route ${request.method} ${request.path}.`);
  const values = found.pattern.exec(request.path)!.slice(1);
  const params = Object.fromEntries(found.names.map((name, i) => [name, decodeURIComponent(values[i]!)]));
  return found.route({ ...request, params });
}
