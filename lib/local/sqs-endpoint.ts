/**
 * The loopback SQS endpoint: the part of the SQS JSON protocol (AWS JSON 1.0) functions use,
 * SendMessage and SendMessageBatch, with SQS's limits, in front of the local queues
 * (lib/local/sqs-shim.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QueueMessageAttribute } from '../lambda-events';
import { LOCAL_ACCOUNT_ID } from './lambda-runtime';
import { type LocalQueue, MAX_PAYLOAD_BYTES, QueueError } from './sqs-shim';

const MAX_BATCH_ENTRIES = 10;

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
      req.on('end', () => void this.answer(req.headers, Buffer.concat(chunks), res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  /**
   * Answers one call. A send is answered only once the queue's journal has it on disk
   * (lib/local/queue-journal.ts): what SQS acknowledged is never lost to a killed stack.
   */
  private async answer(requestHeaders: IncomingHttpHeaders, raw: Buffer, res: ServerResponse): Promise<void> {
    const target = String(requestHeaders['x-amz-target'] ?? '');
    let status = 200;
    let body: unknown;
    const headers: Record<string, string> = {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': randomUUID(),
    };
    let failure: QueueError | undefined;
    try {
      const input = JSON.parse(raw.toString('utf8') || '{}') as { QueueUrl?: string };
      body = this.dispatch(target, input);
      if (target.startsWith('AmazonSQS.SendMessage')) {
        // A journal that cannot write refuses the send (the SDK retries it): it was not kept.
        await this.queueOf(input.QueueUrl)
          .durable()
          .catch((error: Error) => {
            status = 500;
            throw new QueueError('com.amazonaws.sqs#InternalError', 'InternalError', error.message);
          });
      }
    } catch (error) {
      if (status === 200) status = 400;
      failure =
        error instanceof QueueError
          ? error
          : new QueueError(
              'com.amazonaws.sqs#InvalidParameterValue',
              'InvalidParameterValue',
              (error as Error).message,
            );
    }
    if (failure) {
      headers['x-amzn-query-error'] = `${failure.queryCode};${status === 500 ? 'Receiver' : 'Sender'}`;
      body = { __type: failure.code, message: failure.message };
    }
    res.writeHead(status, headers).end(JSON.stringify(body));
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
      case 'AmazonSQS.GetQueueAttributes': {
        // The depth counters (a dead-letter queue's depth is what its alarm watches); other names are not kept locally.
        const i = input as { QueueUrl?: string; AttributeNames?: string[] };
        const all = this.queueOf(i.QueueUrl).depth();
        const names = i.AttributeNames ?? [];
        const wanted = names.includes('All') ? Object.keys(all) : names;
        return {
          Attributes: Object.fromEntries(
            Object.entries(all)
              .filter(([name]) => wanted.includes(name))
              .map(([name, value]) => [name, String(value)]),
          ),
        };
      }
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
