/**
 * The local stack (docs/architecture.md, "The local stack"): DynamoDB Local, s3rver, the HTTP API, the import queue,
 * S3 triggers, schedules, the drop folder and the Twilio outbox, all driven by the same manifest
 * (lib/functions.ts) and the same handler modules as on AWS. `npm start` (bin/local.ts) and the
 * e2e test setup both run it.
 *
 * It sets the handlers' environment in `process.env` (all functions share this process), so run
 * it in a process of its own.
 */
import type { EventEmitter } from 'node:events';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import {
  FUNCTIONS,
  IMPORT_QUEUE_MAX_RECEIVES,
  INBOUND_QUEUE_MAX_RECEIVES,
  routeTable,
  type FunctionSpec,
} from '../functions';
import { ENV } from '../../functions/shared/env-names';
import { LOCAL_PAYMENT_SECRET, LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { LOCAL_DEFAULTS, REPO_ROOT } from './defaults';
import { demoUsers, seedDemoData, type SeedOutcome } from './demo-data';
import { LocalCarrier } from './carrier';
import { DropFolder } from './drop-folder';
import {
  ensureTable,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  localS3Client,
  startDynamoLocal,
  startS3rver,
  type Engine,
  type S3Engine,
} from './engines';
import { isApiReferencePath, serveApiReference } from './api-reference';
import {
  answerFromResult,
  authorize,
  buildEvent,
  compileRoutes,
  matchRoute,
  problemAnswer,
  type HttpAnswer,
} from './http-api';
import { BackgroundWork, LambdaRuntime, type Trigger } from './lambda-runtime';
import { objectCreatedEvents } from './s3-events';
import { parseScheduleTime, scheduledEvent } from './schedules';
import { LocalSchedules } from './zone-schedules';
import { LocalLiveEvents } from './live-events';
import { TableStream } from './table-stream';
import { passesSourceFilter } from '../../functions/events/rules';
import { LocalQueue, SqsEndpoint } from './sqs-shim';
import { loadOrCreateSigningKey, mintToken } from './tokens';

export { LOCAL_DEFAULTS, REPO_ROOT };

export interface LocalStackOptions {
  /** HTTP API port; 0 picks a free one. Default 3000. */
  port?: number;
  /** DynamoDB Local port; 0 picks a free one. Default 8000. */
  dynamodbPort?: number;
  /** s3rver port; 0 picks a free one. Default 4569. */
  s3Port?: number;
  /** Where DynamoDB Local, s3rver, the token signing key and the outbox keep their data. Default `.data/`. */
  dataDir?: string;
  /** Keep DynamoDB Local's data in memory instead of under dataDir (about 5x faster writes; benches). Default false. */
  dynamoInMemory?: boolean;
  /** The folder whose files are uploaded under `incoming/`. Default `drop/`. */
  dropDir?: string;
  /** Load the demo stores and customers when they are not there yet. Default true. */
  seedDemo?: boolean;
  /** No request or trigger log lines. Default false. */
  quiet?: boolean;
  /** The public base URL handed to functions (links in SMS, Twilio signatures). Default the HTTP API's URL. */
  publicBaseUrl?: string;
  /** Fire the manifest's schedules on real timers. Default true; tests turn it off and fire them by hand. */
  runSchedules?: boolean;
  /** How long a failed queue message or S3-triggered invocation waits before its retry. Default 1000 ms. */
  retryDelayMs?: number;
  /** Where log lines go. Default stdout. */
  log?: (line: string) => void;
}

export interface LocalStack {
  url: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  sqsEndpoint: string;
  tableName: string;
  buckets: { uploads: string; images: string };
  importQueueUrl: string;
  inboundQueueUrl: string;
  /** The local carrier (Twilio's Messages API), or undefined when real Twilio credentials are set. */
  carrierUrl: string | undefined;
  dataDir: string;
  dropDir: string;
  outboxFile: string;
  /** The outcome of demo seeding, when it was asked for. */
  seed: SeedOutcome | undefined;
  stop(): Promise<void>;
  /** Resolves when the queue is empty, no retry is waiting, no drop file is pending and no triggered handler is running. */
  drained(): Promise<void>;
}

/** Lambda's synchronous invocation payload limit: API Gateway cannot hand a larger request to a function. */
const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

const asPort = (port: number | undefined, fallback: number) => (port === undefined ? fallback : port);

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? LOCAL_DEFAULTS.dataDir);
  const dropDir = resolve(options.dropDir ?? LOCAL_DEFAULTS.dropDir);
  const quiet = options.quiet ?? false;
  const print = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => {
    if (!quiet) print(`[local] ${line}`);
  };
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const tableName = LOCAL_DEFAULTS.tableName;
  const buckets = { ...LOCAL_DEFAULTS.buckets };
  mkdirSync(dataDir, { recursive: true });
  const signingKey = loadOrCreateSigningKey(dataDir);
  const outboxFile = join(dataDir, 'outbox.jsonl');
  if (!existsSync(outboxFile)) closeSync(openSync(outboxFile, 'a'));

  const cleanups: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        print(`[local] while stopping: ${(error as Error).message}`);
      }
    }
  };

  try {
    const sqs = new SqsEndpoint();
    // allSettled, not all: when one engine fails, the others must be up (and registered for stopping) before we stop them.
    const started = await Promise.allSettled([
      startDynamoLocal({
        port: asPort(options.dynamodbPort, LOCAL_DEFAULTS.dynamodbPort) || undefined,
        dataDir: options.dynamoInMemory ? undefined : join(dataDir, 'dynamodb'),
      }).then((engine: Engine) => {
        cleanups.push(() => engine.stop());
        return engine;
      }),
      startS3rver({
        port: asPort(options.s3Port, LOCAL_DEFAULTS.s3Port),
        dataDir: join(dataDir, 's3'),
        buckets: Object.values(buckets),
      }).then((engine: S3Engine) => {
        cleanups.push(() => engine.stop());
        return engine;
      }),
      sqs.start().then(() => cleanups.push(() => sqs.stop())),
    ]);
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    const dynamo = (started[0] as PromiseFulfilledResult<Engine>).value;
    const s3 = (started[1] as PromiseFulfilledResult<S3Engine>).value;
    await ensureTable(dynamo.endpoint, tableName);

    const runtime = new LambdaRuntime(REPO_ROOT);
    const background = new BackgroundWork();
    const liveEvents = new LocalLiveEvents({ signingKey, log, track: (work) => void background.track(work) });
    let ready!: () => void;
    const readyGate = new Promise<void>((r) => (ready = r));
    const routes = compileRoutes(routeTable());
    const functions = FUNCTIONS as readonly FunctionSpec[];
    // The manifest's schedules and the zone schedules functions create (lib/local/zone-schedules.ts).
    const schedules = new LocalSchedules(functions, join(dataDir, 'schedules.json'));
    await schedules.serveApi();
    cleanups.push(() => schedules.stop());

    /** An asynchronous invocation (S3): on failure Lambda retries it twice, then drops it. */
    const invokeAsync = (fn: FunctionSpec, trigger: Trigger, subject: string, event: unknown) =>
      background.track(
        (async () => {
          for (let attempt = 1; ; attempt++) {
            const started = performance.now();
            try {
              await runtime.invoke(fn, trigger, subject, event);
              log(`${trigger}: ${subject} -> ${fn.id} ok ${Math.round(performance.now() - started)} ms`);
              return;
            } catch (error) {
              const last = attempt >= 3;
              log(
                `${trigger}: ${subject} -> ${fn.id} failed (attempt ${attempt} of 3${last ? ', dropped' : ''}): ${(error as Error).message}`,
              );
              if (last) return;
              await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
            }
          }
        })(),
      );

    // ── HTTP API ───────────────────────────────────────────────────────────────────────────
    const server = createServer((req, res) => {
      void readyGate.then(() => serve(req, res));
    });
    const serve = async (req: IncomingMessage, res: ServerResponse) => {
      const started = performance.now();
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      let answer: HttpAnswer;
      let fnId = '';
      try {
        if (path === '/_local' || path.startsWith('/_local/')) {
          answer = await serveLocal(method, path, url, body, req.headers);
        } else if (isApiReferencePath(path)) {
          answer = await serveApiReference(method, path);
        } else {
          const match = matchRoute(routes, method, path);
          if (!match) {
            answer = problemAnswer(404, 'not-found', 'Not Found', `No route ${method} ${path}.`);
          } else if (body.length > LAMBDA_SYNC_PAYLOAD_BYTES) {
            answer = problemAnswer(
              413,
              'payload-too-large',
              'Payload Too Large',
              `Lambda takes at most ${LAMBDA_SYNC_PAYLOAD_BYTES} bytes per request.`,
            );
          } else {
            fnId = match.compiled.fn.id;
            let claims: Record<string, string> | undefined;
            const auth =
              match.compiled.route.auth === 'jwt' ? authorize(signingKey, req.headers.authorization) : undefined;
            if (auth && !auth.ok) {
              answer = problemAnswer(
                401,
                'unauthorized',
                'Unauthorized',
                `The bearer token was refused: ${auth.reason}.`,
                {
                  'www-authenticate': 'Bearer error="invalid_token"',
                },
              );
            } else {
              if (auth?.ok) claims = auth.claims;
              const event = buildEvent(
                {
                  method,
                  url,
                  headers: req.headers,
                  body,
                  sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
                },
                match,
                claims,
              );
              try {
                answer = answerFromResult(await runtime.invoke(match.compiled.fn, 'http', `${method} ${path}`, event));
              } catch (error) {
                print(
                  `[local] ${match.compiled.fn.id} failed on ${method} ${path}: ${(error as Error).stack ?? String(error)}`,
                );
                answer = problemAnswer(
                  500,
                  'internal',
                  'Internal Server Error',
                  'The function failed; see the local stack log.',
                );
              }
              answer.headers['apigw-requestid'] = event.requestContext.requestId;
            }
          }
        }
      } catch (error) {
        print(`[local] ${method} ${path} failed: ${(error as Error).stack ?? String(error)}`);
        answer = problemAnswer(500, 'internal', 'Internal Server Error', (error as Error).message);
      }
      res.writeHead(answer.statusCode, answer.headers);
      res.end(answer.body);
      log(
        `${method} ${url} ${answer.statusCode} ${Math.round(performance.now() - started)} ms${fnId ? ` (${fnId})` : ''}`,
      );
    };

    const jsonAnswer = (statusCode: number, value: unknown): HttpAnswer => ({
      statusCode,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(value === undefined ? null : value)),
    });

    /** Local-only routes: never deployed, not behind the authorizer. */
    const serveLocal = async (
      method: string,
      path: string,
      url: string,
      body: Buffer,
      headers: IncomingMessage['headers'],
    ): Promise<HttpAnswer> => {
      const live = liveEvents.serve(method, path, url, headers, body);
      if (live) return live;
      const schedule = /^\/_local\/schedules\/([^/]+)$/.exec(path);
      if (schedule && method === 'POST') return runSchedule(decodeURIComponent(schedule[1]!), body);
      if (path === '/_local/schedules' && method === 'GET') return jsonAnswer(200, schedules.list());
      if (path === '/_local' && method === 'GET') return jsonAnswer(200, describe());
      if (path === '/_local/outbox' && method === 'GET') return jsonAnswer(200, readOutbox(outboxFile));
      if (path === '/_local/invocations' && method === 'GET') return jsonAnswer(200, runtime.invocations());
      if (path === '/_local/drain' && method === 'POST') {
        const timeoutMs = Number(new URLSearchParams(url.split('?')[1] ?? '').get('timeoutMs') ?? 60_000);
        const done = await Promise.race([
          background.drained().then(() => true),
          new Promise<false>((r) => setTimeout(() => r(false), timeoutMs)),
        ]);
        return jsonAnswer(done ? 200 : 504, { drained: done });
      }
      if (path.startsWith('/_local/pay/')) {
        // The carts capability's stand-in payment provider (functions/carts/local-pay.ts).
        const { answerLocalPayment } = await import('../../functions/carts/local-pay');
        const paid = await answerLocalPayment(method, url, body.toString('utf8'), process.env[ENV.publicBaseUrl]!);
        if (paid) return { ...paid, body: Buffer.from(paid.body) };
      }
      return problemAnswer(404, 'not-found', 'Not Found', `No local route ${method} ${path}.`);
    };

    const runSchedule = async (name: string, body: Buffer): Promise<HttpAnswer> => {
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
      const started = performance.now();
      try {
        const { fn, event, time: at } = schedules.run(name, time)!;
        const result = await runtime.invoke(fn, 'schedule', `${name} @ ${at}`, event);
        log(`schedule: ${name} @ ${at} -> ${fn.id} ok ${Math.round(performance.now() - started)} ms`);
        return jsonAnswer(200, result);
      } catch (error) {
        log(`schedule: ${name} @ ${time.toISOString()} failed: ${(error as Error).message}`);
        return problemAnswer(500, 'internal', 'Internal Server Error', `${name} failed: ${(error as Error).message}`);
      }
    };

    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${options.port ?? LOCAL_DEFAULTS.port} is in use; set PORT to another one.`)
            : error,
        ),
      );
      server.listen(asPort(options.port, LOCAL_DEFAULTS.port), '127.0.0.1', () => resolvePromise());
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    );
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // WebSocket upgrades (`/ws?token=…`) on the same port; open sockets are closed before the server.
    server.on('upgrade', (req, socket, head) => void readyGate.then(() => liveEvents.upgrade(req, socket, head)));
    cleanups.push(() => liveEvents.stop());
    const importQueueUrl = sqs.queueUrl(LOCAL_DEFAULTS.importQueue);
    const inboundQueueUrl = sqs.queueUrl(LOCAL_DEFAULTS.inboundQueue);

    // ── the local carrier, unless real Twilio credentials are set ──────────────────────────
    let carrierUrl: string | undefined;
    if (!(process.env.TWILIO_ACCOUNT_SID && process.env.TWILIO_AUTH_TOKEN)) {
      const carrier = new LocalCarrier({
        authToken: process.env.TWILIO_AUTH_TOKEN ?? LOCAL_TWILIO_AUTH_TOKEN,
        track: (work) => void background.track(work),
        log,
      });
      carrierUrl = await carrier.start();
      cleanups.push(() => carrier.stop());
    }

    // ── environment of every function (all share this process) ─────────────────────────────
    Object.assign(process.env, {
      [ENV.table]: tableName,
      [ENV.uploads]: buckets.uploads,
      [ENV.images]: buckets.images,
      [ENV.importQueue]: importQueueUrl,
      [ENV.inboundQueue]: inboundQueueUrl,
      ...(carrierUrl ? { TWILIO_API_URL: carrierUrl } : {}),
      [ENV.publicBaseUrl]: options.publicBaseUrl ?? url,
      ...liveEvents.environment(url),
      ...schedules.environment(),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_DEFAULT_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      OUTBOX_FILE: outboxFile,
      LOCAL_STACK: 'true',
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.TWILIO_AUTH_TOKEN ??= LOCAL_TWILIO_AUTH_TOKEN;
    process.env.PAYMENT_WEBHOOK_SECRET ??= LOCAL_PAYMENT_SECRET;
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    // EMF metric lines are for CloudWatch; locally they would drown the log (POWERTOOLS_METRICS_DISABLED=false shows them).
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    process.env.POWERTOOLS_SERVICE_NAME ??= 'clienteling-local';
    // The cart page's pay button leads to the local payment page unless PAYMENT_CHECKOUT_URL names a real provider.
    (await import('../../functions/carts/local-pay')).enableLocalCheckout(process.env[ENV.publicBaseUrl]!);

    // ── import queue and its dead letters ─────────────────────────────────────────────────
    const consumerOf = (fn: FunctionSpec | undefined, trigger: Trigger, batchSize: number) =>
      fn && {
        batchSize,
        invoke: (event: SQSEvent, ids: readonly string[]) => {
          const subject = `${ids.length} message(s) ${ids.join(',')}`;
          const started = performance.now();
          return runtime.invoke(fn, trigger, subject, event).then(
            (result) => {
              log(`${trigger}: ${subject} -> ${fn.id} ok ${Math.round(performance.now() - started)} ms`);
              return result;
            },
            (error: unknown) => {
              log(`${trigger}: ${subject} -> ${fn.id} failed: ${(error as Error).message}`);
              throw error;
            },
          );
        },
      };
    const writer = functions.find((f) => f.sqs?.queue === 'import');
    // As on AWS, nothing consumes the dead-letter queue: its messages wait there for a redrive.
    const deadLetters = new LocalQueue(sqs.queueUrl(`${LOCAL_DEFAULTS.importQueue}-dlq`), {
      name: `${LOCAL_DEFAULTS.importQueue}-dlq`,
      maxReceives: IMPORT_QUEUE_MAX_RECEIVES,
      retryDelayMs,
      concurrency: 1,
      onChange: () => background.settle(),
    });
    const importQueue = new LocalQueue(importQueueUrl, {
      name: LOCAL_DEFAULTS.importQueue,
      maxReceives: IMPORT_QUEUE_MAX_RECEIVES,
      retryDelayMs,
      // The event source mapping's cap, bounded by what this one process can usefully run.
      concurrency: Math.min(4, writer?.sqs?.maxConcurrency ?? 4),
      consumer: consumerOf(writer, 'sqs', writer?.sqs?.batchSize ?? 10),
      deadLetters,
      onChange: () => background.settle(),
      onDeliveryFailed: (queue, ids, _error, givingUp) =>
        log(
          `${queue}: ${ids.length} message(s) failed; ${givingUp ? 'moved to the dead-letter queue' : `retry in ${retryDelayMs} ms`}`,
        ),
    });
    sqs.register(importQueue);
    sqs.register(deadLetters);
    background.addSource(() => importQueue.busy() || deadLetters.busy());

    // ── inbound queue (FIFO, a group per conversation) and its dead letters ───────────────
    const inboundWorker = functions.find((f) => f.sqs?.queue === 'inbound');
    const inboundDeadLetters = new LocalQueue(
      sqs.queueUrl(`${LOCAL_DEFAULTS.inboundQueue.replace(/\.fifo$/, '')}-dlq.fifo`),
      {
        name: `${LOCAL_DEFAULTS.inboundQueue.replace(/\.fifo$/, '')}-dlq.fifo`,
        fifo: true,
        maxReceives: INBOUND_QUEUE_MAX_RECEIVES,
        retryDelayMs,
        concurrency: 1,
        onChange: () => background.settle(),
      },
    );
    const inboundQueue = new LocalQueue(inboundQueueUrl, {
      name: LOCAL_DEFAULTS.inboundQueue,
      fifo: true,
      maxReceives: INBOUND_QUEUE_MAX_RECEIVES,
      retryDelayMs,
      // Lambda polls a FIFO queue with a batch per message group in flight; a busy store has many groups.
      concurrency: 10,
      consumer: consumerOf(inboundWorker, 'sqs', inboundWorker?.sqs?.batchSize ?? 10),
      deadLetters: inboundDeadLetters,
      onChange: () => background.settle(),
      onDeliveryFailed: (queue, ids, _error, givingUp) =>
        log(
          `${queue}: ${ids.length} message(s) failed; ${givingUp ? 'moved to the dead-letter queue' : `retry in ${retryDelayMs} ms`}`,
        ),
    });
    sqs.register(inboundQueue);
    sqs.register(inboundDeadLetters);
    background.addSource(() => inboundQueue.busy());

    // ── the table's stream -> the events publisher ──────────────────────────────────────────
    const publisher = functions.find((f) => f.stream);
    if (publisher) {
      const stream = new TableStream({
        endpoint: dynamo.endpoint,
        tableName,
        log,
        retryDelayMs,
        onChange: () => background.settle(),
        filter: (record) => passesSourceFilter(record.eventName, record.dynamodb?.Keys?.sk?.S),
        consume: (event) =>
          runtime.invoke(publisher, 'stream', `${event.Records.length} record(s)`, event).then(() => undefined),
      });
      await stream.start();
      background.addSource(() => stream.busy());
      cleanups.push(() => stream.stop());
    }

    // ── S3 triggers ───────────────────────────────────────────────────────────────────────
    // s3rver is a Koa app that emits 'event' for every object change (its types do not say so).
    (s3.server as unknown as EventEmitter).on('event', (s3rverEvent: Parameters<typeof objectCreatedEvents>[0]) => {
      for (const created of objectCreatedEvents(s3rverEvent)) {
        if (created.bucket !== buckets.uploads) continue;
        for (const fn of functions) {
          const { s3: trigger } = fn;
          if (
            trigger?.prefixes.some((prefix) => created.key.startsWith(prefix)) &&
            created.key.endsWith(trigger.suffix)
          ) {
            void invokeAsync(fn, 's3', `s3://${created.bucket}/${created.key}`, created.event);
          }
        }
      }
    });

    // ── drop folder ───────────────────────────────────────────────────────────────────────
    const dropS3 = localS3Client(s3.endpoint);
    const drop = new DropFolder({
      dir: dropDir,
      bucket: buckets.uploads,
      s3: dropS3,
      log,
      track: (work) => background.track(work),
    });
    background.addSource(() => drop.busy());
    drop.start();
    cleanups.push(() => {
      drop.stop();
      dropS3.destroy();
    });

    // ── schedules on real timers ──────────────────────────────────────────────────────────
    if (options.runSchedules ?? true) {
      for (const fn of functions) {
        if (!fn.schedule) continue;
        const { name, everyMinutes } = fn.schedule;
        const timer = setInterval(() => {
          const event = scheduledEvent(name, new Date());
          void background.track(
            runtime.invoke(fn, 'schedule', `${name} @ ${event.time}`, event).then(
              () => log(`schedule: ${name} @ ${event.time} -> ${fn.id} ok`),
              (error: unknown) =>
                log(`schedule: ${name} @ ${event.time} -> ${fn.id} failed: ${(error as Error).message}`),
            ),
          );
        }, everyMinutes * 60_000);
        timer.unref();
        cleanups.push(() => clearInterval(timer));
      }
      schedules.armMidnightTimers((name, time) => {
        void background.track(
          (async () => {
            const run = schedules.run(name, time)!;
            await runtime.invoke(run.fn, 'schedule', `${name} @ ${run.time}`, run.event);
            log(`schedule: ${name} @ ${run.time} -> ${run.fn.id} ok`);
          })().catch((error: unknown) =>
            log(`schedule: ${name} @ ${time.toISOString()} failed: ${(error as Error).message}`),
          ),
        );
      });
    }

    const describe = () => ({
      url,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      sqsEndpoint: sqs.endpoint,
      tableName,
      buckets,
      importQueueUrl,
      inboundQueueUrl,
      carrierUrl,
      dataDir,
      dropDir,
      outboxFile,
      schedules: functions.flatMap((f) => (f.schedule ? [{ ...f.schedule, functionId: f.id }] : [])),
    });

    ready();

    let seed: SeedOutcome | undefined;
    if (options.seedDemo ?? true) {
      const admin = demoUsers().find((u) => u.role === 'clienteling-admin')!;
      seed = await seedDemoData(url, mintToken(signingKey, admin));
    }

    let stopping: Promise<void> | undefined;
    return {
      ...describe(),
      seed,
      drained: () => background.drained(),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The outbox's JSON lines as an array; a line that is not JSON is shown as `{unparsed}` rather than hidden. */
export function readOutbox(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unparsed: line };
      }
    });
}
