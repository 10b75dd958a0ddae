/**
 * The local stack's HTTP front door, one port for everything: the manifest's routes (authorizer,
 * payload limit, API Gateway's v2 event, the function's answer), the API reference, WebSocket
 * upgrades, and the local-only `/_local/…` routes (schedules, drain, outbox, invocations, a
 * customer's signed text to the webhook, the stand-in payment page, the live events' stand-ins)
 * as one route table (./local-routes.ts).
 * Requests wait until the stack is ready.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { routeTable } from '../functions';
import { isApiReferencePath, serveApiReference } from './api-reference';
import type { StackContext } from './context';
import {
  answerFromResult,
  authorize,
  buildEvent,
  compileRoutes,
  type HttpAnswer,
  type IncomingRequest,
  matchRoute,
  problemAnswer,
} from './http-api';
import { loggablePath } from '../../functions/shared/log-redaction';
import type { LocalLiveEvents } from './live-events';
import { compileLocalRoutes, type LocalRouteTable, serveLocalRoute } from './local-routes';
import { postLocalSms } from './inbound-sms';
import { parseScheduleTime } from './schedules';
import type { LocalSchedules } from './zone-schedules';

/** Lambda's synchronous invocation payload limit: API Gateway cannot hand a larger request to a function. */
const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface FrontDoorParts {
  readonly signingKey: Buffer;
  readonly liveEvents: LocalLiveEvents;
  readonly schedules: LocalSchedules;
  /** What `GET /_local` answers. */
  readonly describe: () => unknown;
  /** What `GET /_local/outbox` answers. */
  readonly outbox: () => unknown;
  /** The public base URL functions were given (for the stand-in payment page). */
  readonly publicBaseUrl: () => string;
}

export interface FrontDoor {
  readonly url: string;
  /** Lets the waiting requests in. */
  open(parts: FrontDoorParts): void;
}

const jsonAnswer = (statusCode: number, value: unknown): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(value === undefined ? null : value)),
});

/**
 * The request's body, or 'too-large' as soon as it is known to be over `limit`: at once from a
 * Content-Length, else when the bytes read pass it (a chunked body), when reading stops. So an
 * oversize body is refused while it arrives, never held in memory whole.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let read = 0;
    const take = (chunk: Buffer) => {
      read += chunk.length;
      if (read <= limit) return void chunks.push(chunk);
      // Stop reading here: nothing more of this body enters the process.
      req.pause();
      req.off('data', take);
      chunks.length = 0;
      resolve('too-large');
    };
    req.on('data', take);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** How long a connection whose body was refused stays open after the answer, discarding what still arrives. */
const LINGER_MS = 1_000;

/**
 * Ends a connection whose body was refused: our side is shut at once, and what the client still
 * sends is read and dropped (never kept) for a moment before the socket is destroyed. Destroying
 * it at once, with the client's bytes unread, resets the connection, and a client still writing
 * can see the reset before it has read the 413 (as browsers and the `http` module do).
 */
function closeAfterAnswer(req: IncomingMessage): void {
  const socket = req.socket;
  socket.end();
  req.on('data', () => {});
  req.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** Listens on `port` (0: a free one); requests are held until `open`. */
export async function startFrontDoor(context: StackContext, port: number): Promise<FrontDoor> {
  let open!: (parts: FrontDoorParts) => void;
  const opened = new Promise<FrontDoorParts>((resolve) => (open = resolve));
  const routes = compileRoutes(routeTable());
  const server = createServer((req, res) => void opened.then((parts) => serve(parts, req, res)));
  // WebSocket upgrades (`/ws?token=…`) on the same port.
  server.on('upgrade', (req, socket, head) => void opened.then((parts) => parts.liveEvents.upgrade(req, socket, head)));

  /**
   * A request for a manifest route, as API Gateway hands it on: the route, the authorizer, the v2
   * event (received at `receivedAt`, default now), the function's answer. `POST /_local/sms` posts
   * its signed webhook through here too.
   */
  const dispatchRoute = async (
    parts: FrontDoorParts,
    request: IncomingRequest,
  ): Promise<{ answer: HttpAnswer; fnId: string }> => {
    const { method } = request;
    const path = request.url.split('?')[0]!;
    const match = matchRoute(routes, method, path);
    if (!match)
      return { answer: problemAnswer(404, 'not-found', 'Not Found', `No route ${method} ${path}.`), fnId: '' };
    const fnId = match.compiled.fn.id;
    const auth =
      match.compiled.route.auth === 'jwt' ? authorize(parts.signingKey, request.headers.authorization) : undefined;
    if (auth && !auth.ok) {
      const answer = problemAnswer(
        401,
        'unauthorized',
        'Unauthorized',
        `The bearer token was refused: ${auth.reason}.`,
        {
          'www-authenticate': 'Bearer error="invalid_token"',
        },
      );
      return { answer, fnId };
    }
    const event = buildEvent(request, match, auth?.ok ? auth.claims : undefined);
    let answer: HttpAnswer;
    try {
      const result = await context.runtime.invoke(match.compiled.fn, 'http', `${method} ${loggablePath(path)}`, event);
      answer = answerFromResult(result);
    } catch (error) {
      context.print(
        `[local] ${fnId} failed on ${method} ${loggablePath(path)}: ${(error as Error).stack ?? String(error)}`,
      );
      answer = problemAnswer(500, 'internal', 'Internal Server Error', 'The function failed; see the local stack log.');
    }
    answer.headers['apigw-requestid'] = event.requestContext.requestId;
    return { answer, fnId };
  };

  const serve = async (parts: FrontDoorParts, req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const body = await readBody(req, LAMBDA_SYNC_PAYLOAD_BYTES);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    let answer: HttpAnswer;
    let fnId = '';
    try {
      if (body === 'too-large') {
        answer = problemAnswer(
          413,
          'payload-too-large',
          'Payload Too Large',
          `Lambda takes at most ${LAMBDA_SYNC_PAYLOAD_BYTES} bytes per request.`,
        );
        // The rest of the body is never kept: the connection ends with the answer (a lingering
        // close). Not `Connection: close`: with it Node destroys the socket as soon as the answer
        // is written, and the reset can reach a client still writing before the 413 does.
        res.once('finish', () => closeAfterAnswer(req));
      } else if (path === '/_local' || path.startsWith('/_local/')) {
        answer = await serveLocal(parts, method, url, body, req.headers);
      } else if (isApiReferencePath(path)) {
        answer = await serveApiReference(method, path);
      } else {
        const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
        ({ answer, fnId } = await dispatchRoute(parts, { method, url, headers: req.headers, body, sourceIp }));
      }
    } catch (error) {
      context.print(`[local] ${method} ${loggablePath(path)} failed: ${(error as Error).stack ?? String(error)}`);
      answer = problemAnswer(500, 'internal', 'Internal Server Error', (error as Error).message);
    }
    res.writeHead(answer.statusCode, answer.headers);
    res.end(answer.body);
    context.log(
      `${method} ${loggablePath(url)} ${answer.statusCode} ${Math.round(performance.now() - started)} ms${fnId ? ` (${fnId})` : ''}`,
    );
  };

  /**
   * The `/_local` route table (./local-routes.ts): never deployed, not behind the authorizer. The
   * payment pages are loaded on first use, once the functions' environment is set.
   */
  const localRouteTable = (parts: FrontDoorParts): LocalRouteTable => {
    const payments = () => import('./payments');
    return {
      ...parts.liveEvents.routes(),
      'GET /_local': () => jsonAnswer(200, parts.describe()),
      'GET /_local/schedules': () => jsonAnswer(200, parts.schedules.list()),
      'POST /_local/schedules/{name}': ({ params, body }) => runSchedule(parts.schedules, params.name!, body),
      'GET /_local/outbox': () => jsonAnswer(200, parts.outbox()),
      'POST /_local/sms': ({ body }) =>
        postLocalSms(body, parts.publicBaseUrl(), async (request) => {
          const sent = { ...request, sourceIp: '127.0.0.1' };
          const { answer, fnId } = await dispatchRoute(parts, sent);
          context.log(`  POST /_local/sms → ${request.method} ${request.url} ${answer.statusCode} (${fnId})`);
          return answer;
        }),
      'GET /_local/invocations': () => jsonAnswer(200, context.runtime.invocations()),
      'POST /_local/drain': async ({ query }) => {
        const timeoutMs = Number(query.get('timeoutMs') ?? 60_000);
        const done = await Promise.race([
          context.background.drained().then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), timeoutMs)),
        ]);
        return jsonAnswer(done ? 200 : 504, { drained: done });
      },
      'GET /_local/pay/{token}': async ({ params, query }) => (await payments()).localPaymentPage(params.token!, query),
      'POST /_local/pay/{token}': async ({ params, body }) =>
        (await payments()).localPay(params.token!, new URLSearchParams(body.toString('utf8')), parts.publicBaseUrl()),
      'ANY /_local/pay/{token}': async () => (await payments()).methodNotAllowed(),
    };
  };
  let localRoutes: ReturnType<typeof compileLocalRoutes> | undefined;
  const serveLocal = (
    parts: FrontDoorParts,
    method: string,
    url: string,
    body: Buffer,
    headers: IncomingHttpHeaders,
  ) => {
    localRoutes ??= compileLocalRoutes(localRouteTable(parts));
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    return serveLocalRoute(localRoutes, { method, path: url.split('?')[0]!, query, headers, body });
  };

  /** `POST /_local/schedules/{name}`: fires a schedule now, or at the body's `time`. */
  const runSchedule = async (schedules: LocalSchedules, name: string, body: Buffer): Promise<HttpAnswer> => {
    if (!schedules.list().some((s) => s.name === name)) {
      const known = schedules.list().map((s) => s.name);
      return problemAnswer(
        404,
        'not-found',
        'Not Found',
        `No schedule named ${name}; the schedules are ${known.join(', ')}.`,
      );
    }
    let time = new Date();
    if (body.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return problemAnswer(
          400,
          'validation',
          'Invalid request',
          'The body is not valid JSON; send {"time": "<ISO-8601 instant>"}.',
        );
      }
      const given = (parsed as { time?: unknown } | null)?.time;
      if (given !== undefined) {
        const at = parseScheduleTime(given);
        if (!at)
          return problemAnswer(
            400,
            'validation',
            'Invalid request',
            `time must be an ISO-8601 instant with a zone, e.g. 2025-03-30T01:00:00Z; got ${JSON.stringify(given)}.`,
          );
        time = at;
      }
    }
    try {
      const { fn, event, time: at } = schedules.run(name, time)!;
      return jsonAnswer(200, await context.invoke(fn, 'schedule', `${name} @ ${at}`, event));
    } catch (error) {
      return problemAnswer(500, 'internal', 'Internal Server Error', `${name} failed: ${(error as Error).message}`);
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is in use; set PORT to another one.`) : error),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  context.onStop(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, open };
}
