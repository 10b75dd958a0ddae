/**
 * The attribution queue: one job per message handed to the carrier by an associate, or received
 * from a customer. The attribution worker applies it (docs/reports.md, "Events and what each
 * adds"), off the message path: the sender and the inbound worker only queue it, so their request
 * budgets hold whatever campaigns ran, and a report outage never delays a message. Each touch
 * counts once however often its job is delivered (its marker, repository/counters.ts).
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { sqs } from '../shared/clients';
import { loadConfig } from '../shared/config';

const Touch = /* @__PURE__ */ droppable(() =>
  z.object({
    storeId: z.string().check(z.minLength(1)),
    customerId: z.string().check(z.minLength(1)),
    conversationId: z.string().check(z.minLength(1)),
    messageId: z.string().check(z.minLength(1)),
    at: z.iso.datetime(),
  }),
);

export const AttributionJob = /* @__PURE__ */ droppable(() =>
  z.discriminatedUnion('touch', [
    z.extend(Touch, { touch: z.literal('outbound'), sentBy: z.string(), actingUserId: z.string() }),
    z.extend(Touch, { touch: z.literal('reply') }),
  ]),
);
export type AttributionJob = z.infer<typeof AttributionJob>;

export async function enqueueAttribution(job: AttributionJob): Promise<void> {
  await sqs().send(
    new SendMessageCommand({
      QueueUrl: loadConfig('attributionQueue').attributionQueue,
      MessageBody: JSON.stringify(job),
    }),
  );
}
