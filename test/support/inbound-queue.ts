/**
 * The inbound FIFO queue for integration tests: the local stack's own SQS endpoint and FIFO queue
 * (lib/local/sqs-shim.ts), consumed by the real inbound worker handler; the media queue behind
 * it, consumed by the real media worker; and the erasure FIFO queue (`DELETE /customers/{id}`),
 * consumed by the real erasure worker. Call before importing the handlers: it points the SDK's
 * SQS client, INBOUND_QUEUE_URL, MEDIA_QUEUE_URL and ERASURE_QUEUE_URL at them.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { LocalQueue } from '../../lib/local/sqs-shim';
import { QUEUES, type QueueName, queueConsumer } from '../../lib/queues';
import { lambdaContext as contextFor } from '../../lib/lambda-events';
import { ENV } from '../../functions/shared/env-names';
import { lambdaContext } from './http-events';
import { sendsSettled } from './sender-queue';
import { testSqsEndpoint } from './sqs';

export interface InboundQueue {
  /** Resolves when every queued message has been applied (or given up on), its media job included, and every erasure carried out. */
  drained(): Promise<void>;
  /** Messages that exhausted their tries. */
  deadLetters(): number;
}

type SqsHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

/** Each queue's consumer, and the context it is invoked with. */
const consumers: Partial<Record<QueueName, { handler: () => Promise<SqsHandler>; context: () => Context }>> = {
  inbound: {
    handler: async () => (await import('../../functions/conversations/inbound-worker.handler')).handler,
    context: () => lambdaContext(),
  },
  media: {
    handler: async () => (await import('../../functions/conversations/media-worker.handler')).handler,
    context: () =>
      contextFor({ functionName: 'InboundMediaWorker', timeoutSeconds: queueConsumer('media').timeoutSeconds }),
  },
  erasure: {
    handler: async () => (await import('../../functions/customers/erasure-worker.handler')).handler,
    context: () =>
      contextFor({ functionName: 'ErasureWorker', timeoutSeconds: queueConsumer('erasure').timeoutSeconds }),
  },
};

export async function startInboundQueue(
  options: { retryDelayMs?: number; concurrency?: number } = {},
): Promise<InboundQueue> {
  const endpoint = await testSqsEndpoint();
  let deadLettered = 0;
  const idle: Array<() => void> = [];
  const queues: LocalQueue[] = [];
  const busy = () => queues.some((queue) => queue.busy());
  const settle = () => {
    if (!busy()) for (const resolve of idle.splice(0)) resolve();
  };
  // The declared queues (lib/queues.ts) and their consumers' batch sizes, under test names.
  for (const spec of QUEUES) {
    const consumer = consumers[spec.name];
    if (!consumer) continue;
    const name = `test-${spec.name}${spec.fifo ? '.fifo' : ''}`;
    const queue: LocalQueue = new LocalQueue(endpoint.queueUrl(name), {
      name,
      fifo: spec.fifo,
      maxReceives: spec.deadLetters.maxReceives,
      retryDelayMs: options.retryDelayMs ?? 50,
      concurrency: options.concurrency ?? 4,
      consumer: {
        batchSize: queueConsumer(spec.name).sqs.batchSize,
        invoke: async (event) => (await consumer.handler())(event, consumer.context()),
      },
      onDeliveryFailed: (_queue, ids, _error, givingUp) => {
        if (givingUp) deadLettered += ids.length;
      },
      onChange: () => setImmediate(settle),
    });
    endpoint.register(queue);
    queues.push(queue);
    process.env[ENV[spec.sendBinding]] = queue.url;
  }
  return {
    // Then what the worker queued behind it: attribution, HELP replies (./sender-queue.ts).
    drained: async () => {
      if (busy()) await new Promise<void>((resolve) => idle.push(resolve));
      await sendsSettled();
    },
    deadLetters: () => deadLettered,
  };
}
