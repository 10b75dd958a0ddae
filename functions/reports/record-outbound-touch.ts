/** An associate's message to a customer: contact on the outreach lists, the last touch, and the associate's counters. */
import { markContacted } from '../campaigns/outreach';
import { logger } from '../shared/logger';
import {
  addToAssociateDay,
  countOnceFromFreshRead,
  getConversationState,
  putConversationState,
  putLastTouch,
  type TransactItem,
} from './repository/counters';
import { dayOf, isAssociateSend, sketchAttribute, sketchBucket } from './rules';

/**
 * Records a message an associate handed to the carrier: the attribution worker's job, queued once
 * the hand-over is on record (./attribution-queue.ts); a repeat for the same message counts
 * nothing, so a failure is thrown for the queue to try again.
 * 1. Mark the customer contacted (by the sender, now) on the store's enabled lists that have them.
 * 2. In one transaction with the message's marker: the associate's day gets a message sent, a
 *    conversation started when nobody wrote in it before, and the wait of a customer who was
 *    waiting as a first-response sample; the conversation's state moves on; the newest of those
 *    campaigns becomes the customer's last touch at the store.
 */
export async function recordOutboundTouch(input: OutboundTouch): Promise<void> {
  if (!isAssociateSend(input.sentBy, input.actingUserId)) return;
  await countTouch(input);
}

interface OutboundTouch {
  storeId: string;
  customerId: string;
  conversationId: string;
  messageId: string;
  sentBy: string;
  actingUserId: string;
  at: Date;
}

async function countTouch(input: OutboundTouch): Promise<void> {
  const campaignIds = await markContacted({
    storeId: input.storeId,
    customerId: input.customerId,
    at: input.at,
    userId: input.sentBy,
  });
  const outcome = await countOnceFromFreshRead(`out:${input.messageId}`, input.at, async (cancelled) => {
    // A later touch already stands: count the message without moving the touch back.
    if (cancelled === 2) campaignIds.length = 0;
    const state = await getConversationState(input.conversationId);
    const adds: Record<string, number> = { messagesSent: 1 };
    if (!state.startedBy) adds.conversationsStarted = 1;
    if (state.awaitingSince)
      adds[sketchAttribute(sketchBucket((input.at.getTime() - Date.parse(state.awaitingSince)) / 1000))] = 1;
    const writes: TransactItem[] = [
      putConversationState(input.conversationId, state, {
        startedBy: state.startedBy ?? input.sentBy,
        lastOutboundBy: input.sentBy,
      }),
      addToAssociateDay(input.storeId, dayOf(input.at), input.sentBy, adds),
    ];
    const campaignId = campaignIds[0];
    if (campaignId)
      writes.push(
        putLastTouch(input.storeId, input.customerId, { campaignId, at: input.at.toISOString(), userId: input.sentBy }),
      );
    return writes;
  });
  if (outcome === 'raced')
    logger.error('outbound touch not counted: the conversation state kept changing', {
      conversationId: input.conversationId,
      messageId: input.messageId,
    });
}
