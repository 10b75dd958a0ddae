/** Moving conversations between the active and archived views, and the sweep that archives inactive ones. Keys: ./keys.ts. */
import { duePages } from '../../shared/dynamo/due-sweep';
import { transactIfUnchanged } from '../../shared/dynamo/conditions';
import type { Conversation } from '../model';
import { ACTIVITY_SHARDS, activityShard, archiveCutoff } from '../rules';
import { getConversation } from './conversations';
import {
  activityPk,
  activitySk,
  assigneeInboxPk,
  bucketOf,
  convKey,
  storeInboxPk,
  storeTotalKey,
  type Bucket,
} from './keys';
import { listReaders, moveReader } from './readers';
import { addTo, tableName } from './table';

/**
 * Moves a conversation between the active and archived views. First the conversation and the
 * store's inbound sums, in one transaction that holds only if no message arrived meanwhile; then
 * each reader's marker and read sum, one small transaction per reader (moveReader). A crash between
 * the two leaves some markers in the old view: markRead and the next move bring them along.
 * Returns false when the conversation changed meanwhile.
 */
export async function moveBucket(conversation: Conversation, to: Bucket): Promise<boolean> {
  const from = bucketOf(conversation.archived);
  const id = conversation.conversationId;
  if (from !== to) {
    const n = conversation.inboundCount;
    const sortKey = activitySk(conversation.lastActivityAt, id);
    const mine = conversation.assignee ? ', gsi2pk = :g2pk' : '';
    const moved = await transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: convKey(id),
          // The My Inbox entry (gsi2) moves to the assignee's view of the same name (./assignment.ts).
          UpdateExpression:
            to === 'ARCHIVED'
              ? `SET archived = :archived, gsi1pk = :g1pk${mine} REMOVE gsi3pk, gsi3sk`
              : `SET archived = :archived, gsi1pk = :g1pk${mine}, gsi3pk = :g3pk, gsi3sk = :g3sk`,
          ConditionExpression: `archived = :was AND inboundCount = :n AND lastActivityAt = :at AND ${
            conversation.assignee ? 'assignee = :assignee' : 'attribute_not_exists(assignee)'
          }`,
          ExpressionAttributeValues: {
            ...(conversation.assignee
              ? {
                  ':assignee': conversation.assignee,
                  ':g2pk': assigneeInboxPk(conversation.storeId, conversation.assignee, to),
                }
              : {}),
            ':archived': to === 'ARCHIVED',
            ':was': from === 'ARCHIVED',
            ':n': n,
            ':at': conversation.lastActivityAt,
            ':g1pk': storeInboxPk(conversation.storeId, to),
            ...(to === 'ACTIVE' ? { ':g3pk': activityPk(activityShard(id)), ':g3sk': sortKey } : {}),
          },
        },
      },
      addTo(storeTotalKey(conversation.storeId, from, activityShard(id)), { inbound: -n }),
      addTo(storeTotalKey(conversation.storeId, to, activityShard(id)), { inbound: n }),
    ]);
    if (!moved) return false;
  }
  const moved = { ...conversation, archived: to === 'ARCHIVED' };
  for (const reader of await listReaders(id)) {
    if (reader.bucket !== to) await moveReader(moved, reader, to);
  }
  return true;
}

/**
 * Archives every conversation whose last activity is before the 4-month cutoff. Reads only the
 * due entries of the last-activity index (one query per shard, oldest first, stopping at the
 * cutoff) and re-checks each conversation before moving it.
 */
export async function archiveInactive(now: Date): Promise<{ archived: number; skipped: number }> {
  const cutoff = archiveCutoff(now).toISOString();
  let archived = 0;
  let skipped = 0;
  const due = duePages({
    index: 'gsi3',
    shards: ACTIVITY_SHARDS,
    shardKey: activityPk,
    sortKeyCondition: 'gsi3sk < :cutoff',
    values: { ':cutoff': cutoff },
  });
  for await (const items of due) {
    for (const item of items) {
      const conversation = await getConversation(item.conversationId as string);
      if (!conversation || conversation.archived || conversation.lastActivityAt >= cutoff) {
        skipped++;
        continue;
      }
      if (await moveBucket(conversation, 'ARCHIVED')) archived++;
      else skipped++;
    }
  }
  return { archived, skipped };
}
