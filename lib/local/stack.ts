/**
 * The local stack (docs/architecture.md, "The local stack"): DynamoDB Local, s3rver, the HTTP API, the queues,
 * S3 triggers, the table's stream, schedules, the drop folder and the Twilio outbox, all driven by the same
 * manifest (lib/functions.ts, lib/queues.ts) and the same handler modules as on AWS. `npm start` (bin/local.ts)
 * and the e2e test setup both run it.
 *
 * `startLocalStack` composes the parts: the engines (start-engines.ts), the HTTP front door (front-door.ts), the
 * functions' environment (environment.ts), the queues (queues.ts) and the other triggers (triggers.ts). It sets the
 * handlers' environment in `process.env` (all functions share this process), so run it in a process of its own.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FunctionSpec } from '../function-spec';
import { FUNCTIONS } from '../functions';
import { LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { LocalCarrier } from './carrier';
import { createContext, type StackContext } from './context';
import { LOCAL_DEFAULTS, REPO_ROOT } from './defaults';
import { seedDemoData, type SeedOutcome } from './demo-data';
import { DROP_PREFIX, DropFolder } from './drop-folder';
import { localS3Client } from './engines';
import { setFunctionEnvironment } from './environment';
import { startFrontDoor } from './front-door';
import { LocalLiveEvents } from './live-events';
import { startQueues } from './queues';
import { startEngines } from './start-engines';
import { loadOrCreateSigningKey, mintToken } from './tokens';
import { armScheduleTimers, wireS3Notifications, wireTableStream } from './triggers';
import { LocalSchedules } from './zone-schedules';

export { LOCAL_DEFAULTS, REPO_ROOT };

export interface LocalStackOptions {
  /** HTTP API port; 0 picks a free one. Default 3000. */
  port?: number;
  /** DynamoDB Local port; 0 picks a free one. Default 8000. */
  dynamodbPort?: number;
  /** s3rver port; 0 picks a free one. Default 4569. */
  s3Port?: number;
  /** Where DynamoDB Local, s3rver, the queues, the token signing key and the outbox keep their data. Default `.data/`. */
  dataDir?: string;
  /** Keep DynamoDB Local's data in memory instead of under dataDir (about 5x faster writes; benches). Default false. */
  dynamoInMemory?: boolean;
  /** The folder whose files are uploaded under `incoming/`. Default `drop/`. */
  dropDir?: string;
  /** Load what is missing of the demo stores, customers and their conversations (./demo-data.ts). Default true. */
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

const asPort = (port: number | undefined, fallback: number) => (port === undefined ? fallback : port);

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? LOCAL_DEFAULTS.dataDir);
  const dropDir = resolve(options.dropDir ?? LOCAL_DEFAULTS.dropDir);
  const tableName = LOCAL_DEFAULTS.tableName;
  const buckets = { ...LOCAL_DEFAULTS.buckets };
  mkdirSync(dataDir, { recursive: true });
  const signingKey = loadOrCreateSigningKey(dataDir);
  const outboxFile = join(dataDir, 'outbox.jsonl');
  if (!existsSync(outboxFile)) closeSync(openSync(outboxFile, 'a'));
  const context = createContext({
    repoRoot: REPO_ROOT,
    quiet: options.quiet ?? false,
    print: options.log ?? ((line: string) => console.log(line)),
    retryDelayMs: options.retryDelayMs ?? 1000,
  });
  const functions = FUNCTIONS as readonly FunctionSpec[];

  try {
    const { dynamo, s3, sqs } = await startEngines(context, {
      dynamodbPort: asPort(options.dynamodbPort, LOCAL_DEFAULTS.dynamodbPort) || undefined,
      s3Port: asPort(options.s3Port, LOCAL_DEFAULTS.s3Port),
      dataDir,
      dynamoInMemory: options.dynamoInMemory ?? false,
      tableName,
      buckets: Object.values(buckets),
    });
    // The manifest's schedules and the zone schedules functions create (lib/local/zone-schedules.ts).
    const schedules = new LocalSchedules(functions, join(dataDir, 'schedules.json'));
    await schedules.serveApi();
    context.onStop(() => schedules.stop());
    const frontDoor = await startFrontDoor(context, asPort(options.port, LOCAL_DEFAULTS.port));
    const { url } = frontDoor;
    const liveEvents = new LocalLiveEvents({
      signingKey,
      log: context.log,
      track: (work) => void context.background.track(work),
    });
    // Open sockets are closed before the server.
    context.onStop(() => liveEvents.stop());
    const carrierUrl = await startCarrier(context);
    const { urls: queueUrls, resume: resumeQueues } = startQueues(context, sqs, join(dataDir, 'queues'));
    const publicBaseUrl = setFunctionEnvironment({
      tableName,
      buckets,
      queueUrls,
      publicBaseUrl: options.publicBaseUrl ?? url,
      endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint, sqs: sqs.endpoint },
      carrierUrl,
      outboxFile,
      extra: { ...liveEvents.environment(url), ...schedules.environment() },
    });
    // The cart page's pay button leads to the local payment page unless PAYMENT_CHECKOUT_URL names a real provider.
    (await import('./payments')).enableLocalCheckout(publicBaseUrl);

    await wireTableStream(context, functions, { endpoint: dynamo.endpoint, tableName });
    wireS3Notifications(context, functions, s3, buckets.uploads);
    startDropFolder(context, {
      dir: dropDir,
      bucket: buckets.uploads,
      s3Endpoint: s3.endpoint,
      suffix: dropSuffix(functions),
    });
    if (options.runSchedules ?? true) armScheduleTimers(context, functions, schedules);

    const describe = () => ({
      url,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      sqsEndpoint: sqs.endpoint,
      tableName,
      buckets,
      importQueueUrl: queueUrls.import,
      inboundQueueUrl: queueUrls.inbound,
      carrierUrl,
      dataDir,
      dropDir,
      outboxFile,
      schedules: functions.flatMap((f) => (f.schedule ? [{ ...f.schedule, functionId: f.id }] : [])),
    });
    // What the queues kept from the last run is delivered now that the functions and the stream are wired.
    resumeQueues();
    frontDoor.open({
      signingKey,
      liveEvents,
      schedules,
      describe,
      outbox: () => readOutbox(outboxFile),
      publicBaseUrl: () => publicBaseUrl,
    });

    let seed: SeedOutcome | undefined;
    if (options.seedDemo ?? true) seed = await seedDemoData(url, (user) => mintToken(signingKey, user));

    let stopping: Promise<void> | undefined;
    return {
      ...describe(),
      seed,
      drained: () => context.background.drained(),
      stop: () => (stopping ??= context.stopAll()),
    };
  } catch (error) {
    await context.stopAll();
    throw error;
  }
}

/** The local carrier (Twilio's Messages API), unless real Twilio credentials are set; answers its URL. */
async function startCarrier(context: StackContext): Promise<string | undefined> {
  if (process.env.TWILIO_ACCOUNT_SID && process.env.TWILIO_AUTH_TOKEN) return undefined;
  const carrier = new LocalCarrier({
    authToken: process.env.TWILIO_AUTH_TOKEN ?? LOCAL_TWILIO_AUTH_TOKEN,
    track: (work) => void context.background.track(work),
    log: context.log,
  });
  const carrierUrl = await carrier.start();
  context.onStop(() => carrier.stop());
  return carrierUrl;
}

/** The suffix of the manifest's trigger on the drop prefix: the drop folder uploads only the files it takes. */
function dropSuffix(functions: readonly FunctionSpec[]): string {
  const trigger = functions.find((fn) => fn.s3?.prefixes.includes(DROP_PREFIX))?.s3;
  if (!trigger) throw new Error(`no function in lib/functions.ts is triggered by ${DROP_PREFIX}`);
  return trigger.suffix;
}

/** The drop folder: files put there are uploaded under `incoming/` (and so trigger the import). */
function startDropFolder(
  context: StackContext,
  options: { dir: string; bucket: string; s3Endpoint: string; suffix: string },
): void {
  const s3 = localS3Client(options.s3Endpoint);
  const drop = new DropFolder({
    dir: options.dir,
    bucket: options.bucket,
    s3,
    suffix: options.suffix,
    log: context.log,
    track: (work) => context.background.track(work),
  });
  context.background.addSource(() => drop.busy());
  drop.start();
  context.onStop(() => {
    drop.stop();
    s3.destroy();
  });
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
