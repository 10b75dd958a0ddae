/**
 * The inbound FIFO queue for integration tests: the local stack's own SQS endpoint and FIFO queue
 * (lib/local/sqs-shim.ts), consumed by the real inbound worker handler, and the media queue behind
 * it, consumed by the real media worker. Call before importing the handlers: it points the SDK's
 * SQS client, INBOUND_QUEUE_URL and MEDIA_QUEUE_URL at them.
 */
import { LocalQueue } from '../../lib/local/sqs-shim';
import { QUEUES, queueConsumer } from '../../lib/queues';
import { lambdaContext as contextFor } from '../../lib/lambda-events';
import { lambdaContext } from './http-events';
import { sendsSettled } from './sender-queue';
import { testSqsEndpoint } from './sqs';

export interface InboundQueue {
  /** Resolves when every queued message has been applied (or given up on), its media job included. */
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
  const busy = () => queue.busy() || media.busy();
  const settle = () => {
    if (!busy()) for (const resolve of idle.splice(0)) resolve();
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
  const mediaSpec = QUEUES.find((q) => q.name === 'media')!;
  const media: LocalQueue = new LocalQueue(endpoint.queueUrl('test-media'), {
    name: 'test-media',
    fifo: mediaSpec.fifo,
    maxReceives: mediaSpec.deadLetters.maxReceives,
    retryDelayMs: options.retryDelayMs ?? 50,
    concurrency: options.concurrency ?? 4,
    consumer: {
      batchSize: queueConsumer('media').sqs.batchSize,
      invoke: async (event) =>
        (await import('../../functions/conversations/media-worker.handler')).handler(
          event,
          contextFor({ functionName: 'InboundMediaWorker', timeoutSeconds: queueConsumer('media').timeoutSeconds }),
        ),
    },
    onDeliveryFailed: (_queue, ids, _error, givingUp) => {
      if (givingUp) deadLettered += ids.length;
    },
    onChange: () => setImmediate(settle),
  });
  endpoint.register(queue);
  endpoint.register(media);
  process.env.MEDIA_QUEUE_URL = media.url;
  process.env.INBOUND_QUEUE_URL = url;
  return {
    // Then what the worker queued behind it: attribution, HELP replies (./sender-queue.ts).
    drained: async () => {
      if (busy()) await new Promise<void>((resolve) => idle.push(resolve));
      await sendsSettled();
    },
    deadLetters: () => deadLettered,
  };
}
