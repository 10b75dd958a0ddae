/**
 * A message's delivery status after it is stored: status callbacks and the sender's failures
 * (never backwards), followed on the conversation's `lastMessage`. The hand-over itself (claim,
 * SID, retries): ./sending.ts. Keys: ./keys.ts.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { isConditionFailure, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { MessageRef } from '../model';
import { statusRank, type MessageStatus } from '../delivery-rules';
import { convKey, messageKey } from './keys';
import { getMessage } from './messages';
import { tableName } from '../../shared/dynamo/table';

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
