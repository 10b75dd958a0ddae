/**
 * Sends import-queue messages: chunks of rows from the import, purge work from a delete.
 * Chunks go out with SendMessageBatch, packed up to 10 entries and SQS's 256 KB per batch, a
 * few batches in flight; entries SQS reports as failed are resent with backoff.
 */
import { SendMessageBatchCommand, SendMessageCommand, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';
import { backoff } from '../shared/concurrency';
import { SEND_BATCH_MAX_BYTES, SEND_BATCH_MAX_ENTRIES, type ImportQueueMessage } from './rules';

const queueUrl = () => loadConfig('importQueue').importQueue;

/**
 * How often a chunk is tried before it goes to the DLQ (SQS maxReceiveCount; lib/functions.ts
 * declares it with the queue). AWS suggests at least 5 so that throttling or a slow dependency
 * does not dead-letter a chunk.
 */
export const IMPORT_QUEUE_MAX_RECEIVES = 5;

/** Sends one batch of entries (at most 10, at most 256 KB in all); resolves when SQS has every entry. */
export type SendBatch = (entries: readonly SendMessageBatchRequestEntry[]) => Promise<void>;

export const sendBatchToImportQueue: SendBatch = async (entries) => {
  let pending = [...entries];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 0) await backoff(attempt);
    if (attempt > 8) throw new Error(`SQS refused ${pending.length} import messages after ${attempt} attempts`);
    const out = await sqs().send(new SendMessageBatchCommand({ QueueUrl: queueUrl(), Entries: pending }));
    const failed = new Set((out.Failed ?? []).map((f) => f.Id));
    pending = pending.filter((entry) => failed.has(entry.Id));
  }
};

export async function sendToImportQueue(message: ImportQueueMessage, delaySeconds = 0): Promise<void> {
  await sqs().send(
    new SendMessageCommand({ QueueUrl: queueUrl(), MessageBody: JSON.stringify(message), DelaySeconds: delaySeconds }),
  );
}

/** Packs messages into batches and keeps at most `inFlight` batches sending at once (back-pressure for the reader). */
export class BatchingSender {
  private entries: SendMessageBatchRequestEntry[] = [];
  private bytes = 0;
  private readonly sending = new Set<Promise<void>>();
  private failure: unknown;
  sent = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly inFlight = 4,
  ) {}

  /** Adds a message; waits only when too many batches are in flight. */
  async add(id: string, message: ImportQueueMessage): Promise<void> {
    const body = JSON.stringify(message);
    const size = Buffer.byteLength(body);
    if (this.entries.length === SEND_BATCH_MAX_ENTRIES || this.bytes + size > SEND_BATCH_MAX_BYTES)
      await this.dispatch();
    this.entries.push({ Id: id, MessageBody: body });
    this.bytes += size;
  }

  /** Sends what is left and waits for every batch. */
  async flush(): Promise<void> {
    await this.dispatch();
    await Promise.all(this.sending);
    if (this.failure) throw this.failure;
  }

  private async dispatch(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.entries.length > 0) {
      const batch = this.entries;
      this.entries = [];
      this.bytes = 0;
      const sending: Promise<void> = this.send(batch)
        .then(() => {
          this.sent += batch.length;
        })
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => this.sending.delete(sending));
      this.sending.add(sending);
    }
    while (this.sending.size >= this.inFlight) await Promise.race(this.sending);
    if (this.failure) throw this.failure;
  }
}
