/**
 * The sender queues: what the API (and every other sender) hands the sender worker once a
 * message is recorded `queued`. Two standard queues, one per priority (sending-rules.ts): an
 * associate's reply never waits behind a morning's release. A job names the message and its
 * sending number (for pacing before anything is read); the text and the recipient stay on the
 * message item. Delivering a job twice is harmless: the worker's claim lets one through.
 */
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';
import type { SendPriority } from './sending-rules';

export const SenderJob = /* @__PURE__ */ droppable(() =>
  z.object({
    conversationId: z.string().check(z.minLength(1)),
    messageId: z.string().check(z.minLength(1)),
    /** The store's number: the pace is per sending number. */
    from: z.string().check(z.minLength(1)),
    priority: z.enum(['interactive', 'bulk']),
    /** Tries made so far (a retry after throttling is a new job with attempt + 1). */
    attempt: z.number().check(z.int(), z.gte(0)),
    /** When the first try was made: retries stop 15 minutes after it. */
    firstAttemptAt: z.optional(z.iso.datetime()),
  }),
);
export type SenderJob = z.infer<typeof SenderJob>;

const queueUrlOf = (priority: SendPriority): string =>
  priority === 'bulk' ? loadConfig('bulkSenderQueue').bulkSenderQueue : loadConfig('senderQueue').senderQueue;

/** Puts one job on its priority's queue, visible after `delaySeconds` (SQS allows up to 900). */
export async function enqueueSend(job: SenderJob, delaySeconds = 0): Promise<void> {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: queueUrlOf(job.priority),
      MessageBody: JSON.stringify(job),
      ...(delaySeconds > 0 ? { DelaySeconds: Math.min(900, Math.ceil(delaySeconds)) } : {}),
    }),
  );
}

/** Jobs of one priority, ten to a request; answers the jobs SQS did not take (the outbox sweep tries them again). */
export async function enqueueSends(jobs: readonly SenderJob[]): Promise<SenderJob[]> {
  const refused: SenderJob[] = [];
  for (let start = 0; start < jobs.length; start += 10) {
    const slice = jobs.slice(start, start + 10);
    const byPriority = new Map<SendPriority, SenderJob[]>();
    for (const job of slice) byPriority.set(job.priority, [...(byPriority.get(job.priority) ?? []), job]);
    for (const [priority, group] of byPriority) {
      const out = await sqs().send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrlOf(priority),
          Entries: group.map((job, index) => ({ Id: String(index), MessageBody: JSON.stringify(job) })),
        }),
      );
      for (const failed of out.Failed ?? []) refused.push(group[Number(failed.Id)]!);
    }
  }
  return refused;
}
