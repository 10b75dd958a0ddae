/**
 * The media queue: inbound MMS media to copy into the images bucket, one job per stored message.
 * A standard queue: jobs are independent and the media worker is idempotent (an item already
 * marked is never fetched again), so neither order nor SQS's at-least-once delivery matters, and
 * a slow media host holds back nothing else. The inbound worker enqueues a job after it stored
 * the text, and again whenever a redelivery finds the message's media still pending.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';

/** What the media worker needs: the message, and each pending item's source (Twilio's URL) by its index on the message. */
export const MediaJob = /* @__PURE__ */ droppable(() =>
  z.object({
    conversationId: z.string().check(z.minLength(1)),
    messageId: z.string().check(z.minLength(1)),
    messageSid: z.string().check(z.minLength(1)),
    items: z
      .array(
        // Twilio's URL as it came: one that cannot be fetched makes the item `unavailable`, never a poison job.
        z.object({
          index: z.number().check(z.int(), z.gte(0), z.lte(9)),
          url: z.string().check(z.minLength(1)),
          contentType: z.string(),
        }),
      )
      .check(z.minLength(1), z.maxLength(10)),
  }),
);
export type MediaJob = z.infer<typeof MediaJob>;

export async function enqueueMediaJob(job: MediaJob): Promise<void> {
  await sqs().send(
    new SendMessageCommand({ QueueUrl: loadConfig('mediaQueue').mediaQueue, MessageBody: JSON.stringify(job) }),
  );
}
