/**
 * The sender queues for integration tests: the declared `send` and `send-bulk` queues
 * (lib/queues.ts) on the worker's local SQS endpoint, consumed by the real sender handler, so a
 * send recorded by a handler reaches the carrier (the outbox file, or a test's Twilio client) the
 * way it does deployed; and the `attribution` queue behind them (and behind the inbound worker),
 * consumed by the real attribution worker. `sendsSettled()` waits until every job, retries and
 * attribution included, is handled.
 */
import { existsSync, readFileSync } from 'node:fs';
import { LocalQueue } from '../../lib/local/sqs-shim';
import { QUEUES, queueConsumer } from '../../lib/queues';
import { lambdaContext } from './http-events';
import { testSqsEndpoint } from './sqs';
import { ENV } from '../../functions/shared/env-names';

const queues: LocalQueue[] = [];
const idle: Array<() => void> = [];
const busy = () => queues.some((queue) => queue.busy());
const settle = () => {
  if (!busy()) for (const resolve of idle.splice(0)) resolve();
};

export async function startSenderQueues(): Promise<void> {
  const endpoint = await testSqsEndpoint();
  process.env.SENDER_RATE_PER_NUMBER ??= 'unlimited';
  process.env.SENDER_RETRY_BASE_SECONDS ??= '1';
  const handlers = {
    send: async () => (await import('../../functions/conversations/sender.handler')).handler,
    'send-bulk': async () => (await import('../../functions/conversations/sender.handler')).handler,
    attribution: async () => (await import('../../functions/reports/attribution-worker.handler')).handler,
  } as const;
  for (const spec of QUEUES.filter(
    (q): q is Extract<(typeof QUEUES)[number], { name: keyof typeof handlers }> => q.name in handlers,
  )) {
    const url = endpoint.queueUrl(`test-${spec.localName}`);
    const queue = new LocalQueue(url, {
      name: `test-${spec.localName}`,
      fifo: spec.fifo,
      maxReceives: spec.deadLetters.maxReceives,
      retryDelayMs: 50,
      concurrency: 4,
      consumer: {
        batchSize: queueConsumer(spec.name).sqs.batchSize,
        invoke: async (event) => (await handlers[spec.name]())(event, lambdaContext()),
      },
      onChange: () => setImmediate(settle),
    });
    endpoint.register(queue);
    queues.push(queue);
    process.env[ENV[spec.sendBinding]] = url;
  }
}

/** Resolves when every queued send has been handed to the carrier, refused, or given up on. */
export const sendsSettled = (): Promise<void> =>
  busy() ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve();

/** The lines of the local outbox file (what reached the carrier), once every queued send is handed over. */
export async function settledOutbox(file = process.env.OUTBOX_FILE!): Promise<Array<Record<string, any>>> {
  await sendsSettled();
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
