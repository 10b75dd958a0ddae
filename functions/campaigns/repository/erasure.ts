/** A customer's erasure, as far as campaigns hold them: open outreach, outreach entries and rejected rows. Keys: ./keys.ts. */
import { batchGetAll, batchWriteAll, queryAll } from '../../shared/dynamo/batches';
import { transactIfUnchanged } from '../../shared/dynamo/conditions';
import { tableName, toCampaign } from './campaigns';
import { CAMPAIGNS_PARTITION, importShards, listKey, outreachKey, rejectionsPk } from './keys';
import { listsOfCampaign } from './lists';
import { deleteOpenOutreach } from './open-outreach';

/**
 * Takes an erased customer off every outreach list and out of every rejection, in every
 * campaign (also disabled ones). First the customer's open-outreach item at every store with a
 * list (so no touch finds an entry about to go; a deleted campaign's purge takes it out of any
 * item it still names, and deletes the item). Then each entry is deleted in one transaction with its list's counts
 * (`customers`, and `contacted` when it was), so the lists stay right; the rejections that carry
 * the email are deleted. Campaign-level import counts (rows, accepted, rejected) describe the
 * uploaded file and stay. Idempotent: an entry already gone changes no count. Returns how many
 * entries and rejections were removed.
 */
export async function eraseFromCampaigns(
  customerId: string,
  email: string | undefined,
): Promise<{ entries: number; rejections: number }> {
  const campaigns = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION },
  });
  // The stores that have a list in each campaign: the customer's entry, if any, is one key in each.
  const withStores: Array<{ campaign: ReturnType<typeof toCampaign>; storeIds: string[] }> = [];
  for (const campaign of campaigns.map(toCampaign))
    withStores.push({ campaign, storeIds: (await listsOfCampaign(campaign.campaignId)).map((list) => list.storeId) });
  await deleteOpenOutreach(
    withStores.flatMap(({ storeIds }) => storeIds),
    customerId,
  );
  let entries = 0;
  let rejections = 0;
  for (const { campaign, storeIds } of withStores) {
    const storeByPk = new Map(
      storeIds.map((storeId) => [outreachKey(campaign.campaignId, storeId, customerId).pk, storeId]),
    );
    const keys = storeIds.map((storeId) => outreachKey(campaign.campaignId, storeId, customerId));
    const found = keys.length > 0 ? await batchGetAll(tableName(), keys, { consistentRead: true }) : [];
    for (const entry of found) {
      const storeId = storeByPk.get(String(entry.pk))!;
      const contacted = entry.contacted === true;
      // A failed condition: gone already (a retried erasure), or marked contacted meanwhile; the next run sees it as it is now.
      const removed = await transactIfUnchanged([
        {
          Delete: {
            TableName: tableName(),
            Key: { pk: entry.pk, sk: entry.sk },
            ConditionExpression: 'attribute_exists(pk) AND contacted = :contacted',
            ExpressionAttributeValues: { ':contacted': contacted },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: listKey(campaign.campaignId, storeId),
            UpdateExpression: contacted ? 'ADD customers :minus, contacted :minus' : 'ADD customers :minus',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ]);
      if (removed) entries++;
    }
    if (!email) continue;
    // Rejected rows keep the email as the file had it: compared as emails are (trimmed, any case).
    const shards = await Promise.all(
      importShards().map((shard) =>
        queryAll({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': rejectionsPk(campaign.campaignId, shard) },
          ProjectionExpression: 'pk, sk, email',
        }),
      ),
    );
    const rejected = shards.flat().filter(
      (r) =>
        String(r.email ?? '')
          .trim()
          .toLowerCase() === email,
    );
    await batchWriteAll(
      tableName(),
      rejected.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })),
    );
    rejections += rejected.length;
  }
  return { entries, rejections };
}
