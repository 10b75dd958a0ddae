/** Opt-in changes that come with no message of their own (a carrier 21610, an opt-in request sent), and a window the carrier closed. Keys: ./keys.ts. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { RETRY, transactIfUnchanged, withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import { channelOf, type Channel, type ChannelName } from '../channels';
import type { Conversation, OptInChange } from '../model';
import { optInCondition } from '../record-rules';
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
  meta: { source: ConsentSource; at: Date; messageSid?: string; userId?: string; channel?: ChannelName },
): Promise<OptInState> {
  const channel = channelOf(meta.channel ?? 'sms');
  const attribute = channel.attributes.optIn;
  let current = conversation;
  return withContentionRetry<OptInState>(async (attempt) => {
    if (attempt > 0) current = (await getConversation(conversation.conversationId)) ?? current;
    const from = channel.optInOf(current);
    const repeatedRequest = event.type === 'opt-in-request-sent' && from === 'REQUESTED';
    const next = nextOptInState(from, event) ?? (repeatedRequest ? from : undefined);
    if (!next) return from;
    const change: OptInChange = {
      from,
      to: next,
      source: meta.source,
      at: meta.at.toISOString(),
      channel: channel.name,
      ...(meta.messageSid ? { messageSid: meta.messageSid } : {}),
      ...(meta.userId ? { userId: meta.userId } : {}),
    };
    const written = await transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: convKey(current.conversationId),
          UpdateExpression: `SET ${attribute} = :to, optInChangedAt = :at`,
          ConditionExpression: optInCondition(attribute, from),
          ExpressionAttributeValues: { ':to': next, ':from': from, ':at': change.at },
        },
      },
      ledgerPut(current, change),
    ]);
    return written ? next : RETRY;
  });
}

/**
 * The carrier says the channel's window is closed (WhatsApp 63016): the conversation's window
 * ends now unless a newer customer message has moved it on meanwhile (a condition, so it never
 * closes a window the customer just opened).
 */
export async function closeWindow(conversationId: string, channel: Channel, now: Date): Promise<void> {
  const attribute = channel.attributes.windowExpiresAt;
  if (!attribute) return;
  await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(conversationId),
        UpdateExpression: `SET ${attribute} = :now`,
        ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(${attribute}) OR ${attribute} > :now)`,
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    ),
  );
}

/** WhatsApp text held until the customer reopens the window: its id on the conversation (a string set), so their answer finds it. */
export async function noteHeld(conversationId: string, messageId: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: convKey(conversationId),
      UpdateExpression: 'ADD waHeldIds :id',
      ExpressionAttributeValues: { ':id': new Set([messageId]) },
    }),
  );
}

/** The held ids released (or settled otherwise): off the conversation. */
export async function forgetHeld(conversationId: string, messageIds: readonly string[]): Promise<void> {
  if (messageIds.length === 0) return;
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: convKey(conversationId),
      UpdateExpression: 'DELETE waHeldIds :ids',
      ExpressionAttributeValues: { ':ids': new Set(messageIds) },
    }),
  );
}
