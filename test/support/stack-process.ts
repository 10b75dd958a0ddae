/**
 * A local stack of its own, in a child process (`bin/local.ts --machine`), for tests that must
 * stop a stack in the middle of its work and start it again on the same data: what a crash or
 * a killed `npm start` leaves behind. Every other e2e test shares the one stack of
 * local-stack.global.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../lib/local/defaults';

export interface StackProcess {
  readonly url: string;
  readonly dataDir: string;
  /** SIGTERM: the stack stops its server and engines wherever its handlers are. */
  stop(): Promise<void>;
  /**
   * SIGKILL: the stack dies at once, no handler runs (its DynamoDB Local JVM is left running, as a
   * crash leaves it; the next start on the same data ends it).
   */
  kill(): Promise<void>;
}

const READY = 'LOCAL_STACK_READY ';

export async function startStackProcess(dataDir: string, dropDir: string): Promise<StackProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DYNAMODB_PORT: '0', S3_PORT: '0' };
  for (const name of [
    'TABLE_NAME',
    'UPLOADS_BUCKET',
    'IMAGES_BUCKET',
    'IMPORT_QUEUE_URL',
    'PUBLIC_BASE_URL',
    'OUTBOX_FILE',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_S3',
    'AWS_ENDPOINT_URL_SQS',
  ]) {
    delete env[name];
  }
  const child: ChildProcess = spawn(
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
      dataDir,
      '--drop-dir',
      dropDir,
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-3000)));
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the stack did not start within 120 s\n${stderr}`));
    }, 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.startsWith(READY));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line.slice(READY.length)) as { url: string }).url);
      }
      if (buffered.length > 100_000) buffered = buffered.slice(-10_000);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited (code ${code}) before it was ready\n${stderr}`));
    });
  });
  child.removeAllListeners('exit');
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    url,
    dataDir,
    kill: () =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        child.once('exit', () => {
          process.removeListener('exit', killOnExit);
          resolve();
        });
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited()) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          process.removeListener('exit', killOnExit);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** One call to a stack of its own, with a bearer token: status and parsed JSON body. */
export async function callStack(
  stack: StackProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
