/**
 * What the campaign integration tests share: real uploads to s3rver, S3 events as S3 sends them,
 * and an import queue captured with aws-sdk-client-mock (SQS has no local engine here), drained
 * by calling the writer handler with real SQSEvents, retries and the DLQ as the queue would.
 */
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { inject } from 'vitest';
import { IMPORT_QUEUE_MAX_RECEIVES } from '../../lib/functions';
import { localS3Client } from '../../lib/local/engines';
import { objectCreatedEvent, sqsEvent as sqsEvents, sqsQueueArn, sqsRecord } from '../../lib/lambda-events';
import { TEST_BUCKETS } from '../support/buckets';
import { lambdaContext } from '../support/http-events';

process.env.IMPORT_QUEUE_URL ??= 'https://sqs.us-east-1.amazonaws.com/000000000000/test-import';

export const s3Client = localS3Client(inject('s3Endpoint'));

/** Puts the file into the test uploads bucket and returns the S3 event S3 would send for it. */
export async function upload(key: string, content: string | Buffer): Promise<S3Event> {
  const out = await s3Client.send(new PutObjectCommand({ Bucket: TEST_BUCKETS.uploads, Key: key, Body: content }));
  return s3EventFor(key, out.ETag ?? '');
}

export function s3EventFor(key: string, eTag: string): S3Event {
  return objectCreatedEvent({
    bucket: TEST_BUCKETS.uploads,
    key,
    size: 1,
    eTag,
    sequencer: randomUUID().replace(/-/g, '').toUpperCase(),
  });
}

export interface QueuedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

/** The import queue as the tests see it: messages the functions sent, in order. */
export class CapturedQueue {
  readonly messages: QueuedMessage[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  readonly mock = mockClient(SQSClient);

  constructor() {
    this.mock
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: Array<{ Id: string; MessageBody: string }> }) => {
        for (const entry of input.Entries) this.push(entry.MessageBody);
        return {
          Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: '' })),
          Failed: [],
        };
      });
    this.mock
      .on(SendMessageCommand)
      .callsFake((input: { MessageBody: string }) => ({ MessageId: this.push(input.MessageBody) }));
  }

  private push(body: string): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, body, receiveCount: 0 });
    return messageId;
  }

  /** Takes every waiting message off the queue. */
  take(): QueuedMessage[] {
    return this.messages.splice(0);
  }

  bodies(): Array<Record<string, any>> {
    return this.messages.map((m) => JSON.parse(m.body));
  }
}

const IMPORT_QUEUE_ARN = sqsQueueArn('test-import');

export function sqsEvent(messages: readonly QueuedMessage[]): SQSEvent {
  return sqsEvents(
    messages.map((m) =>
      sqsRecord({ messageId: m.messageId, body: m.body, receiveCount: m.receiveCount, queueArn: IMPORT_QUEUE_ARN }),
    ),
  );
}

// biome-ignore lint/suspicious/noConfusingVoidType: the same return type as aws-lambda's SQSHandler, whose handlers may return nothing
type SqsHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse | void>;

/**
 * Delivers queued messages one at a time (batchSize 1, as the manifest says) until the queue is
 * empty, in the order `order` picks. A message the writer reports as failed goes back on the
 * queue, and to `deadLetters` after IMPORT_QUEUE_MAX_RECEIVES receives, as SQS's redrive policy does.
 */
export async function drain(
  queue: CapturedQueue,
  writer: SqsHandler,
  order: (waiting: QueuedMessage[]) => QueuedMessage[] = (waiting) => waiting,
): Promise<void> {
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const waiting = order(queue.take());
    if (waiting.length === 0) return;
    for (const message of waiting) {
      message.receiveCount++;
      let failed: boolean;
      try {
        const response = await writer(sqsEvent([message]), lambdaContext('writer'));
        failed = (response?.batchItemFailures ?? []).some((f) => f.itemIdentifier === message.messageId);
      } catch (error) {
        if (process.env.DEBUG_IMPORT_QUEUE) console.error(error, (error as { childErrors?: unknown }).childErrors);
        failed = true;
      }
      if (!failed) continue;
      if (message.receiveCount >= IMPORT_QUEUE_MAX_RECEIVES) queue.deadLetters.push(message);
      else queue.messages.push(message);
    }
  }
  throw new Error('the import queue never drained');
}

/** Counts items of the campaign's outreach partitions straight from the table (what a test must not trust the API for). */
export async function outreachItemCount(campaignId: string, storeId: string): Promise<number> {
  // Imported here: each test file points TABLE_NAME at its own table before the functions load.
  const { documentClient } = await import('../../functions/shared/clients');
  const { OUTREACH_SHARDS } = await import('../../functions/campaigns/rules');
  const { outreachPk } = await import('../../functions/campaigns/repository/keys');
  let total = 0;
  for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
    const out = await documentClient.send(
      new QueryCommand({
        TableName: process.env.TABLE_NAME,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
        Select: 'COUNT',
      }),
    );
    total += out.Count ?? 0;
  }
  return total;
}
