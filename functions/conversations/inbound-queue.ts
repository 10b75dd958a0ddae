/**
 * The inbound queue: a FIFO queue between Twilio's webhook and the worker that applies messages.
 * Its message group is the store and the sender, so one customer's messages to one store (one
 * conversation) are applied one at a time and in order, while other conversations go in parallel.
 * The MessageSid is the deduplication id: Twilio's redeliveries within SQS's five-minute window
 * are dropped by SQS, later ones by the worker (the SID is stored once).
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';

/** Tries before a message goes to the dead-letter queue (SQS maxReceiveCount; lib/functions.ts declares it with the queue). */
export const INBOUND_QUEUE_MAX_RECEIVES = 5;

/** What the webhook hands the worker: Twilio's form fields as received, and where and when it arrived. */
export const InboundJob = /* @__PURE__ */ droppable(() =>
  z.object({
    storeId: z.string().check(z.minLength(1)),
    receivedAt: z.iso.datetime(),
    form: z.record(z.string(), z.string()),
  }),
);
export type InboundJob = z.infer<typeof InboundJob>;

/** One conversation's group: SQS allows 128 characters of letters, digits and punctuation. */
export const inboundGroupOf = (storeId: string, from: string): string => `${storeId}#${from}`.slice(0, 128);

export async function enqueueInbound(job: InboundJob, messageSid: string, from: string): Promise<void> {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: loadConfig('inboundQueue').inboundQueue,
      MessageBody: JSON.stringify(job),
      MessageGroupId: inboundGroupOf(job.storeId, from),
      MessageDeduplicationId: messageSid.slice(0, 128),
    }),
  );
}
