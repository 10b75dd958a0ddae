/**
 * The import queue for integration tests: a queue of the local stack's own SQS endpoint
 * (lib/local/sqs-shim.ts), consumed by the real outreach writer handler, as the inbound queue of
 * ./inbound-queue.ts is by the inbound worker. Call before importing the handlers: it points
 * IMPORT_QUEUE_URL at it.
 */
import { LocalQueue } from '../../lib/local/sqs-shim';
import { QUEUES, queueConsumer } from '../../lib/queues';
import { lambdaContext } from './http-events';
import { testSqsEndpoint } from './sqs';

export interface ImportQueue {
  /** Resolves when every queued chunk has been written (or given up on). */
  drained(): Promise<void>;
  deadLetters(): number;
}

export async function startImportQueue(): Promise<ImportQueue> {
  const endpoint = await testSqsEndpoint();
  let deadLettered = 0;
  const idle: Array<() => void> = [];
  const spec = QUEUES.find((q) => q.name === 'import')!;
  const queue: LocalQueue = new LocalQueue(endpoint.queueUrl('test-import'), {
    name: 'test-import',
    fifo: spec.fifo,
    maxReceives: spec.deadLetters.maxReceives,
    retryDelayMs: 50,
    concurrency: 2,
    consumer: {
      batchSize: queueConsumer('import').sqs.batchSize,
      invoke: async (event) =>
        (await import('../../functions/campaigns/writer.handler')).handler(event, lambdaContext()),
    },
    onDeliveryFailed: (_queue, ids, _error, givingUp) => {
      if (givingUp) deadLettered += ids.length;
    },
    onChange: () =>
      setImmediate(() => {
        if (!queue.busy()) for (const resolve of idle.splice(0)) resolve();
      }),
  });
  endpoint.register(queue);
  process.env.IMPORT_QUEUE_URL = queue.url;
  return {
    drained: async () => {
      if (queue.busy()) await new Promise<void>((resolve) => idle.push(resolve));
    },
    deadLetters: () => deadLettered,
  };
}
