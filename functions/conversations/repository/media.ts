/**
 * The media items of a stored message: an inbound item is stored `pending` with its text and
 * marked once by the media worker, `available` or `unavailable` with the reason. Keys: ./keys.ts.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { MessageRef } from '../model';
import { messageKey } from './keys';
import { getMessage } from './messages';
import { tableName } from '../../shared/dynamo/table';

export type MediaOutcome = { status: 'available'; contentType: string } | { status: 'unavailable'; reason: string };

/**
 * Marks item `index` of the message, only while it is `pending`: a second copy of the same job
 * (SQS delivers at least once) changes nothing. Answers `marked`, `already-marked` (another run
 * got there first) or `message-gone` (erased meanwhile: the caller removes what it copied).
 */
export async function markMediaItem(
  ref: MessageRef,
  index: number,
  outcome: MediaOutcome,
): Promise<'marked' | 'already-marked' | 'message-gone'> {
  const item = `media[${index}]`;
  const sets =
    outcome.status === 'available'
      ? [`${item}.#status = :status`, `${item}.contentType = :contentType`]
      : [`${item}.#status = :status`, `${item}.unavailable = :true`, `${item}.reason = :reason`];
  const marked = await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: `attribute_exists(pk) AND ${item}.#status = :pending`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':pending': 'pending',
          ...(outcome.status === 'available'
            ? { ':contentType': outcome.contentType }
            : { ':true': true, ':reason': outcome.reason }),
        },
      }),
    ),
  );
  if (marked) return 'marked';
  return (await getMessage(ref.conversationId, ref.messageId)) ? 'already-marked' : 'message-gone';
}
