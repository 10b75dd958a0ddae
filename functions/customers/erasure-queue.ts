/**
 * The erasure queue: a FIFO queue between `DELETE /customers/{id}` and the erasure worker
 * (./erasure-worker.handler.ts). One message group per customer, so two erasures of one customer
 * never run at once and a failed one is retried before the next; the request time makes a
 * repeated DELETE a new message, so it finishes what an interrupted erasure left.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';

/** Tries before an erasure goes to the dead-letter queue (SQS maxReceiveCount; lib/functions.ts declares it with the queue). */
export const ERASURE_QUEUE_MAX_RECEIVES = 5;

/** An erasure to carry out: the customer, and when it was asked for. */
export const EraseJob = /* @__PURE__ */ droppable(() =>
  z.object({
    erase: z.object({ customerId: z.string().check(z.minLength(1)), requestedAt: z.iso.datetime() }),
  }),
);
export type EraseJob = z.infer<typeof EraseJob>;

/** Queues the customer's erasure, in the customer's own message group. */
export async function enqueueErasure(customerId: string, requestedAt: Date): Promise<void> {
  const job: EraseJob = { erase: { customerId, requestedAt: requestedAt.toISOString() } };
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: loadConfig('erasureQueue').erasureQueue,
      MessageBody: JSON.stringify(job),
      MessageGroupId: `erase#${customerId}`.slice(0, 128),
      MessageDeduplicationId: `erase#${customerId}#${requestedAt.getTime()}`.slice(0, 128),
    }),
  );
}
