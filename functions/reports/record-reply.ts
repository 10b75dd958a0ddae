/** A customer's message: replied on the outreach lists, a reply for the associate who wrote last, and the start of a wait. */
import { markReplied } from '../campaigns/outreach';
import { logger } from '../shared/logger';
import {
  addToAssociateDay,
  countOnceFromFreshRead,
  getConversationState,
  putConversationState,
  type TransactItem,
} from './repository/counters';
import { dayOf } from './rules';

/**
 * Records an inbound message once it is stored; a repeat for the same message counts nothing.
 * 1. Mark the customer replied on the store's enabled lists where they were contacted.
 * 2. In one transaction with the message's marker: when an associate wrote last and the customer
 *    was not already waiting, that associate's day gets a reply received; the wait starts now
 *    (the first unanswered message starts it; the next associate message ends it).
 */
export async function recordInboundReply(input: {
  storeId: string;
  customerId: string;
  conversationId: string;
  messageId: string;
  at: Date;
}): Promise<void> {
  await markReplied({ storeId: input.storeId, customerId: input.customerId, at: input.at });
  const outcome = await countOnceFromFreshRead(`in:${input.messageId}`, input.at, async () => {
    const state = await getConversationState(input.conversationId);
    const writes: TransactItem[] = [
      putConversationState(input.conversationId, state, {
        ...(state.startedBy ? { startedBy: state.startedBy } : {}),
        ...(state.lastOutboundBy ? { lastOutboundBy: state.lastOutboundBy } : {}),
        awaitingSince: state.awaitingSince ?? input.at.toISOString(),
      }),
    ];
    if (state.lastOutboundBy && !state.awaitingSince)
      writes.push(addToAssociateDay(input.storeId, dayOf(input.at), state.lastOutboundBy, { repliesReceived: 1 }));
    return writes;
  });
  if (outcome === 'raced')
    logger.error('reply not counted: the conversation state kept changing', {
      conversationId: input.conversationId,
      messageId: input.messageId,
    });
}
