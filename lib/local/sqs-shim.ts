/**
 * A queue, in process. Functions send with the real SQSClient to the loopback endpoint
 * (lib/local/sqs-endpoint.ts); this queue delivers to the manifest's consumer the way Lambda's
 * event source mapping does: real SQSEvent records in batches, a few batches in flight, partial
 * batch responses honoured, failed messages retried after a delay until the queue's
 * maxReceiveCount, then handed to the dead-letter consumer. A FIFO queue keeps SQS's FIFO rules:
 * a message group is delivered in order and only one batch of a group is in flight at a time; a
 * failed message holds its group back until it succeeds or goes to the dead-letter queue; a
 * deduplication id seen in the last five minutes is dropped.
 *
 * Over 300 lines because it is one state machine (waiting, in flight, retried, dead-lettered,
 * FIFO groups held): its rules read best in one place.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import {
  md5Hex,
  md5OfMessageAttributes,
  type QueueMessageAttribute,
  sqsEvent,
  sqsQueueArn,
  sqsRecord,
} from '../lambda-events';
import type { QueueJournal, RecoveredMessage, StoredMessage } from './queue-journal';

/** SQS's classic payload limit; kept so that what works locally also fits every AWS account and region. */
export const MAX_PAYLOAD_BYTES = 262_144;

export interface QueueConsumer {
  readonly batchSize: number;
  /** Calls the consumer function; resolves with what it returned, rejects when it threw. */
  invoke(event: SQSEvent, messageIds: readonly string[]): Promise<unknown>;
}

export interface QueueOptions {
  readonly name: string;
  readonly maxReceives: number;
  /** How long a failed message stays invisible before the next try (the visibility timeout, shortened for local use). */
  readonly retryDelayMs: number;
  readonly concurrency: number;
  readonly consumer?: QueueConsumer;
  /** Where messages go after maxReceives failed tries. */
  readonly deadLetters?: LocalQueue;
  readonly onDeliveryFailed?: (queue: string, messageIds: readonly string[], error: unknown, givingUp: boolean) => void;
  readonly onChange?: () => void;
  /** A FIFO queue (its name ends in `.fifo`). */
  readonly fifo?: boolean;
  /** Where the queue's messages are kept across restarts (lib/local/queue-journal.ts); without it, in memory only. */
  readonly journal?: QueueJournal;
  /** Deliver nothing until `resume()` (the stack is still starting: the functions' environment is not set yet). */
  readonly held?: boolean;
}

/** SQS drops a FIFO message whose deduplication id was seen within this window. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export class QueueError extends Error {
  constructor(
    readonly code: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalQueue {
  readonly arn: string;
  private readonly waiting: StoredMessage[] = [];
  private inFlight = 0;
  private messagesInFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private pumpQueued = false;
  private readonly groupsInFlight = new Set<string>();
  private readonly deduplication = new Map<string, { messageId: string; at: number }>();
  private sequence = 0;
  private held: boolean;

  constructor(
    readonly url: string,
    private readonly options: QueueOptions,
  ) {
    this.arn = sqsQueueArn(options.name);
    this.held = options.held ?? false;
    if (options.journal) this.restore(options.journal);
  }

  /**
   * Takes back what the journal kept: waiting messages as they were; a delivery the stop
   * interrupted counts as a failed receive (as a Lambda that died does on AWS), so it is visible
   * again at once, or goes to the dead-letter queue if that was its last receive.
   */
  private restore(journal: QueueJournal): void {
    const { messages, deduplication, sequence } = journal.take(this.name);
    for (const [key, seen] of deduplication) this.deduplication.set(key, seen);
    this.sequence = sequence;
    const exhausted = (r: RecoveredMessage) => r.interrupted && r.message.receiveCount >= this.options.maxReceives;
    for (const r of messages) if (!exhausted(r)) this.waiting.push(r.message);
    this.deadLetter(messages.filter(exhausted).map((r) => r.message));
    if (this.waiting.length > 0) this.enqueue();
  }

  /** Starts delivering (a queue built `held`). */
  resume(): void {
    this.held = false;
    this.enqueue();
  }

  /** Resolves once every message this queue has accepted is on disk (at once without a journal). */
  durable(): Promise<void> {
    return this.options.journal?.commit() ?? Promise.resolve();
  }

  get name(): string {
    return this.options.name;
  }

  /** True while messages wait or a batch is being handled. */
  /** Work is pending: messages a consumer will take, or deliveries running. A queue nobody consumes (a DLQ waiting for a redrive) is never busy. */
  busy(): boolean {
    return (this.options.consumer !== undefined && this.waiting.length > 0) || this.inFlight > 0;
  }

  /** SQS's approximate depth counters: visible messages, and those in flight or waiting out a delay or a retry. */
  depth(): { ApproximateNumberOfMessages: number; ApproximateNumberOfMessagesNotVisible: number } {
    const now = Date.now();
    const visible = this.waiting.filter((m) => m.visibleAt <= now).length;
    return {
      ApproximateNumberOfMessages: visible,
      ApproximateNumberOfMessagesNotVisible: this.waiting.length - visible + this.messagesInFlight,
    };
  }

  send(input: {
    body: string;
    delaySeconds?: number;
    attributes?: Record<string, QueueMessageAttribute>;
    groupId?: string;
    deduplicationId?: string;
  }): {
    MessageId: string;
    MD5OfMessageBody: string;
    MD5OfMessageAttributes?: string;
    SequenceNumber?: string;
  } {
    const attributes = input.attributes ?? {};
    validateMessage(input.body, attributes, input.delaySeconds);
    if (this.options.fifo) {
      if (!input.groupId)
        throw new QueueError(
          'com.amazonaws.sqs#MissingParameter',
          'MissingParameter',
          'The request must contain the parameter MessageGroupId.',
        );
      if (!input.deduplicationId) {
        throw new QueueError(
          'com.amazonaws.sqs#InvalidParameterValue',
          'InvalidParameterValue',
          'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.',
        );
      }
      const now = Date.now();
      for (const [id, seen] of this.deduplication)
        if (now - seen.at > DEDUPLICATION_WINDOW_MS) this.deduplication.delete(id);
      const seen = this.deduplication.get(`${input.groupId}|${input.deduplicationId}`);
      if (seen) return { MessageId: seen.messageId, MD5OfMessageBody: md5Hex(input.body) };
    } else if (input.groupId) {
      throw new QueueError(
        'com.amazonaws.sqs#InvalidParameterValue',
        'InvalidParameterValue',
        'The request include parameter MessageGroupId that is not valid for this queue type.',
      );
    }
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      attributes,
      md5OfAttributes: md5OfMessageAttributes(attributes),
      sentTimestamp: Date.now(),
      receiveCount: 0,
      visibleAt: Date.now() + (input.delaySeconds ?? 0) * 1000,
      ...(this.options.fifo
        ? {
            groupId: input.groupId,
            deduplicationId: input.deduplicationId,
            sequenceNumber: String(++this.sequence).padStart(20, '0'),
          }
        : {}),
    };
    if (this.options.fifo)
      this.deduplication.set(`${input.groupId}|${input.deduplicationId}`, {
        messageId: message.messageId,
        at: Date.now(),
      });
    this.options.journal?.append({ t: 'send', q: this.name, m: message });
    this.enqueue(message);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: message.md5OfBody,
      ...(message.md5OfAttributes ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    };
  }

  /** A message moved here from another queue's redrive policy keeps its id, body and attributes. */
  private enqueue(message?: StoredMessage): void {
    if (message) this.waiting.push(message);
    this.options.onChange?.();
    // Deferred, so messages sent together (a SendMessageBatch, a loop of sends) are polled as one batch, as Lambda's poller would.
    if (!this.pumpQueued) {
      this.pumpQueued = true;
      setImmediate(() => {
        this.pumpQueued = false;
        this.pump();
      });
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private pump(): void {
    if (this.stopped || this.held || !this.options.consumer) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = Date.now();
    while (this.inFlight < this.options.concurrency) {
      const ready = this.nextBatch(now);
      if (ready.length === 0) break;
      for (const m of ready) this.waiting.splice(this.waiting.indexOf(m), 1);
      const groups = new Set(ready.flatMap((m) => (m.groupId === undefined ? [] : [m.groupId])));
      for (const group of groups) this.groupsInFlight.add(group);
      this.inFlight++;
      this.messagesInFlight += ready.length;
      void this.deliver(ready).finally(() => {
        for (const group of groups) this.groupsInFlight.delete(group);
        this.inFlight--;
        this.messagesInFlight -= ready.length;
        this.pump();
        this.options.onChange?.();
      });
    }
    const next = Math.min(...this.waiting.map((m) => m.visibleAt));
    if (Number.isFinite(next)) this.timer = setTimeout(() => this.pump(), Math.max(10, next - Date.now()));
  }

  /**
   * The next batch to hand over. Standard queue: any visible messages. FIFO: in order, skipping
   * every group that has a batch in flight or whose oldest message is not visible yet (a message
   * waiting for its retry holds back the messages behind it).
   */
  private nextBatch(now: number): StoredMessage[] {
    const size = this.options.consumer!.batchSize;
    if (!this.options.fifo) return this.waiting.filter((m) => m.visibleAt <= now).slice(0, size);
    const held = new Set(this.groupsInFlight);
    const batch: StoredMessage[] = [];
    for (const m of this.waiting) {
      if (batch.length >= size) break;
      if (held.has(m.groupId!)) continue;
      if (m.visibleAt > now) {
        held.add(m.groupId!);
        continue;
      }
      batch.push(m);
    }
    return batch;
  }

  private async deliver(batch: StoredMessage[]): Promise<void> {
    const consumer = this.options.consumer!;
    const now = Date.now();
    const records = batch.map((m) => {
      m.receiveCount++;
      m.firstReceiveTimestamp ??= now;
      return this.record(m);
    });
    const journal = this.options.journal;
    const ids = batch.map((m) => m.messageId);
    journal?.append({ t: 'receive', q: this.name, ids, at: now });
    let failedIds: Set<string>;
    let error: unknown;
    try {
      const result = await consumer.invoke(
        sqsEvent(records),
        batch.map((m) => m.messageId),
      );
      failedIds = partialFailures(result, batch);
    } catch (thrown) {
      error = thrown;
      failedIds = new Set(batch.map((m) => m.messageId));
    }
    const deleted = ids.filter((id) => !failedIds.has(id));
    if (deleted.length > 0) journal?.append({ t: 'delete', q: this.name, ids: deleted });
    if (failedIds.size === 0) return;
    const failed = batch.filter((m) => failedIds.has(m.messageId));
    const exhausted = failed.filter((m) => m.receiveCount >= this.options.maxReceives);
    const retried = failed.filter((m) => m.receiveCount < this.options.maxReceives);
    const visibleAt = Date.now() + this.options.retryDelayMs;
    for (const m of retried) m.visibleAt = visibleAt;
    if (retried.length > 0)
      journal?.append({ t: 'retry', q: this.name, ids: retried.map((m) => m.messageId), visibleAt });
    // FIFO: back at the head of their group, in order, ahead of anything sent since.
    if (this.options.fifo) this.waiting.unshift(...retried);
    else this.waiting.push(...retried);
    if (retried.length > 0)
      this.options.onDeliveryFailed?.(
        this.name,
        retried.map((m) => m.messageId),
        error ?? 'reported in batchItemFailures',
        false,
      );
    if (exhausted.length > 0) {
      this.options.onDeliveryFailed?.(
        this.name,
        exhausted.map((m) => m.messageId),
        error ?? 'reported in batchItemFailures',
        true,
      );
      this.deadLetter(exhausted);
    }
  }

  /** Moves these messages to the dead-letter queue (with a fresh receive count, as SQS's redrive does). */
  private deadLetter(messages: readonly StoredMessage[]): void {
    const deadLetters = this.options.deadLetters;
    if (messages.length === 0 || !deadLetters) return;
    const at = Date.now();
    this.options.journal?.append({
      t: 'dead',
      q: this.name,
      to: deadLetters.name,
      ids: messages.map((m) => m.messageId),
      at,
    });
    for (const m of messages)
      deadLetters.enqueue({ ...m, receiveCount: 0, firstReceiveTimestamp: undefined, visibleAt: at });
  }

  private record(m: StoredMessage): SQSRecord {
    return sqsRecord({
      messageId: m.messageId,
      body: m.body,
      receiveCount: m.receiveCount,
      queueArn: this.arn,
      sentTimestamp: m.sentTimestamp,
      firstReceiveTimestamp: m.firstReceiveTimestamp,
      attributes: m.attributes,
      ...(m.groupId !== undefined
        ? { fifo: { groupId: m.groupId, deduplicationId: m.deduplicationId, sequenceNumber: m.sequenceNumber } }
        : {}),
    });
  }
}

/**
 * Lambda's ReportBatchItemFailures rules: a response listing item identifiers fails only those;
 * an identifier that is empty or not in the batch fails the whole batch; anything else is success.
 */
function partialFailures(result: unknown, batch: readonly StoredMessage[]): Set<string> {
  const failures = (result as { batchItemFailures?: unknown } | null | undefined)?.batchItemFailures;
  if (!Array.isArray(failures)) return new Set();
  const ids = new Set(batch.map((m) => m.messageId));
  const failed = new Set<string>();
  for (const item of failures) {
    const id = (item as { itemIdentifier?: unknown })?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return ids;
    failed.add(id);
  }
  return failed;
}

function validateMessage(
  body: unknown,
  attributes: Record<string, QueueMessageAttribute>,
  delaySeconds: number | undefined,
): void {
  if (typeof body !== 'string' || body.length === 0) {
    throw new QueueError(
      'com.amazonaws.sqs#InvalidParameterValue',
      'InvalidParameterValue',
      'The request must contain the parameter MessageBody.',
    );
  }
  const size =
    Buffer.byteLength(body) +
    Object.entries(attributes).reduce(
      (n, [k, a]) =>
        n +
        Buffer.byteLength(k) +
        Buffer.byteLength(a.DataType) +
        Buffer.byteLength(a.StringValue ?? a.BinaryValue ?? ''),
      0,
    );
  if (size > MAX_PAYLOAD_BYTES) {
    throw new QueueError(
      'com.amazonaws.sqs#InvalidParameterValue',
      'InvalidParameterValue',
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_PAYLOAD_BYTES} bytes.`,
    );
  }
  if (delaySeconds !== undefined && (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > 900)) {
    throw new QueueError(
      'com.amazonaws.sqs#InvalidParameterValue',
      'InvalidParameterValue',
      'DelaySeconds must be >= 0 and <= 900.',
    );
  }
}
