/**
 * A message after it is stored: the claim taken right before the hand-over to the carrier, the
 * SID the carrier gives it, and delivery status callbacks (never backwards), followed on the
 * conversation's `lastMessage`. Keys: ./keys.ts.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { isConditionFailure, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { MessageRef } from '../model';
import { statusRank, type MessageStatus } from '../delivery-rules';
import { convKey, messageKey, sidKey } from './keys';
import { getMessage } from './messages';
import { tableName } from './table';

/**
 * Claims the one hand-over of a recorded message to the carrier, taken right before the call:
 * a message nobody claimed yet (a crash before the call) or one whose last try failed in a way
 * worth retrying. A message claimed and never confirmed may have gone out (the process died
 * during the call): it is never claimed again, so nothing is sent twice.
 */
export async function claimSend(ref: MessageRef, now: Date): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET sendClaimedAt = :now, #status = :queued, statusRank = :rank REMOVE retriable, errorCode',
        // A canceled scheduled message is never sent; a claimed one can no longer be canceled.
        ConditionExpression:
          'attribute_exists(pk) AND #status <> :canceled AND (attribute_not_exists(sendClaimedAt) OR retriable = :true)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ':queued': 'queued',
          ':rank': statusRank('queued'),
          ':true': true,
          ':canceled': 'canceled',
        },
      }),
    ),
  );
}

/** The carrier took the message: its SID is kept (status callbacks may have come first and moved the status on already). */
export async function recordHandedOver(ref: MessageRef, sid: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: messageKey(ref.conversationId, ref.messageId),
      UpdateExpression: 'SET twilioSid = :sid',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sid': sid },
    }),
  );
  await writeIfUnchanged(() =>
    documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...sidKey(sid), ...ref, type: 'twilioSid' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  );
}

/**
 * A new delivery status for a message: from a status callback, or `failed` when the carrier
 * refused it. Only a higher status rank is written, so late or repeated callbacks never move a
 * message backwards; a failure worth retrying (`retriable`) gives way to any later news. The
 * conversation's `lastMessage` follows when it is this message. Answers whether anything changed.
 */
export async function updateDeliveryStatus(
  ref: MessageRef,
  update: { status: MessageStatus; errorCode?: string; twilioSid?: string; retriable?: boolean },
): Promise<'updated' | 'unchanged' | 'unknown'> {
  const rank = statusRank(update.status);
  const sets = ['#status = :status', 'statusRank = :rank'];
  const values: Record<string, unknown> = {
    ':status': update.status,
    ':rank': rank,
    ':outbound': 'outbound',
    ':true': true,
  };
  if (update.errorCode) {
    sets.push('errorCode = :code');
    values[':code'] = update.errorCode;
  }
  if (update.twilioSid) {
    sets.push('twilioSid = if_not_exists(twilioSid, :sid)');
    values[':sid'] = update.twilioSid;
  }
  if (update.retriable) sets.push('retriable = :true');
  const removes = [
    update.errorCode ? '' : 'errorCode',
    update.retriable ? '' : 'retriable',
    update.retriable ? 'sendClaimedAt' : '',
  ].filter(Boolean);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression:
          'attribute_exists(pk) AND direction = :outbound AND (attribute_not_exists(statusRank) OR statusRank < :rank OR retriable = :true)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await getMessage(ref.conversationId, ref.messageId)) ? 'unchanged' : 'unknown';
  }
  await followOnInbox(ref, update.status, rank, update.errorCode);
  return 'updated';
}

/** The inbox item shows the newest message's delivery state: updated only when it is this message, never backwards. */
export async function followOnInbox(
  ref: MessageRef,
  status: MessageStatus,
  rank: number,
  errorCode: string | undefined,
): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(ref.conversationId),
        UpdateExpression: `SET lastMessage.#status = :status, lastMessage.statusRank = :rank${errorCode ? ', lastMessage.errorCode = :code' : ' REMOVE lastMessage.errorCode'}`,
        ConditionExpression:
          'lastMessage.messageId = :mid AND (attribute_not_exists(lastMessage.statusRank) OR lastMessage.statusRank < :rank OR lastMessage.#status = :failed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':rank': rank,
          ':mid': ref.messageId,
          ':failed': 'failed',
          ...(errorCode ? { ':code': errorCode } : {}),
        },
      }),
    ),
  );
}
