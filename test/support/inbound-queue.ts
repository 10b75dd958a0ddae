/**
 * The inbound FIFO queue for integration tests: the local stack's own SQS endpoint and FIFO queue
 * (lib/local/sqs-shim.ts), consumed by the real inbound worker handler. Call before importing the
 * handlers: it points the SDK's SQS client and INBOUND_QUEUE_URL at it.
 */
import { afterAll } from 'vitest';
import { INBOUND_QUEUE_MAX_RECEIVES } from '../../lib/functions';
import { LocalQueue, SqsEndpoint } from '../../lib/local/sqs-shim';
import { lambdaContext } from './http-events';

export interface InboundQueue {
  /** Resolves when every queued message has been applied (or given up on). */
  drained(): Promise<void>;
  /** Messages that exhausted their tries. */
  deadLetters(): number;
}

export async function startInboundQueue(
  options: { retryDelayMs?: number; concurrency?: number } = {},
): Promise<InboundQueue> {
  const endpoint = new SqsEndpoint();
  await endpoint.start();
  let deadLettered = 0;
  const idle: Array<() => void> = [];
  const settle = () => {
    if (!queue.busy()) for (const resolve of idle.splice(0)) resolve();
  };
  const url = endpoint.queueUrl('test-inbound.fifo');
  const queue: LocalQueue = new LocalQueue(url, {
    name: 'test-inbound.fifo',
    fifo: true,
    maxReceives: INBOUND_QUEUE_MAX_RECEIVES,
    retryDelayMs: options.retryDelayMs ?? 50,
    concurrency: options.concurrency ?? 4,
    consumer: {
      batchSize: 10,
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
  process.env.AWS_ENDPOINT_URL_SQS = endpoint.endpoint;
  afterAll(() => endpoint.stop());
  return {
    drained: () => (queue.busy() ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve()),
    deadLetters: () => deadLettered,
  };
}
