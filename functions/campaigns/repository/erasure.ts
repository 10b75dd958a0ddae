/** A customer's erasure, as far as campaigns hold them: open outreach, outreach entries and rejected rows. Keys: ./keys.ts. */
import { batchGetAll, batchWriteAll, queryAll } from '../../shared/dynamo/batches';
import { transactIfUnchanged } from '../../shared/dynamo/conditions';
import { toCampaign } from './campaigns';
import { CAMPAIGNS_PARTITION, importShards, listKey, outreachKey, rejectionsPk } from './keys';
import { listsOfCampaign } from './lists';
import { deleteOpenOutreach } from './open-outreach';
import { uploadKeyOf } from '../rules';
import { tableName } from '../../shared/dynamo/table';

/** A campaign that holds the erased customer, as the erasure found it (before removing anything). */
export interface CampaignHolding {
  campaignId: string;
  /** The uploaded file the import read (`campaigns/<id>.csv` for campaigns imported before the key was kept). */
  sourceKey: string;
  /** The customer's outreach entries in it (one per store list). */
  entries: number;
  /** Its rejected rows that carry the email. */
  rejections: number;
}

/**
 * Takes an erased customer off every outreach list and out of every rejection, in every
 * campaign (also disabled ones). First the customer's open-outreach item at every store with a
 * list (so no touch finds an entry about to go; a deleted campaign's purge takes it out of any
 * item it still names, and deletes the item). Then, for each campaign that holds the customer,
 * `beforeRemoving` runs (the erasure of its files: the entries and rejections are how a retried
 * erasure finds that campaign again, so they go only after it). Then each entry is deleted in one
 * transaction with its list's counts (`customers`, and `contacted` when it was), so the lists
 * stay right; the rejections that carry the email are deleted. Campaign-level import counts
 * (rows, accepted, rejected) describe the uploaded file and stay. Idempotent: an entry already
 * gone changes no count. Returns how many entries and rejections were removed.
 */
export async function eraseFromCampaigns(
  customerId: string,
  email: string | undefined,
  beforeRemoving: (holding: CampaignHolding) => Promise<void>,
): Promise<{ entries: number; rejections: number }> {
  const campaigns = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION },
  });
  // The stores that have a list in each campaign: the customer's entry, if any, is one key in each.
  const withStores: Array<{ campaign: ReturnType<typeof toCampaign>; sourceKey: string; storeIds: string[] }> = [];
  for (const item of campaigns) {
    const campaign = toCampaign(item);
    withStores.push({
      campaign,
      sourceKey: typeof item.sourceKey === 'string' ? item.sourceKey : uploadKeyOf(campaign.campaignId),
      storeIds: (await listsOfCampaign(campaign.campaignId)).map((list) => list.storeId),
    });
  }
  await deleteOpenOutreach(
    withStores.flatMap(({ storeIds }) => storeIds),
    customerId,
  );
  let entries = 0;
  let rejections = 0;
  for (const { campaign, sourceKey, storeIds } of withStores) {
    const found = await entriesOf(campaign.campaignId, storeIds, customerId);
    const rejected = email ? await rejectionsCarrying(campaign.campaignId, email) : [];
    if (found.length === 0 && rejected.length === 0) continue;
    await beforeRemoving({
      campaignId: campaign.campaignId,
      sourceKey,
      entries: found.length,
      rejections: rejected.length,
    });
    for (const { entry, storeId } of found) if (await deleteEntry(campaign.campaignId, storeId, entry)) entries++;
    await batchWriteAll(
      tableName(),
      rejected.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })),
    );
    rejections += rejected.length;
  }
  return { entries, rejections };
}

/** The customer's entry on each of these store lists of the campaign, where there is one. */
async function entriesOf(
  campaignId: string,
  storeIds: readonly string[],
  customerId: string,
): Promise<Array<{ entry: Record<string, unknown>; storeId: string }>> {
  if (storeIds.length === 0) return [];
  const storeByPk = new Map(storeIds.map((storeId) => [outreachKey(campaignId, storeId, customerId).pk, storeId]));
  const keys = storeIds.map((storeId) => outreachKey(campaignId, storeId, customerId));
  const found = await batchGetAll(tableName(), keys, { consistentRead: true });
  return found.map((entry) => ({ entry, storeId: storeByPk.get(String(entry.pk))! }));
}

/** Deletes one entry with its list's counts; false when it was gone already or changed meanwhile. */
async function deleteEntry(campaignId: string, storeId: string, entry: Record<string, unknown>): Promise<boolean> {
  const contacted = entry.contacted === true;
  // A failed condition: gone already (a retried erasure), or marked contacted meanwhile; the next run sees it as it is now.
  return transactIfUnchanged([
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
        Key: listKey(campaignId, storeId),
        UpdateExpression: contacted ? 'ADD customers :minus, contacted :minus' : 'ADD customers :minus',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':minus': -1 },
      },
    },
  ]);
}

/** The campaign's rejected rows that carry the email, as the file had it: compared as emails are (trimmed, any case). */
async function rejectionsCarrying(campaignId: string, email: string): Promise<Array<Record<string, unknown>>> {
  const shards = await Promise.all(
    importShards().map((shard) =>
      queryAll({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': rejectionsPk(campaignId, shard) },
        ProjectionExpression: 'pk, sk, email',
      }),
    ),
  );
  return shards.flat().filter(
    (r) =>
      String(r.email ?? '')
        .trim()
        .toLowerCase() === email,
  );
}
