/** The local stack's queues (lib/local/sqs-shim.ts): batches, partial failures, redrive, FIFO groups and deduplication. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { md5OfMessageAttributes } from '../../lib/lambda-events';
import { QueueJournal } from '../../lib/local/queue-journal';
import { DEDUPLICATION_WINDOW_MS, LocalQueue } from '../../lib/local/sqs-shim';

/** A dead-letter queue that keeps the bodies reaching it; `done` resolves once `count` have arrived. */
function recordingDeadLetters(count: number) {
  const bodies: string[] = [];
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const queue = new LocalQueue('http://q/dlq', {
    name: 'dlq',
    maxReceives: 1,
    retryDelayMs: 1,
    concurrency: 1,
    consumer: {
      batchSize: 10,
      invoke: async (event) => {
        bodies.push(...event.Records.map((r) => r.body));
        if (bodies.length >= count) settle();
      },
    },
  });
  return { queue, bodies, done };
}

describe('the local import queue', () => {
  it('computes MD5OfMessageAttributes as SQS does', () => {
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
  });

  it('retries only the items a partial batch response names, then dead-letters them after maxReceives', async () => {
    const receives: Record<string, string[]> = {};
    const { queue: dlq, bodies: deadLettered, done } = recordingDeadLetters(1);
    const queue = new LocalQueue('http://q/main', {
      name: 'main',
      maxReceives: 3,
      retryDelayMs: 1,
      concurrency: 1,
      deadLetters: dlq,
      consumer: {
        batchSize: 2,
        invoke: async (event) => {
          for (const r of event.Records)
            receives[r.body] = [...(receives[r.body] ?? []), r.attributes.ApproximateReceiveCount];
          return {
            batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
              itemIdentifier: r.messageId,
            })),
          };
        },
      },
    });

    queue.send({ body: 'good' });
    queue.send({ body: 'bad' });
    await done;

    expect(receives).toEqual({ good: ['1'], bad: ['1', '2', '3'] });
    expect(deadLettered).toEqual(['bad']);
  });

  it('fails the whole batch when the consumer throws', async () => {
    const batches: string[][] = [];
    const { queue: dlq, bodies: deadLettered, done } = recordingDeadLetters(2);
    const queue = new LocalQueue('http://q/main', {
      name: 'main',
      maxReceives: 2,
      retryDelayMs: 1,
      concurrency: 1,
      deadLetters: dlq,
      consumer: {
        batchSize: 2,
        invoke: async (event) => {
          batches.push(event.Records.map((r) => r.body));
          throw new Error('boom');
        },
      },
    });

    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    await done;

    expect(batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(deadLettered.sort()).toEqual(['a', 'b']);
  });
});

describe('the local FIFO queue', () => {
  /** A FIFO queue whose consumer records each batch and fails the bodies in `failOnce` the first time it sees them. */
  function fifo(options: { failOnce?: string[]; batchSize?: number; concurrency?: number } = {}) {
    const batches: string[][] = [];
    const failed = new Set<string>();
    let inFlightGroups = 0;
    let maxParallelSameGroup = 0;
    const queue = new LocalQueue('http://q/in.fifo', {
      name: 'in.fifo',
      fifo: true,
      maxReceives: 5,
      retryDelayMs: 5,
      concurrency: options.concurrency ?? 4,
      consumer: {
        batchSize: options.batchSize ?? 10,
        invoke: async (event) => {
          const groups = new Set(event.Records.map((r) => r.attributes.MessageGroupId));
          if (groups.has('g1')) maxParallelSameGroup = Math.max(maxParallelSameGroup, ++inFlightGroups);
          batches.push(event.Records.map((r) => r.body));
          await new Promise((r) => setTimeout(r, 2));
          if (groups.has('g1')) inFlightGroups--;
          // As Powertools' FIFO processor does: from the first failure on, the rest of the batch fails too.
          const firstFailure = event.Records.findIndex(
            (r) => (options.failOnce ?? []).includes(r.body) && !failed.has(r.body),
          );
          if (firstFailure < 0) return { batchItemFailures: [] };
          failed.add(event.Records[firstFailure]!.body);
          return { batchItemFailures: event.Records.slice(firstFailure).map((r) => ({ itemIdentifier: r.messageId })) };
        },
      },
    });
    const idle = () =>
      new Promise<void>((resolve) => {
        const check = () => (queue.busy() ? setTimeout(check, 5) : resolve());
        check();
      });
    return { queue, batches, idle, maxParallel: () => maxParallelSameGroup };
  }

  it('delivers a group in order, one batch of a group at a time, and keeps order across a retry', async () => {
    const { queue, batches, idle, maxParallel } = fifo({ failOnce: ['g1-2'], batchSize: 3 });
    for (let i = 0; i < 6; i++) queue.send({ body: `g1-${i}`, groupId: 'g1', deduplicationId: `d${i}` });

    await idle();

    const delivered = batches.flat().filter((b) => b.startsWith('g1-'));
    const lastSeen = (body: string) => delivered.lastIndexOf(body);
    const order = ['g1-0', 'g1-1', 'g1-2', 'g1-3', 'g1-4', 'g1-5'];
    expect(order.map(lastSeen)).toEqual([...order.map(lastSeen)].sort((a, b) => a - b));
    expect(maxParallel()).toBe(1);
  });

  it('retries only the failed message and the rest of its group, and deletes the other groups of the batch (as the inbound worker reports)', async () => {
    const seen: string[] = [];
    const deadLettered: string[] = [];
    const deadLetters = new LocalQueue('http://q/dlq.fifo', {
      name: 'dlq.fifo',
      fifo: true,
      maxReceives: 1,
      retryDelayMs: 1,
      concurrency: 1,
    });
    const queue = new LocalQueue('http://q/in.fifo', {
      name: 'in.fifo',
      fifo: true,
      maxReceives: 3,
      retryDelayMs: 5,
      concurrency: 1,
      deadLetters,
      onDeliveryFailed: (_q, ids, _e, givingUp) => givingUp && deadLettered.push(...ids),
      consumer: {
        batchSize: 10,
        // As Powertools' FIFO processor with skipGroupOnError: a failure fails the rest of its group only.
        invoke: async (event) => {
          const failedGroups = new Set<string>();
          const failures: { itemIdentifier: string }[] = [];
          for (const r of event.Records) {
            const group = r.attributes.MessageGroupId!;
            if (failedGroups.has(group)) {
              failures.push({ itemIdentifier: r.messageId });
              continue;
            }
            seen.push(r.body);
            if (r.body === 'poison') {
              // On its last try it is dead-lettered whatever happens: what is behind it goes on (the inbound worker's rule).
              if (Number(r.attributes.ApproximateReceiveCount) < 3) failedGroups.add(group);
              failures.push({ itemIdentifier: r.messageId });
            }
          }
          return { batchItemFailures: failures };
        },
      },
    });
    const poison = queue.send({ body: 'poison', groupId: 'bad', deduplicationId: 'p' });
    queue.send({ body: 'g1', groupId: 'g1', deduplicationId: 'a' });
    queue.send({ body: 'behind', groupId: 'bad', deduplicationId: 'b' });
    queue.send({ body: 'g2', groupId: 'g2', deduplicationId: 'c' });

    await new Promise<void>((resolve) => {
      const check = () => (queue.busy() ? setTimeout(check, 5) : resolve());
      check();
    });

    expect(seen.filter((b) => b !== 'poison')).toEqual(['g1', 'g2', 'behind']);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(3);
    expect(deadLettered).toEqual([poison.MessageId]);
    // The poison's own group waited behind it, then went on without it.
    expect(seen.lastIndexOf('behind')).toBeGreaterThan(seen.lastIndexOf('poison'));
    expect(deadLetters.depth().ApproximateNumberOfMessages).toBe(1);
  });

  it('drops a deduplication id seen within five minutes and answers with the first message id', () => {
    const { queue } = fifo();
    const first = queue.send({ body: 'x', groupId: 'g', deduplicationId: 'SM1' });
    const again = queue.send({ body: 'x', groupId: 'g', deduplicationId: 'SM1' });
    expect(again.MessageId).toBe(first.MessageId);
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
  });

  it('refuses a FIFO send without a group id, and a group id on a standard queue', () => {
    const { queue } = fifo();
    const standard = new LocalQueue('http://q/std', { name: 'std', maxReceives: 1, retryDelayMs: 1, concurrency: 1 });
    expect(() => queue.send({ body: 'x', deduplicationId: 'a' })).toThrow(/MessageGroupId/);
    expect(() => standard.send({ body: 'x', groupId: 'g' })).toThrow(/MessageGroupId/);
  });
});

describe('the local queues across a restart (lib/local/queue-journal.ts)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A FIFO queue and its dead letters on the journal in `dir`, as one start of the stack builds them. */
  function start(dir: string, invoke: (event: SQSEvent) => Promise<unknown>) {
    const journal = new QueueJournal(dir, DEDUPLICATION_WINDOW_MS);
    const common = { fifo: true, maxReceives: 2, retryDelayMs: 1, journal, held: true };
    const deadLetters = new LocalQueue('http://q/dlq.fifo', { ...common, name: 'dlq.fifo', concurrency: 1 });
    const queue = new LocalQueue('http://q/in.fifo', {
      ...common,
      name: 'in.fifo',
      concurrency: 1,
      deadLetters,
      consumer: { batchSize: 10, invoke },
    });
    queue.resume();
    return { journal, queue, deadLetters };
  }

  const never = () => new Promise<never>(() => undefined);

  it('delivers after a restart what was accepted and not deleted, counting the interrupted receive, then dead-letters it at maxReceives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-journal-'));
    dirs.push(dir);
    // First run: two messages accepted; the first delivery hangs (the stack is killed under it).
    const first = start(dir, never);
    const a = first.queue.send({ body: 'a', groupId: 'g', deduplicationId: 'SM-a' });
    first.queue.send({ body: 'b', groupId: 'g', deduplicationId: 'SM-b' });
    await first.queue.durable();
    await new Promise((r) => setTimeout(r, 20));
    await first.journal.commit();
    first.queue.stop();

    // Second run, same directory: the batch comes again, received once before; again killed under it.
    const seen: SQSEvent['Records'][] = [];
    const second = start(dir, (event) => {
      seen.push(event.Records);
      return never();
    });
    await new Promise((r) => setTimeout(r, 20));
    await second.journal.commit();
    second.queue.stop();
    const repeat = second.queue.send({ body: 'a', groupId: 'g', deduplicationId: 'SM-a' });

    // Third run: both have had their 2 receives: the dead-letter queue holds them, in order.
    const third = start(dir, never);

    expect(seen.map((records) => records.map((r) => [r.body, r.attributes.ApproximateReceiveCount]))).toEqual([
      [
        ['a', '2'],
        ['b', '2'],
      ],
    ]);
    expect(seen[0]![0]!.messageId).toBe(a.MessageId);
    expect(repeat.MessageId).toBe(a.MessageId);
    expect(third.queue.depth()).toEqual({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0 });
    expect(third.deadLetters.depth().ApproximateNumberOfMessages).toBe(2);
  });

  it('forgets a deleted message, compacting the journal on start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'queue-journal-'));
    dirs.push(dir);
    let delivered!: () => void;
    const done = new Promise<void>((r) => (delivered = r));
    const first = start(dir, async () => delivered());
    first.queue.send({ body: 'ok', groupId: 'g', deduplicationId: 'SM-ok' });
    await done;
    await new Promise((r) => setTimeout(r, 10));
    await first.journal.commit();

    const second = start(dir, never);

    expect(second.queue.depth()).toEqual({ ApproximateNumberOfMessages: 0, ApproximateNumberOfMessagesNotVisible: 0 });
    // Only the deduplication id is left (it still drops a repeat within five minutes).
    const lines = readFileSync(join(dir, 'journal.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).t)).toEqual(['dedup']);
  });
});

describe('the queue declarations (lib/queues.ts)', () => {
  it('give each queue exactly one consumer, and a FIFO queue and its dead letters .fifo names', async () => {
    const { QUEUES, queueConsumer } = await import('../../lib/queues');
    for (const queue of QUEUES) {
      expect(queueConsumer(queue.name).sqs.queue).toBe(queue.name);
      expect(queue.localName.endsWith('.fifo')).toBe(queue.fifo);
      expect(queue.deadLetters.localName.endsWith('.fifo')).toBe(queue.fifo);
    }
  });
});
