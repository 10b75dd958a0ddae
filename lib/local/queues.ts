/**
 * The declared queues (lib/queues.ts), in process: each queue and its dead-letter queue on the
 * local SQS endpoint, consumed by the manifest's consumer the way its event source mapping would
 * (batch size, a few batches in flight). As on AWS, nothing consumes a dead-letter queue: its
 * messages wait there for a redrive. Every queue's messages are kept in one journal under the
 * data directory (`.data/queues/`, lib/local/queue-journal.ts), so what was accepted before a kill
 * is delivered after the next start.
 */
import type { SQSEvent } from 'aws-lambda';
import { QUEUES, type QueueName, queueConsumer } from '../queues';
import type { StackContext } from './context';
import type { SqsEndpoint } from './sqs-endpoint';
import { QueueJournal } from './queue-journal';
import { DEDUPLICATION_WINDOW_MS, LocalQueue } from './sqs-shim';

/**
 * Consumers in flight per queue: the event source mapping's cap, bounded by what this one process
 * can usefully run (Lambda polls a FIFO queue with a batch per message group in flight).
 */
const LOCAL_MAX_CONCURRENCY = 10;

/**
 * Builds every declared queue on the endpoint, with what `journalDir` kept of it; answers each
 * queue's URL by name, and `resume`, which starts the deliveries once the functions can run.
 */
export function startQueues(
  context: StackContext,
  sqs: SqsEndpoint,
  journalDir: string,
): { urls: Record<QueueName, string>; resume: () => void } {
  const { background, log, retryDelayMs } = context;
  const urls = {} as Record<QueueName, string>;
  const journal = new QueueJournal(journalDir, DEDUPLICATION_WINDOW_MS);
  const queues: LocalQueue[] = [];
  // The queues stop taking work before the journal closes, so their last records are kept.
  context.onStop(async () => {
    for (const queue of queues) queue.stop();
    await journal.close();
  });
  for (const spec of QUEUES) {
    const consumer = queueConsumer(spec.name);
    const deadLetters = new LocalQueue(sqs.queueUrl(spec.deadLetters.localName), {
      name: spec.deadLetters.localName,
      fifo: spec.fifo,
      maxReceives: spec.deadLetters.maxReceives,
      retryDelayMs,
      concurrency: 1,
      journal,
      held: true,
      onChange: () => background.settle(),
    });
    const queue = new LocalQueue(sqs.queueUrl(spec.localName), {
      name: spec.localName,
      fifo: spec.fifo,
      maxReceives: spec.deadLetters.maxReceives,
      retryDelayMs,
      concurrency: Math.min(LOCAL_MAX_CONCURRENCY, consumer.sqs.maxConcurrency),
      consumer: {
        batchSize: consumer.sqs.batchSize,
        invoke: (event: SQSEvent, ids: readonly string[]) =>
          context.invoke(consumer, 'sqs', `${ids.length} message(s) ${ids.join(',')}`, event),
      },
      deadLetters,
      journal,
      held: true,
      onChange: () => background.settle(),
      onDeliveryFailed: (name, ids, _error, givingUp) =>
        log(
          `${name}: ${ids.length} message(s) failed; ${givingUp ? 'moved to the dead-letter queue' : `retry in ${retryDelayMs} ms`}`,
        ),
    });
    sqs.register(queue);
    sqs.register(deadLetters);
    queues.push(queue, deadLetters);
    background.addSource(() => queue.busy() || deadLetters.busy());
    urls[spec.name] = queue.url;
  }
  const resume = () => {
    for (const queue of queues) queue.resume();
  };
  return { urls, resume };
}
