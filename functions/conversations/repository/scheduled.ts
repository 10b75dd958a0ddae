/** Scheduled messages: the due index a release reads, and canceling a message still waiting. Keys: ./keys.ts. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { isConditionFailure } from '../../shared/dynamo/conditions';
import { RELEASE } from '../sweeps';
import { type DueWork, workDue } from '../../shared/dynamo/due-sweep';
import type { DueMessage, MessageRef } from '../model';
import { DUE_SHARDS, type SendKind } from '../rules';
import { statusRank } from '../delivery-rules';
import { channelOfRecorded } from '../channels';
import { releaseOptInRequest } from './consent';
import { followOnInbox } from './delivery';
import { duePk, messageKey } from './keys';
import { getMessage } from './messages';
import { tableName, type Item } from '../../shared/dynamo/table';

/**
 * Works every message due at or before `now` (a scheduled message's time, or a queued message's
 * outbox time): reads only the due slice of each shard, the shards at once, a page at a time,
 * no page after `work.deadline` (workDue). Answers the due messages left for the next run.
 */
export async function workDueMessages(
  now: Date,
  work: DueWork,
  handlePage: (page: DueMessage[]) => Promise<void>,
  pageSize: number = RELEASE.pageSize,
): Promise<{ leftover: number }> {
  return workDue(
    {
      index: 'gsi3',
      shards: DUE_SHARDS,
      shardKey: duePk,
      sortKeyCondition: 'gsi3sk <= :bound',
      values: { ':bound': `${now.toISOString()}#\uffff` },
      pageSize,
    },
    work,
    (items) =>
      handlePage(
        items.map((i) => ({
          conversationId: i.conversationId as string,
          messageId: i.messageId as string,
          sendKind: (i.sendKind as SendKind | undefined) ?? 'message',
        })),
      ),
  );
}

/**
 * Cancels a message that is still `scheduled` (not yet claimed for sending): `canceled`, out of
 * the due index (again: `canceled`). `sent` when it was released first (nothing can be taken
 * back), `unknown` when there is no such message.
 */
export async function cancelScheduled(ref: MessageRef): Promise<'canceled' | 'sent' | 'unknown'> {
  const rank = statusRank('canceled');
  let canceled: Item | undefined;
  try {
    ({ Attributes: canceled } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET #status = :canceled, statusRank = :rank REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk) AND #status = :scheduled AND attribute_not_exists(sendClaimedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':canceled': 'canceled', ':scheduled': 'scheduled', ':rank': rank },
        ReturnValues: 'ALL_NEW',
      }),
    ));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const message = await getMessage(ref.conversationId, ref.messageId);
    // Canceling twice is the same cancel; anything else means it was released first.
    return !message ? 'unknown' : message.status === 'canceled' ? 'canceled' : 'sent';
  }
  await followOnInbox(ref, 'canceled', rank, undefined);
  // A canceled opt-in request was never sent: the conversation's one request of the day is free again.
  if (canceled?.sendKind === 'opt-in-request')
    await releaseOptInRequest(
      ref.conversationId,
      new Date(canceled.createdAt as string),
      channelOfRecorded(canceled.carrierTo as string).attributes.optInRequestedAt,
    );
  return 'canceled';
}
