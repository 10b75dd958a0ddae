/**
 * The import queue, in process. Functions send with the real SQSClient, so this serves the part
 * of the SQS JSON protocol they use (SendMessage, SendMessageBatch) on a loopback port, then
 * delivers to the manifest's consumer the way Lambda's event source mapping does: real SQSEvent
 * records in batches, a few batches in flight, partial batch responses honoured, failed messages
 * retried after a delay until the queue's maxReceiveCount, then handed to the dead-letter consumer.
 * A FIFO queue keeps SQS's FIFO rules: a message group is delivered in order and only one batch
 * of a group is in flight at a time; a failed message holds its group back until it succeeds or
 * goes to the dead-letter queue; a deduplication id seen in the last five minutes is dropped.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  md5Hex,
  md5OfMessageAttributes,
  type QueueMessageAttribute,
  sqsEvent,
  sqsQueueArn,
  sqsRecord,
} from '../lambda-events';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime';

/** SQS's classic payload limit; kept so that what works locally also fits every AWS account and region. */
const MAX_PAYLOAD_BYTES = 262_144;
const MAX_BATCH_ENTRIES = 10;

interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Record<string, QueueMessageAttribute>;
  readonly md5OfAttributes: string | undefined;
  readonly sentTimestamp: number;
  /** FIFO queues: the message group and the deduplication id. */
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  firstReceiveTimestamp?: number;
  receiveCount: number;
  /** Not deliverable before this time (DelaySeconds, or the wait before a retry). */
  visibleAt: number;
}

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
}

/** SQS drops a FIFO message whose deduplication id was seen within this window. */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

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
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private pumpQueued = false;
  private readonly groupsInFlight = new Set<string>();
  private readonly deduplication = new Map<string, { messageId: string; at: number }>();
  private sequence = 0;

  constructor(
    readonly url: string,
    private readonly options: QueueOptions,
  ) {
    this.arn = sqsQueueArn(options.name);
  }

  get name(): string {
    return this.options.name;
  }

  /** True while messages wait or a batch is being handled. */
  /** Work is pending: messages a consumer will take, or deliveries running. A queue nobody consumes (a DLQ waiting for a redrive) is never busy. */
  busy(): boolean {
    return (this.options.consumer !== undefined && this.waiting.length > 0) || this.inFlight > 0;
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
    this.enqueue(message);
    return {
      MessageId: message.messageId,
      MD5OfMessageBody: message.md5OfBody,
      ...(message.md5OfAttributes ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    };
  }

  /** A message moved here from another queue's redrive policy keeps its id, body and attributes. */
  private enqueue(message: StoredMessage): void {
    this.waiting.push(message);
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
    if (this.stopped || !this.options.consumer) return;
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
      void this.deliver(ready).finally(() => {
        for (const group of groups) this.groupsInFlight.delete(group);
        this.inFlight--;
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
    if (failedIds.size === 0) return;
    const failed = batch.filter((m) => failedIds.has(m.messageId));
    const exhausted = failed.filter((m) => m.receiveCount >= this.options.maxReceives);
    const retried = failed.filter((m) => m.receiveCount < this.options.maxReceives);
    for (const m of retried) m.visibleAt = Date.now() + this.options.retryDelayMs;
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
      for (const m of exhausted) {
        this.options.deadLetters?.enqueue({
          ...m,
          receiveCount: 0,
          firstReceiveTimestamp: undefined,
          visibleAt: Date.now(),
        });
      }
    }
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

interface SendMessageInput {
  QueueUrl?: string;
  MessageBody?: string;
  DelaySeconds?: number;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  MessageAttributes?: Record<string, QueueMessageAttribute>;
}

interface SendMessageBatchInput {
  QueueUrl?: string;
  Entries?: Array<Omit<SendMessageInput, 'QueueUrl'> & { Id?: string }>;
}

/** The loopback SQS endpoint (AWS JSON 1.0 protocol) in front of the local queues. */
export class SqsEndpoint {
  private server: Server | undefined;
  private readonly queues = new Map<string, LocalQueue>();
  endpoint = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        let status = 200;
        let body: unknown;
        const headers: Record<string, string> = {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': randomUUID(),
        };
        try {
          const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
          body = this.dispatch(target, input);
        } catch (error) {
          status = 400;
          const e =
            error instanceof QueueError
              ? error
              : new QueueError(
                  'com.amazonaws.sqs#InvalidParameterValue',
                  'InvalidParameterValue',
                  (error as Error).message,
                );
          headers['x-amzn-query-error'] = `${e.queryCode};Sender`;
          body = { __type: e.code, message: e.message };
        }
        res.writeHead(status, headers).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  /** The queue URL functions send to; its origin is this endpoint, so the SDK never redirects elsewhere. */
  queueUrl(name: string): string {
    return `${this.endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  }

  register(queue: LocalQueue): void {
    this.queues.set(queue.url, queue);
  }

  async stop(): Promise<void> {
    for (const queue of this.queues.values()) queue.stop();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private queueOf(url: string | undefined): LocalQueue {
    const queue = url ? this.queues.get(url) : undefined;
    if (!queue) {
      throw new QueueError(
        'com.amazonaws.sqs#QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        `The specified queue does not exist: ${url}`,
      );
    }
    return queue;
  }

  private dispatch(target: string, input: unknown): unknown {
    switch (target) {
      case 'AmazonSQS.SendMessage': {
        const i = input as SendMessageInput;
        return this.queueOf(i.QueueUrl).send({
          body: i.MessageBody as string,
          delaySeconds: i.DelaySeconds,
          attributes: i.MessageAttributes,
          groupId: i.MessageGroupId,
          deduplicationId: i.MessageDeduplicationId,
        });
      }
      case 'AmazonSQS.SendMessageBatch':
        return this.sendBatch(input as SendMessageBatchInput);
      case 'AmazonSQS.GetQueueUrl': {
        const name = (input as { QueueName?: string }).QueueName ?? '';
        return { QueueUrl: this.queueOf(this.queueUrl(name)).url };
      }
      default:
        throw new QueueError(
          'com.amazon.coral.service#UnknownOperationException',
          'UnknownOperationException',
          `The local queue does not serve ${target || 'this operation'}.`,
        );
    }
  }

  private sendBatch(input: SendMessageBatchInput) {
    const queue = this.queueOf(input.QueueUrl);
    const entries = input.Entries ?? [];
    if (entries.length === 0) {
      throw new QueueError(
        'com.amazonaws.sqs#EmptyBatchRequest',
        'AWS.SimpleQueueService.EmptyBatchRequest',
        'There should be at least one SendMessageBatchRequestEntry in the request.',
      );
    }
    if (entries.length > MAX_BATCH_ENTRIES) {
      throw new QueueError(
        'com.amazonaws.sqs#TooManyEntriesInBatchRequest',
        'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
      );
    }
    const ids = entries.map((e) => e.Id);
    if (new Set(ids).size !== ids.length) {
      throw new QueueError(
        'com.amazonaws.sqs#BatchEntryIdsNotDistinct',
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
        'Two or more batch entries in the request have the same Id.',
      );
    }
    const total = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
    if (total > MAX_PAYLOAD_BYTES) {
      throw new QueueError(
        'com.amazonaws.sqs#BatchRequestTooLong',
        'AWS.SimpleQueueService.BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_PAYLOAD_BYTES} bytes. You have sent ${total} bytes.`,
      );
    }
    const Successful: unknown[] = [];
    const Failed: unknown[] = [];
    for (const entry of entries) {
      try {
        Successful.push({
          Id: entry.Id,
          ...queue.send({
            body: entry.MessageBody as string,
            delaySeconds: entry.DelaySeconds,
            attributes: entry.MessageAttributes,
            groupId: entry.MessageGroupId,
            deduplicationId: entry.MessageDeduplicationId,
          }),
        });
      } catch (error) {
        Failed.push({
          Id: entry.Id,
          SenderFault: true,
          Code: error instanceof QueueError ? error.queryCode : 'InternalError',
          Message: (error as Error).message,
        });
      }
    }
    return { Successful, Failed };
  }
}
