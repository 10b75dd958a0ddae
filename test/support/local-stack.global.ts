/**
 * e2e runs: one local stack for the whole run, started exactly as `npm start` starts it
 * (`node --openssl-legacy-provider --import tsx bin/local.ts`) but on free ports, with a temp
 * data dir and drop folder, no demo data and no schedule timers. It runs in a child process
 * because the stack sets the functions' environment in its own process.env, which must not leak
 * into the other projects' workers. Its output goes to test-results/local-stack.log.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../../lib/local/defaults';

declare module 'vitest' {
  export interface ProvidedContext {
    localStackUrl: string;
    localStackDataDir: string;
    localDropDir: string;
    localOutboxFile: string;
    localS3Endpoint: string;
    localDynamoEndpoint: string;
    localUploadsBucket: string;
    localTableName: string;
  }
}

interface ReadyInfo {
  url: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  buckets: { uploads: string; images: string };
  dataDir: string;
  dropDir: string;
  outboxFile: string;
}

/** Variables a developer's shell may carry that would point the stack elsewhere (or at real Twilio). */
const INHERITED_OVERRIDES = [
  'TABLE_NAME',
  'UPLOADS_BUCKET',
  'IMAGES_BUCKET',
  'IMPORT_QUEUE_URL',
  'PUBLIC_BASE_URL',
  'OUTBOX_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_SQS',
  'EVENT_BUS_NAME',
  'WEBSOCKET_CALLBACK_URL',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_SECRET_ARN',
  'PAYMENT_WEBHOOK_SECRET',
  'PAYMENT_SECRET_ARN',
];

const READY = 'LOCAL_STACK_READY ';

export default async function setup(project: TestProject) {
  const root = mkdtempSync(join(tmpdir(), 'clienteling-e2e-'));
  const logDir = join(REPO_ROOT, 'test-results');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'local-stack.log');
  const log = createWriteStream(logFile);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0' };
  for (const name of INHERITED_OVERRIDES) delete env[name];

  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'bin/local.ts',
      '--machine',
      '--quiet',
      '--no-seed',
      '--no-schedules',
      '--data-dir',
      join(root, 'data'),
      '--drop-dir',
      join(root, 'drop'),
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If this process dies without running the teardown, do not leave the stack (and its JVM) behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.stderr.pipe(log, { end: false });

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new Error('the local stack did not report ready within 120 s')), 120_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      let tail = '';
      try {
        tail = readFileSync(logFile, 'utf8').slice(-3000);
      } catch {
        // no log yet
      }
      reject(new Error(`${error.message}\n--- ${logFile} ---\n${tail}`));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(READY));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line.slice(READY.length)) as ReadyInfo);
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`the local stack exited (code ${code}, signal ${signal}) before it was ready`)),
    );
    child.once('error', (error) => fail(error));
  });
  child.removeAllListeners('exit');

  project.provide('localStackUrl', info.url);
  project.provide('localStackDataDir', info.dataDir);
  project.provide('localDropDir', info.dropDir);
  project.provide('localOutboxFile', info.outboxFile);
  project.provide('localS3Endpoint', info.s3Endpoint);
  project.provide('localDynamoEndpoint', info.dynamoEndpoint);
  project.provide('localUploadsBucket', info.buckets.uploads);
  project.provide('localTableName', info.tableName);

  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    process.off('exit', killOnExit);
    log.end();
    rmSync(root, { recursive: true, force: true });
  };
}
