/**
 * Deleting a campaign: the tombstone and the list items at once, then everything else in the
 * background (outreach entries and the campaign in its customers' open-outreach items,
 * rejections, chunk markers and counters). Keys: ./keys.ts.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPages } from '../../shared/dynamo/batches';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { NotFoundError } from '../../shared/errors';
import type { Campaign } from '../model';
import { OUTREACH_SHARDS } from '../rules';
import { batchWrite } from './campaigns';
import { importTotals } from './imports';
import { LIST_PREFIX, campaignKey, campaignPk, chunksPk, importShards, outreachPk, rejectionsPk } from './keys';
import { removeFromOpenOutreach } from './open-outreach';
import { epochSeconds, tableName, TTL_ATTRIBUTE } from '../../shared/dynamo/table';

/** How long a deleted campaign's tombstone stays (it answers 404 and stops late chunks). */
const TOMBSTONE_SECONDS = 30 * 24 * 3600;

/**
 * Deletes a campaign for its readers at once: the campaign becomes a tombstone (out of the
 * listing, 404 by id) and its per-store list items go, so no store sees its lists any more. The
 * outreach entries, rejections and chunk markers are left for `purgeCampaign` in the background.
 */
export async function markDeleted(campaignId: string, now: Date): Promise<void> {
  const marked = await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET deletedAt = :at, enabled = :false, #ttl = :ttl REMOVE gsi1pk, gsi1sk, gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
        ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':at': now.toISOString(),
          ':false': false,
          ':ttl': epochSeconds(now) + TOMBSTONE_SECONDS,
        },
      }),
    ),
  );
  if (!marked) throw new NotFoundError(`No campaign ${campaignId}.`);
  await deletePartition({ pk: campaignPk(campaignId), prefix: LIST_PREFIX }, Number.POSITIVE_INFINITY);
}

/**
 * Deletes a partition's items (those whose sort key starts with `prefix`), each page after
 * `before` ran on it; false when the deadline came first.
 */
async function deletePartition(
  where: { pk: string; prefix?: string },
  deadline: number,
  before?: (items: Array<Record<string, unknown>>) => Promise<void>,
): Promise<boolean> {
  const pages = queryPages({
    TableName: tableName(),
    KeyConditionExpression: where.prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': where.pk, ...(where.prefix ? { ':prefix': where.prefix } : {}) },
    ProjectionExpression: 'pk, sk',
  });
  for await (const items of pages) {
    await before?.(items);
    await batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
    if (Date.now() > deadline) return false;
  }
  return true;
}

/**
 * The background half of a delete: every outreach entry (its customer's open-outreach item loses
 * the campaign first, so that item never names a campaign without its entry), rejection and
 * chunk marker. Returns
 * false when `deadline` (epoch ms) came first; the caller queues the rest. The tombstone stays
 * until its TTL, so a late chunk of a deleted campaign is recognised and dropped.
 */
export async function purgeCampaign(campaign: Campaign, deadline: number): Promise<boolean> {
  // A campaign that never finished has its stores only in the chunk counters.
  const storeIds = new Set([...campaign.storeIds, ...(await importTotals(campaign.campaignId)).storeIds]);
  for (const storeId of storeIds) {
    for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
      const pk = outreachPk(campaign.campaignId, storeId, shard);
      const leaveOpenOutreach = (entries: Array<Record<string, unknown>>) =>
        removeFromOpenOutreach(
          campaign.campaignId,
          storeId,
          entries.map((entry) => String(entry.sk)),
        );
      if (!(await deletePartition({ pk }, deadline, leaveOpenOutreach))) return false;
    }
  }
  for (const shard of importShards()) {
    if (!(await deletePartition({ pk: rejectionsPk(campaign.campaignId, shard) }, deadline))) return false;
  }
  for (const shard of importShards()) {
    if (!(await deletePartition({ pk: chunksPk(campaign.campaignId, shard) }, deadline))) return false;
  }
  return true;
}
