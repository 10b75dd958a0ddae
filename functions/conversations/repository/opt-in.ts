/** Opt-in changes that come with no message of their own (a carrier 21610, an opt-in request sent). Keys: ./keys.ts. */
import { RETRY, transactIfUnchanged, withContentionRetry } from '../../shared/dynamo/conditions';
import type { Conversation, OptInChange } from '../model';
import { nextOptInState, type ConsentSource, type OptInEvent, type OptInState } from '../rules';
import { getConversation } from './conversations';
import { ledgerPut } from './consent';
import { convKey } from './keys';
import { tableName } from '../../shared/dynamo/table';

/**
 * Applies an opt-in event under a condition on the state it was computed from, and appends the
 * change (time, source) to the customer's consent ledger in the same transaction. A repeated
 * opt-in request (one a day at most) is on the ledger too, though the state stays REQUESTED.
 * Returns the state after the event.
 */
export async function changeOptIn(
  conversation: Conversation,
  event: OptInEvent,
  meta: { source: ConsentSource; at: Date; messageSid?: string; userId?: string },
): Promise<OptInState> {
  let current = conversation;
  return withContentionRetry<OptInState>(async (attempt) => {
    if (attempt > 0) current = (await getConversation(conversation.conversationId)) ?? current;
    const repeatedRequest = event.type === 'opt-in-request-sent' && current.optIn === 'REQUESTED';
    const next = nextOptInState(current.optIn, event) ?? (repeatedRequest ? current.optIn : undefined);
    if (!next) return current.optIn;
    const change: OptInChange = {
      from: current.optIn,
      to: next,
      source: meta.source,
      at: meta.at.toISOString(),
      ...(meta.messageSid ? { messageSid: meta.messageSid } : {}),
      ...(meta.userId ? { userId: meta.userId } : {}),
    };
    const written = await transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: convKey(current.conversationId),
          UpdateExpression: 'SET optIn = :to, optInChangedAt = :at',
          ConditionExpression: 'optIn = :from',
          ExpressionAttributeValues: { ':to': next, ':from': current.optIn, ':at': change.at },
        },
      },
      ledgerPut(current, change),
    ]);
    return written ? next : RETRY;
  });
}
