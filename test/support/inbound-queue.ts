/**
 * The inbound FIFO queue for integration tests: the local stack's own SQS endpoint and FIFO queue
 * (lib/local/sqs-shim.ts), consumed by the real inbound worker handler. Call before importing the
 * handlers: it points the SDK's SQS client and INBOUND_QUEUE_URL at it.
 */
import { LocalQueue } from '../../lib/local/sqs-shim';
import { QUEUES, queueConsumer } from '../../lib/queues';
import { lambdaContext } from './http-events';
import { testSqsEndpoint } from './sqs';

export interface InboundQueue {
  /** Resolves when every queued message has been applied (or given up on). */
  drained(): Promise<void>;
  /** Messages that exhausted their tries. */
  deadLetters(): number;
}

export async function startInboundQueue(
  options: { retryDelayMs?: number; concurrency?: number } = {},
): Promise<InboundQueue> {
  const endpoint = await testSqsEndpoint();
  let deadLettered = 0;
  const idle: Array<() => void> = [];
  const settle = () => {
    if (!queue.busy()) for (const resolve of idle.splice(0)) resolve();
  };
  // The declared inbound queue (lib/queues.ts) and its consumer's batch size, under a test name.
  const spec = QUEUES.find((q) => q.name === 'inbound')!;
  const url = endpoint.queueUrl('test-inbound.fifo');
  const queue: LocalQueue = new LocalQueue(url, {
    name: 'test-inbound.fifo',
    fifo: spec.fifo,
    maxReceives: spec.deadLetters.maxReceives,
    retryDelayMs: options.retryDelayMs ?? 50,
    concurrency: options.concurrency ?? 4,
    consumer: {
      batchSize: queueConsumer('inbound').sqs.batchSize,
      invoke: async (event) =>
        (await import('../../functions/conversations/inbound-worker.handler')).handler(event, lambdaContext()),
    },
    onDeliveryFailed: (_queue, ids, _error, givingUp) => {
      if (givingUp) deadLettered += ids.length;
    },
    onChange: () => setImmediate(settle),
  });
  endpoint.register(queue);
  process.env.INBOUND_QUEUE_URL = url;
  return {
    drained: () => (queue.busy() ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve()),
    deadLetters: () => deadLettered,
  };
}
