/** Opt-in changes that come with no message of their own (a carrier 21610), and the history of every change. Keys: ./keys.ts. */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { RETRY, transactIfUnchanged, withContentionRetry } from '../../shared/dynamo/conditions';
import type { Conversation } from '../model';
import { nextOptInState, type OptInEvent, type OptInState } from '../rules';
import { getConversation, tableName } from './conversations';
import { convKey, OPTIN_PREFIX, optInKey } from './keys';
import type { OptInChange } from './messages';

/**
 * Applies an opt-in event under a condition on the state it was computed from, and appends the
 * change (time, source) to the conversation's history. Returns the state after the event.
 */
export async function changeOptIn(conversation: Conversation, event: OptInEvent, meta: { source: string; at: Date; messageSid?: string; userId?: string }): Promise<OptInState> {
  let current = conversation;
  return withContentionRetry<OptInState>(async (attempt) => {
    if (attempt > 0) current = (await getConversation(conversation.conversationId)) ?? current;
    const next = nextOptInState(current.optIn, event);
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
      { Put: { TableName: tableName(), Item: { ...optInKey(current.conversationId, change.at, randomUUID()), ...change, conversationId: current.conversationId, type: 'optInChange' } } },
    ]);
    return written ? next : RETRY;
  });
}

export async function optInHistory(conversationId: string): Promise<OptInChange[]> {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': convKey(conversationId).pk, ':prefix': OPTIN_PREFIX },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map(
    (i) =>
      ({
        from: i.from,
        to: i.to,
        source: i.source,
        at: i.at,
        ...(i.messageSid ? { messageSid: i.messageSid } : {}),
        ...(i.userId ? { userId: i.userId } : {}),
        ...(i.keyword ? { keyword: i.keyword } : {}),
      }) as OptInChange,
  );
}
