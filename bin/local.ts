/**
 * `npm start`: the whole backend on this machine, with no AWS or Twilio account (docs/architecture.md, "The local stack").
 * Ports come from PORT, DYNAMODB_PORT and S3_PORT; data stays under `.data/` across restarts.
 * Ctrl-C stops the HTTP server, s3rver and DynamoDB Local (only what this process started).
 *
 * The e2e test setup runs this same file with `--machine`: no banner, one `LOCAL_STACK_READY {json}`
 * line on stdout once everything answers, and the temp directories and free ports it is given.
 */
import { parseArgs } from 'node:util';
import { localBanner } from '../lib/local/banner';
import { LOCAL_DEFAULTS, startLocalStack, type LocalStack } from '../lib/local/stack';
import { loadOrCreateSigningKey, mintToken } from '../lib/local/tokens';

const { values: flags } = parseArgs({
  options: {
    machine: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    'no-seed': { type: 'boolean', default: false },
    'no-schedules': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    'drop-dir': { type: 'string' },
  },
  strict: true,
});

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name}=${raw} is not a port number.`);
    process.exit(2);
  }
  return port;
}

// Signals are taken from the start: a Ctrl-C while the engines boot must still stop the JVM they spawned.
let stack: LocalStack | undefined;
let stopRequested: string | undefined;
let stopping = false;
const shutdown = (signal: string) => {
  if (!stack) {
    stopRequested = signal;
    return;
  }
  if (stopping) return;
  stopping = true;
  if (!flags.machine) console.log(`\n${signal}: stopping the HTTP server, s3rver and DynamoDB Local...`);
  stack.stop().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(`Stopping failed: ${error.message}`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

stack = await startLocalStack({
  port: portFromEnv('PORT', LOCAL_DEFAULTS.port),
  dynamodbPort: portFromEnv('DYNAMODB_PORT', LOCAL_DEFAULTS.dynamodbPort),
  s3Port: portFromEnv('S3_PORT', LOCAL_DEFAULTS.s3Port),
  dataDir: flags['data-dir'],
  dropDir: flags['drop-dir'],
  seedDemo: !flags['no-seed'],
  runSchedules: !flags['no-schedules'],
  quiet: flags.quiet,
  publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined,
}).catch((error: Error) => {
  console.error(`The local stack could not start: ${error.message}`);
  process.exit(1);
});

if (stopRequested) {
  shutdown(stopRequested);
} else if (flags.machine) {
  const { stop: _stop, drained: _drained, ...info } = stack;
  console.log(`LOCAL_STACK_READY ${JSON.stringify(info)}`);
} else {
  const signingKey = loadOrCreateSigningKey(stack.dataDir);
  console.log(await localBanner({ ...stack, mint: (user) => mintToken(signingKey, user), now: new Date() }));
}
