/**
 * Live events on the local stack, standing in for what AWS provides around the events functions:
 * - the WebSocket API: `ws://…/ws?token=…` on the HTTP port; the token is checked at the upgrade
 *   with the local verifier (a bad or missing one is refused with 401), and the connection is
 *   stored with the same code (functions/events/connections.ts) as the AWS `$connect` handler;
 * - its management API (`POST /@connections/{id}`, 410 Gone for a closed one) under
 *   `/_local/websocket`, which the publisher reaches through WEBSOCKET_CALLBACK_URL;
 * - the event bus: EventBridge's PutEvents under `/_local/eventbridge` (AWS_ENDPOINT_URL_EVENTBRIDGE),
 *   whose events `GET /_local/events?type=` lists in order.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LOCAL_PLACE } from '../lambda-events';
import { type HttpAnswer, problemAnswer } from './http-api';
import type { LocalRoute, LocalRouteTable } from './local-routes';
import { verifyToken } from './tokens';

export const LOCAL_EVENT_BUS = 'clienteling-local-events';
const WEBSOCKET_PATH = '/ws';
const MANAGEMENT_PREFIX = '/_local/websocket';
const BUS_PATH = '/_local/eventbridge';

/** An event as EventBridge hands it to a rule's target. */
interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: unknown;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Time?: number;
}

const json = (statusCode: number, value: unknown, contentType = 'application/json'): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': contentType },
  body: Buffer.from(JSON.stringify(value)),
});

export class LocalLiveEvents {
  private readonly sockets = new Map<string, WebSocket>();
  /** Stored connections whose handshake is still finishing: what is posted meanwhile waits for it. */
  private readonly pending = new Map<string, string[]>();
  private readonly bus: BusEvent[] = [];
  private readonly server = new WebSocketServer({ noServer: true });
  private stopping = false;

  constructor(
    private readonly options: {
      readonly signingKey: Buffer;
      readonly log: (line: string) => void;
      /** Work the stack's drain should wait for (storing and removing connections). */
      readonly track: (work: Promise<unknown>) => void;
    },
  ) {}

  /** What the events functions need to reach these stand-ins. */
  environment(url: string): Record<string, string> {
    return {
      EVENT_BUS_NAME: LOCAL_EVENT_BUS,
      WEBSOCKET_CALLBACK_URL: `${url}${MANAGEMENT_PREFIX}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `${url}${BUS_PATH}`,
    };
  }

  /** The HTTP server's `upgrade` listener: `/ws?token=…` becomes a connection, anything else is refused. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname !== WEBSOCKET_PATH) {
      refuse(socket, 404, 'not-found', 'Not Found', `WebSockets are served at ${WEBSOCKET_PATH} only.`);
      return;
    }
    const verified = verifyToken(this.options.signingKey, url.searchParams.get('token') ?? '');
    if (!verified.ok) {
      refuse(socket, 401, 'unauthorized', 'Unauthorized', `The token query parameter was refused: ${verified.reason}.`);
      return;
    }
    const connectionId = randomBytes(12).toString('base64url');
    const work = (async () => {
      const [{ principalFromClaims }, connections] = await Promise.all([
        import('../../functions/shared/principal'),
        import('../../functions/events/connections'),
      ]);
      const principal = principalFromClaims(verified.claims);
      const audiences = connections.audiencesOf(principal);
      if (audiences.length === 0)
        return refuse(
          socket,
          403,
          'forbidden',
          'Forbidden',
          'The user has no role, or belongs to no store and is no admin.',
        );
      // Stored before the handshake completes, as API Gateway's $connect is: once the client is open, no event passes it by.
      this.pending.set(connectionId, []);
      await connections.saveConnection(connectionId, principal, audiences, new Date());
      this.server.handleUpgrade(request, socket, head, (ws) => {
        this.sockets.set(connectionId, ws);
        for (const payload of this.pending.get(connectionId) ?? []) ws.send(payload);
        this.pending.delete(connectionId);
        this.options.log(`ws: ${connectionId} connected (${principal.userId}, ${principal.storeId ?? 'no store'})`);
        ws.on('close', () => {
          this.sockets.delete(connectionId);
          // At shutdown the table goes away with the stack; there is nothing to clean up in it.
          if (this.stopping) return;
          this.options.track(
            connections
              .deleteConnection(connectionId)
              .catch((error: unknown) =>
                this.options.log(`ws: removing ${connectionId} failed: ${(error as Error).message}`),
              ),
          );
        });
      });
    })().catch((error: unknown) => {
      this.pending.delete(connectionId);
      this.options.log(`ws: connect failed: ${(error as Error).message}`);
      refuse(socket, 500, 'internal', 'Internal Server Error', 'The connection could not be stored.');
    });
    this.options.track(work);
  }

  /** The local routes of the bus, its events and the management API, for the `/_local` route table (./local-routes.ts). */
  routes(): LocalRouteTable {
    const putEvents: LocalRoute = ({ headers, body }) => this.putEvents(headers, body);
    return {
      'GET /_local/events': ({ query }) => {
        const type = query.get('type');
        return json(200, type ? this.bus.filter((e) => e['detail-type'] === type) : this.bus);
      },
      // The SDK joins the endpoint's path and the operation's `/`.
      [`POST ${BUS_PATH}`]: putEvents,
      [`POST ${BUS_PATH}/`]: putEvents,
      [`ANY ${MANAGEMENT_PREFIX}/@connections/{connectionId+}`]: ({ method, params, body }) =>
        this.manage(method, params.connectionId!, body),
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const ws of this.sockets.values()) ws.terminate();
    this.sockets.clear();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private putEvents(headers: IncomingHttpHeaders, body: Buffer): HttpAnswer {
    const type = 'application/x-amz-json-1.1';
    if (headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      return json(
        400,
        {
          __type: 'UnknownOperationException',
          message: `The local bus serves PutEvents only, not ${String(headers['x-amz-target'])}.`,
        },
        type,
      );
    }
    const { Entries = [] } = JSON.parse(body.toString('utf8')) as { Entries?: PutEventsEntry[] };
    const results = Entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || !entry.Detail)
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required.' };
      const id = randomUUID();
      this.bus.push({
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: LOCAL_PLACE.accountId,
        time: new Date(entry.Time ? entry.Time * 1000 : Date.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: LOCAL_PLACE.region,
        resources: [],
        detail: JSON.parse(entry.Detail) as unknown,
      });
      return { EventId: id };
    });
    return json(200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }, type);
  }

  /** API Gateway's management API for one connection: post to it, look at it, or close it. */
  private manage(method: string, connectionId: string, body: Buffer): HttpAnswer {
    const waiting = this.pending.get(connectionId);
    if (waiting && method === 'POST') {
      waiting.push(body.toString('utf8'));
      return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
    }
    const ws = this.sockets.get(connectionId);
    if (!ws || ws.readyState !== ws.OPEN) {
      return {
        statusCode: 410,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' },
        body: Buffer.from('{"message":null}'),
      };
    }
    if (method === 'POST') {
      ws.send(body.toString('utf8'));
      return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
    }
    if (method === 'DELETE') {
      ws.close(1000);
      return { statusCode: 204, headers: {}, body: Buffer.alloc(0) };
    }
    return json(200, { connectionId });
  }
}

function refuse(socket: Duplex, status: number, slug: string, title: string, detail: string): void {
  const answer = problemAnswer(status, slug, title, detail);
  const reason =
    { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${String(answer.headers['content-type'])}\r\nContent-Length: ${answer.body.length}\r\nConnection: close\r\n\r\n${answer.body.toString('utf8')}`,
  );
}
