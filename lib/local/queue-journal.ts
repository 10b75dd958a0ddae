/**
 * The local queues' journal (docs/architecture.md, "The local stack"): what SQS keeps on AWS, kept
 * under `.data/queues/` so that a message the endpoint accepted survives a killed `npm start`.
 *
 * One append-only file of JSON lines for every queue: a message sent, received, put back for a
 * retry, deleted, or moved to its dead-letter queue. Appends are group-committed: `commit()`
 * resolves once everything appended so far is written and fdatasync'ed, and the SQS endpoint
 * answers a send only then. On start the file is replayed (a torn last line, from a kill mid-write,
 * is dropped), and rewritten compacted (written aside, synced, renamed over the journal).
 */
import {
  closeSync,
  existsSync,
  fdatasync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  write,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { QueueMessageAttribute } from '../lambda-events';

const writeAsync = promisify(write);
const datasyncAsync = promisify(fdatasync);

/** A queued message as the queue holds it (and the journal keeps it). */
export interface StoredMessage {
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

export type JournalRecord =
  | { readonly t: 'send'; readonly q: string; readonly m: StoredMessage; readonly interrupted?: true }
  | { readonly t: 'receive'; readonly q: string; readonly ids: readonly string[]; readonly at: number }
  | { readonly t: 'retry'; readonly q: string; readonly ids: readonly string[]; readonly visibleAt: number }
  | { readonly t: 'delete'; readonly q: string; readonly ids: readonly string[] }
  | {
      readonly t: 'dead';
      readonly q: string;
      readonly to: string;
      readonly ids: readonly string[];
      readonly at: number;
    }
  | { readonly t: 'dedup'; readonly q: string; readonly key: string; readonly messageId: string; readonly at: number };

/** A message found in the journal, and whether it was being delivered when the stack stopped. */
export interface RecoveredMessage {
  readonly message: StoredMessage;
  readonly interrupted: boolean;
}

export interface RecoveredQueue {
  /** In the order they were sent (or moved here): a FIFO group's order. */
  readonly messages: RecoveredMessage[];
  readonly deduplication: Map<string, { messageId: string; at: number }>;
  readonly sequence: number;
}

interface ReplayedQueue {
  readonly messages: Map<string, { message: StoredMessage; interrupted: boolean }>;
  readonly deduplication: Map<string, { messageId: string; at: number }>;
  sequence: number;
}

export class QueueJournal {
  private readonly file: string;
  private readonly recovered = new Map<string, ReplayedQueue>();
  private fd: number | undefined;
  private pending: string[] = [];
  private appended = 0;
  private durable = 0;
  private flushing: Promise<void> | undefined;
  private waiters: Array<{ target: number; resolve: () => void; reject: (error: Error) => void }> = [];

  /** Replays and compacts `dir/journal.jsonl`, keeping deduplication ids seen within `deduplicationWindowMs`. */
  constructor(dir: string, deduplicationWindowMs: number) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'journal.jsonl');
    if (existsSync(this.file)) this.replay(readFileSync(this.file, 'utf8'));
    this.compact(dir, Date.now() - deduplicationWindowMs);
    this.fd = openSync(this.file, 'a');
  }

  /** What the journal held for this queue at start (each queue takes its part once). */
  take(queue: string): RecoveredQueue {
    const replayed = this.recovered.get(queue);
    this.recovered.delete(queue);
    return {
      messages: replayed ? [...replayed.messages.values()] : [],
      deduplication: replayed?.deduplication ?? new Map(),
      sequence: replayed?.sequence ?? 0,
    };
  }

  /** Queues a record for the next group commit; it is durable once a later `commit()` resolves. */
  append(record: JournalRecord): void {
    if (this.fd === undefined) return;
    this.pending.push(JSON.stringify(record) + '\n');
    this.appended++;
  }

  /** Resolves once every record appended so far is on disk (written and fdatasync'ed). */
  commit(): Promise<void> {
    if (this.durable >= this.appended) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ target: this.appended, resolve, reject }));
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    return done;
  }

  /** Writes what is pending, then closes the file. */
  async close(): Promise<void> {
    await this.commit().catch(() => undefined);
    await this.flushing;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async flush(): Promise<void> {
    while (this.durable < this.appended && this.fd !== undefined) {
      const lines = this.pending;
      const target = this.appended;
      this.pending = [];
      try {
        await writeAsync(this.fd, lines.join(''));
        await datasyncAsync(this.fd);
        this.durable = target;
        this.settle(
          (w) => w.target <= target,
          (w) => w.resolve(),
        );
      } catch (error) {
        // Nothing of this batch is known to be on disk: its senders are refused (the SDK retries them).
        this.durable = target;
        this.settle(
          (w) => w.target <= target,
          (w) => w.reject(error as Error),
        );
      }
    }
  }

  private settle(
    due: (waiter: (typeof this.waiters)[number]) => boolean,
    act: (waiter: (typeof this.waiters)[number]) => void,
  ): void {
    const ready = this.waiters.filter(due);
    this.waiters = this.waiters.filter((w) => !due(w));
    for (const waiter of ready) act(waiter);
  }

  private queue(name: string): ReplayedQueue {
    let queue = this.recovered.get(name);
    if (!queue) {
      queue = { messages: new Map(), deduplication: new Map(), sequence: 0 };
      this.recovered.set(name, queue);
    }
    return queue;
  }

  private replay(text: string): void {
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      let record: JournalRecord;
      try {
        record = JSON.parse(line) as JournalRecord;
      } catch (error) {
        // A kill mid-append leaves a torn last line: its send was never answered. Anything else is damage.
        if (i >= lines.length - 2) continue;
        throw new Error(`${this.file} line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
      this.apply(record);
    }
  }

  private apply(record: JournalRecord): void {
    const queue = this.queue(record.q);
    const each = (
      ids: readonly string[],
      change: (entry: { message: StoredMessage; interrupted: boolean }) => void,
    ) => {
      for (const id of ids) {
        const entry = queue.messages.get(id);
        if (entry) change(entry);
      }
    };
    switch (record.t) {
      case 'send': {
        const m = record.m;
        queue.messages.set(m.messageId, { message: { ...m }, interrupted: record.interrupted === true });
        if (m.groupId !== undefined && m.deduplicationId !== undefined)
          queue.deduplication.set(`${m.groupId}|${m.deduplicationId}`, { messageId: m.messageId, at: m.sentTimestamp });
        if (m.sequenceNumber) queue.sequence = Math.max(queue.sequence, Number(m.sequenceNumber));
        return;
      }
      case 'receive':
        each(record.ids, (entry) => {
          entry.message.receiveCount++;
          entry.message.firstReceiveTimestamp ??= record.at;
          entry.interrupted = true;
        });
        return;
      case 'retry':
        each(record.ids, (entry) => {
          entry.message.visibleAt = record.visibleAt;
          entry.interrupted = false;
        });
        return;
      case 'delete':
        for (const id of record.ids) queue.messages.delete(id);
        return;
      case 'dead': {
        const target = this.queue(record.to);
        each(record.ids, (entry) => {
          queue.messages.delete(entry.message.messageId);
          target.messages.set(entry.message.messageId, {
            message: { ...entry.message, receiveCount: 0, firstReceiveTimestamp: undefined, visibleAt: record.at },
            interrupted: false,
          });
        });
        return;
      }
      case 'dedup':
        queue.deduplication.set(record.key, { messageId: record.messageId, at: record.at });
        return;
    }
  }

  /** Rewrites the journal as what is left: each live message once, and the deduplication ids still in their window. */
  private compact(dir: string, deduplicationSince: number): void {
    const lines: string[] = [];
    for (const [q, queue] of this.recovered) {
      for (const [key, seen] of queue.deduplication) {
        if (seen.at < deduplicationSince) queue.deduplication.delete(key);
        else lines.push(JSON.stringify({ t: 'dedup', q, key, ...seen } satisfies JournalRecord));
      }
      for (const { message, interrupted } of queue.messages.values()) {
        // An interrupted delivery stays one: its queue decides (a retry, or the dead-letter queue) when it takes it.
        const record: JournalRecord = {
          t: 'send',
          q,
          m: message,
          ...(interrupted ? { interrupted: true as const } : {}),
        };
        lines.push(JSON.stringify(record));
      }
    }
    const aside = join(dir, 'journal.jsonl.compacting');
    const fd = openSync(aside, 'w');
    try {
      writeSync(fd, lines.map((l) => l + '\n').join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(aside, this.file);
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
