/**
 * The queues of the system, declared once beside the manifest: what each one is (FIFO or not,
 * visibility timeout, retention, its dead-letter queue and max receives, the `uses` key that lets
 * a function send to it) and, through the manifest's `sqs` blocks, its consumer and batching.
 * Both sides build their queues from this list: the CDK stack (lib/constructs/queues.ts) and the
 * local stack (lib/local/queues.ts). CDK-free, like lib/functions.ts.
 */
import type { FunctionSpec } from './function-spec';
import {
  FUNCTIONS,
  IMPORT_QUEUE_MAX_RECEIVES,
  INBOUND_QUEUE_MAX_RECEIVES,
  INBOUND_WORKER_TIMEOUT_SECONDS,
  MEDIA_QUEUE_MAX_RECEIVES,
  MEDIA_WORKER_TIMEOUT_SECONDS,
  ATTRIBUTION_QUEUE_MAX_RECEIVES,
  ATTRIBUTION_WORKER_TIMEOUT_SECONDS,
  ERASURE_QUEUE_MAX_RECEIVES,
  ERASURE_WORKER_TIMEOUT_SECONDS,
  SENDER_QUEUE_MAX_RECEIVES,
  SENDER_TIMEOUT_SECONDS,
  WRITER_TIMEOUT_SECONDS,
} from './functions';

export type QueueName = 'import' | 'inbound' | 'media' | 'send' | 'send-bulk' | 'attribution' | 'erasure';

export interface QueueSpec {
  readonly name: QueueName;
  /** The CDK construct id (and logical id prefix) of the queue. */
  readonly id: string;
  /** The queue's name in the local stack (on AWS, CloudFormation names it). */
  readonly localName: string;
  /** The `uses` key, also the environment binding, that grants sending to it and carries its URL. */
  readonly sendBinding:
    | 'importQueue'
    | 'inboundQueue'
    | 'mediaQueue'
    | 'senderQueue'
    | 'bulkSenderQueue'
    | 'attributionQueue'
    | 'erasureQueue';
  /**
   * A FIFO queue, high-throughput: deduplication and the throughput quota per message group,
   * not per queue (its dead-letter queue is FIFO too).
   */
  readonly fifo: boolean;
  /** AWS recommends six times the consumer's timeout, so a retried batch is not seen twice at once. */
  readonly visibilityTimeoutSeconds: number;
  readonly retentionDays: number;
  /**
   * Where a message goes after `maxReceives` failed tries. Nothing consumes it: its messages wait
   * for a redrive (README, "Operations"). SQS counts retention from the first enqueue, so it
   * outlives the source queue's.
   */
  readonly deadLetters: {
    readonly id: string;
    readonly localName: string;
    readonly maxReceives: number;
    readonly retentionDays: number;
  };
}

export const QUEUES = [
  {
    name: 'import',
    id: 'ImportQueue',
    localName: 'clienteling-import',
    sendBinding: 'importQueue',
    fifo: false,
    visibilityTimeoutSeconds: 6 * WRITER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'ImportDeadLetters',
      localName: 'clienteling-import-dlq',
      maxReceives: IMPORT_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // Twilio's inbound messages between the webhook and the worker: one message group per conversation.
    name: 'inbound',
    id: 'InboundQueue',
    localName: 'clienteling-inbound.fifo',
    sendBinding: 'inboundQueue',
    fifo: true,
    visibilityTimeoutSeconds: 6 * INBOUND_WORKER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'InboundDeadLetters',
      localName: 'clienteling-inbound-dlq.fifo',
      maxReceives: INBOUND_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // Outbound messages between the API (or any other sender) and the carrier: associates' 1:1
    // messages, opt-in requests, cart links, receipts and HELP replies (docs/delivery-guarantees.md,
    // "Sending"). Standard, not FIFO: a message waiting for its number's pace or a retry is delayed
    // on its own (DelaySeconds) instead of holding back everything behind it in its group.
    name: 'send',
    id: 'SenderQueue',
    localName: 'clienteling-send',
    sendBinding: 'senderQueue',
    fifo: false,
    visibilityTimeoutSeconds: 6 * SENDER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'SenderDeadLetters',
      localName: 'clienteling-send-dlq',
      maxReceives: SENDER_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // Bulk sends (scheduled and quiet-hours releases, reminders): a queue of their own, so 50k
    // messages released at 08:00 never stand in front of an associate's reply.
    name: 'send-bulk',
    id: 'BulkSenderQueue',
    localName: 'clienteling-send-bulk',
    sendBinding: 'bulkSenderQueue',
    fifo: false,
    visibilityTimeoutSeconds: 6 * SENDER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'BulkSenderDeadLetters',
      localName: 'clienteling-send-bulk-dlq',
      maxReceives: SENDER_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // Inbound MMS media to copy, one job per stored message. Standard, not FIFO: jobs are independent
    // (the worker is idempotent and order does not matter), so a slow media host holds back no one.
    name: 'media',
    id: 'MediaQueue',
    localName: 'clienteling-media',
    sendBinding: 'mediaQueue',
    fifo: false,
    visibilityTimeoutSeconds: 6 * MEDIA_WORKER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'MediaDeadLetters',
      localName: 'clienteling-media-dlq',
      maxReceives: MEDIA_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // A message's attribution (outreach contacted/replied, the associate's report counters), one
    // job per message handed over or received: applied off the message path, so the sender and
    // the inbound worker keep their request budgets and a report outage never delays a message
    // (docs/reports.md, "Events and what each adds"). Standard: each job is idempotent on its own.
    name: 'attribution',
    id: 'AttributionQueue',
    localName: 'clienteling-attribution',
    sendBinding: 'attributionQueue',
    fifo: false,
    visibilityTimeoutSeconds: 6 * ATTRIBUTION_WORKER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'AttributionDeadLetters',
      localName: 'clienteling-attribution-dlq',
      maxReceives: ATTRIBUTION_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
  {
    // Customer erasures (`DELETE /customers/{id}`), between the customers API and the erasure
    // worker (functions/customers/erasure-queue.ts). FIFO, a message group per customer: two
    // erasures of one customer never run at once, and a failed one is retried before the next.
    name: 'erasure',
    id: 'ErasureQueue',
    localName: 'clienteling-erasure.fifo',
    sendBinding: 'erasureQueue',
    fifo: true,
    visibilityTimeoutSeconds: 6 * ERASURE_WORKER_TIMEOUT_SECONDS,
    retentionDays: 4,
    deadLetters: {
      id: 'ErasureDeadLetters',
      localName: 'clienteling-erasure-dlq.fifo',
      maxReceives: ERASURE_QUEUE_MAX_RECEIVES,
      retentionDays: 14,
    },
  },
] as const satisfies readonly QueueSpec[];

/** The function whose `sqs` block consumes this queue (each queue has exactly one). */
export function queueConsumer(queue: QueueName): FunctionSpec & { sqs: NonNullable<FunctionSpec['sqs']> } {
  const consumers = (FUNCTIONS as readonly FunctionSpec[]).filter((fn) => fn.sqs?.queue === queue);
  if (consumers.length !== 1) {
    throw new Error(`The ${queue} queue has ${consumers.length} consumers in lib/functions.ts; it needs exactly one.`);
  }
  return consumers[0] as FunctionSpec & { sqs: NonNullable<FunctionSpec['sqs']> };
}
