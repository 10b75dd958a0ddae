/**
 * A real WebSocket client of the local stack's live events (the `ws` package, as a browser would
 * connect): collects every event it receives and waits for the ones a test expects.
 */
import WebSocket from 'ws';
import { baseUrl } from './e2e';

export interface ReceivedEvent {
  id: string;
  type: string;
  time: string;
  storeId: string | null;
  data: Record<string, any>;
  /** performance.now() when it arrived. */
  receivedAt: number;
}

export interface EventClient {
  readonly events: ReceivedEvent[];
  /** How many events each frame received held, in arrival order. */
  readonly frames: number[];
  /** The first event (already received or still to come) matching `match`. */
  next(match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Resolves with the n-th event (1-based) matching `match`, once it has come. */
  nth(n: number, match: (e: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): Promise<void>;
}

export const webSocketUrl = (token?: string): string =>
  `${baseUrl().replace(/^http/, 'ws')}/ws${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

export function connectEvents(token: string): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(webSocketUrl(token));
    const events: ReceivedEvent[] = [];
    const frames: number[] = [];
    const waiters: Array<{ match: (e: ReceivedEvent) => boolean; done: (e: ReceivedEvent) => void }> = [];
    ws.on('message', (data) => {
      // A frame is an array of events (docs/live-events.md, "Frames").
      const frame = JSON.parse(String(data)) as Array<Omit<ReceivedEvent, 'receivedAt'>>;
      if (!Array.isArray(frame)) throw new Error(`a frame that is not an array: ${String(data)}`);
      frames.push(frame.length);
      const receivedAt = performance.now();
      for (const received of frame) {
        const event = { ...received, receivedAt };
        events.push(event);
        for (const waiter of [...waiters]) {
          if (waiter.match(event)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.done(event);
          }
        }
      }
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the upgrade was refused with ${res.statusCode}`)));
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        events,
        frames,
        next: (match, timeoutMs = 10_000) => {
          const seen = events.find(match);
          if (seen) return Promise.resolve(seen);
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () =>
                fail(
                  new Error(
                    `no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => [e.type, e.data]))}`,
                  ),
                ),
              timeoutMs,
            );
            waiters.push({
              match,
              done: (e) => {
                clearTimeout(timer);
                done(e);
              },
            });
          });
        },
        nth: (n, match, timeoutMs = 10_000) => {
          let seen = 0;
          const counted = (e: ReceivedEvent) => match(e) && ++seen === n;
          const already = events.find(counted);
          if (already) return Promise.resolve(already);
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`${seen} of ${n} matching events within ${timeoutMs} ms`)),
              timeoutMs,
            );
            waiters.push({
              match: counted,
              done: (e) => {
                clearTimeout(timer);
                done(e);
              },
            });
          });
        },
        close: () =>
          new Promise<void>((done) => {
            if (ws.readyState === WebSocket.CLOSED) return done();
            ws.once('close', () => done());
            ws.close();
          }),
      }),
    );
  });
}

/** The status of a refused upgrade (401 for a bad token), or 101 when it was accepted. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}
