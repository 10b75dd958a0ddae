/**
 * Moving conversations between the active and archived views, and the sweep that archives inactive
 * ones (docs/delivery-guarantees.md, "Unread counts"). Keys: ./keys.ts.
 */
import { ARCHIVER } from '../sweeps';
import { transactIfUnchanged, RETRY, withContentionRetry } from '../../shared/dynamo/conditions';
import { workDue } from '../../shared/dynamo/due-sweep';
import { forEachConcurrently } from '../../shared/concurrency';
import { logger } from '../../shared/logger';
import type { Conversation } from '../model';
import { ACTIVITY_SHARDS, activityShard, archiveCutoff } from '../rules';
import { getConversation } from './conversations';
import {
  activityPk,
  activitySk,
  assigneeInboxPk,
  waitingInboxPk,
  bucketOf,
  convKey,
  storeInboxPk,
  storeTotalKey,
  type Bucket,
} from './keys';
import { listReaders, moveReader } from './readers';
import { addTo } from './table';
import { tableName } from '../../shared/dynamo/table';

/**
 * Moves a conversation between the active and archived views: the conversation and the store's
 * inbound sums, in one transaction that holds only if no message arrived meanwhile. Nothing per
 * reader: the readers' markers follow the move afterwards (bringReadersAlong, from the table
 * stream), so a move costs the same whatever the conversation's readers. Returns false when the
 * conversation changed meanwhile.
 */
export async function moveBucket(conversation: Conversation, to: Bucket): Promise<boolean> {
  const from = bucketOf(conversation.archived);
  const id = conversation.conversationId;
  if (from === to) return true;
  const n = conversation.inboundCount;
  const sortKey = activitySk(conversation.lastActivityAt, id);
  // The gsi2 entry (My Inbox, or the unassigned queue while a customer waits) moves to the view of the same name.
  const entryPk = conversation.assignee
    ? assigneeInboxPk(conversation.storeId, conversation.assignee, to)
    : conversation.waitingSince
      ? waitingInboxPk(conversation.storeId, to)
      : undefined;
  const mine = entryPk ? ', gsi2pk = :g2pk' : '';
  return transactIfUnchanged([
    {
      Update: {
        TableName: tableName(),
        Key: convKey(id),
        UpdateExpression:
          to === 'ARCHIVED'
            ? `SET archived = :archived, gsi1pk = :g1pk${mine} REMOVE gsi3pk, gsi3sk`
            : `SET archived = :archived, gsi1pk = :g1pk${mine}, gsi3pk = :g3pk, gsi3sk = :g3sk`,
        ConditionExpression: `archived = :was AND inboundCount = :n AND lastActivityAt = :at AND ${
          conversation.assignee ? 'assignee = :assignee' : 'attribute_not_exists(assignee)'
        } AND ${conversation.waitingSince ? 'waitingSince = :waiting' : 'attribute_not_exists(waitingSince)'}`,
        ExpressionAttributeValues: {
          ...(conversation.assignee ? { ':assignee': conversation.assignee } : {}),
          ...(conversation.waitingSince ? { ':waiting': conversation.waitingSince } : {}),
          ...(entryPk ? { ':g2pk': entryPk } : {}),
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
}

/**
 * Brings every reader's marker (and its read sum) into the conversation's current view: the
 * follow-up of a move, run by the table stream's consumer for each conversation whose `archived`
 * changed (../carry-readers.ts). One small transaction per reader still in the other view, each
 * conditional on the conversation's view and the marker, so running it twice, late, or racing
 * markRead (which moves its own marker first) moves each marker once. Answers the markers moved.
 */
export async function bringReadersAlong(conversationId: string): Promise<number> {
  let moved = 0;
  await withContentionRetry(async () => {
    const conversation = await getConversation(conversationId);
    if (!conversation) return undefined;
    const to = bucketOf(conversation.archived);
    let lost = false;
    for (const reader of await listReaders(conversationId)) {
      if (reader.bucket === to) continue;
      if (await moveReader(conversation, reader, to)) moved++;
      else lost = true;
    }
    // A marker or the conversation changed meanwhile: read both again.
    return lost ? RETRY : undefined;
  });
  return moved;
}

export interface ArchiveSummary {
  archived: number;
  skipped: number;
  /** Due conversations read but left for the next run (the deadline came): a lower bound. */
  leftover: number;
}

/**
 * Archives one due conversation, if it is still inactive at `cutoff`: a consistent read and one
 * transaction (2 DynamoDB requests, whatever its readers or messages).
 */
export async function archiveIfInactive(conversationId: string, cutoff: string): Promise<'archived' | 'skipped'> {
  const conversation = await getConversation(conversationId);
  if (!conversation || conversation.archived || conversation.lastActivityAt >= cutoff) return 'skipped';
  return (await moveBucket(conversation, 'ARCHIVED')) ? 'archived' : 'skipped';
}

/**
 * Archives every conversation whose last activity is before the 4-month cutoff, until `deadline`
 * (epoch ms). Reads only the due entries of the last-activity index, its shards at once
 * (workDue), and re-checks each conversation before moving it; a run stopped by its deadline
 * has finished every conversation it started, and the next run goes on.
 */
export async function archiveInactive(
  now: Date,
  deadline: number,
  pageSize: number = ARCHIVER.pageSize,
): Promise<ArchiveSummary> {
  const cutoff = archiveCutoff(now).toISOString();
  const summary: ArchiveSummary = { archived: 0, skipped: 0, leftover: 0 };
  const { leftover } = await workDue(
    {
      index: 'gsi3',
      shards: ACTIVITY_SHARDS,
      shardKey: activityPk,
      sortKeyCondition: 'gsi3sk < :cutoff',
      values: { ':cutoff': cutoff },
      projection: 'conversationId',
      pageSize,
    },
    { deadline, shardConcurrency: ARCHIVER.shardConcurrency },
    (page) =>
      forEachConcurrently(page, ARCHIVER.itemConcurrency, async (item) => {
        try {
          summary[await archiveIfInactive(item.conversationId as string, cutoff)]++;
        } catch (error) {
          // One conversation's trouble must not stop the others: it stays due for the next run.
          logger.error('conversation not archived; looked at again on the next run', {
            conversationId: item.conversationId,
            error: error as Error,
          });
          summary.leftover++;
        }
      }),
  );
  summary.leftover += leftover;
  return summary;
}
