/**
 * Per-store outreach list items: written once at the end of an import with their customer
 * counts, read by the campaign's details, by a store and by reports. Keys: ./keys.ts.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { forEachConcurrently } from '../../shared/concurrency';
import { countAll, queryAll } from '../../shared/dynamo/batches';
import type { Campaign, OutreachList } from '../model';
import { OUTREACH_SHARDS } from '../rules';
import { LIST_PREFIX, campaignCreatedSk, campaignPk, listKey, outreachPk, storeListsPk } from './keys';
import { tableName } from '../../shared/dynamo/table';

/** Customers on a (campaign, store) list: a COUNT over its shards (read at the end of an import, once). */
export async function countListEntries(campaignId: string, storeId: string): Promise<number> {
  const perShard = await Promise.all(
    Array.from({ length: OUTREACH_SHARDS }, (_, shard) =>
      countAll({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
        ConsistentRead: true,
      }),
    ),
  );
  return perShard.reduce((a, b) => a + b, 0);
}

/** Writes the per-store list items of a finished import (idempotent: counts are set, not added). */
export async function putLists(campaign: Campaign, customersByStore: ReadonlyMap<string, number>): Promise<void> {
  await forEachConcurrently([...customersByStore], 8, async ([storeId, customers]) => {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: listKey(campaign.campaignId, storeId),
        UpdateExpression:
          'SET #type = :type, campaignId = :id, storeId = :store, #name = :name, createdAt = :created, customers = :customers, contacted = if_not_exists(contacted, :zero), gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
        ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
        ExpressionAttributeValues: {
          ':type': 'outreachList',
          ':id': campaign.campaignId,
          ':store': storeId,
          ':name': campaign.name,
          ':created': campaign.createdAt,
          ':customers': customers,
          ':zero': 0,
          ':gsi2pk': storeListsPk(storeId),
          ':gsi2sk': campaignCreatedSk(campaign.createdAt, campaign.campaignId),
        },
      }),
    );
  });
}

const toList = (item: Record<string, unknown>): OutreachList => ({
  campaignId: String(item.campaignId),
  storeId: String(item.storeId),
  name: String(item.name),
  createdAt: String(item.createdAt),
  customers: Number(item.customers ?? 0),
  contacted: Number(item.contacted ?? 0),
});

/** The list items of a campaign's partition, as stored. */
const listItemsOfCampaign = (campaignId: string) =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': campaignPk(campaignId), ':prefix': LIST_PREFIX },
  });

/**
 * The customer counts of the lists a campaign has so far, by store (consistent: a finish that
 * ran out of time resumes from these, and never counts a written list twice).
 */
export async function listCountsOfCampaign(campaignId: string): Promise<Map<string, number>> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': campaignPk(campaignId), ':prefix': LIST_PREFIX },
    ProjectionExpression: 'storeId, customers',
    ConsistentRead: true,
  });
  return new Map(items.map((item) => [String(item.storeId), Number(item.customers ?? 0)]));
}

/** A campaign's per-store lists (its details). */
export async function listsOfCampaign(campaignId: string): Promise<OutreachList[]> {
  return (await listItemsOfCampaign(campaignId)).map(toList);
}

/** Replies per store of a campaign (the lists' `replied` counts). */
export async function repliedByStore(campaignId: string): Promise<Map<string, number>> {
  const items = await listItemsOfCampaign(campaignId);
  return new Map(items.map((item) => [String(item.storeId), Number(item.replied ?? 0)]));
}

/** Every list of a store, of enabled and disabled campaigns alike, newest campaign first. */
export async function listsOfStore(storeId: string): Promise<OutreachList[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': storeListsPk(storeId) },
    ScanIndexForward: false,
  });
  return items.map(toList);
}

export async function getList(campaignId: string, storeId: string): Promise<OutreachList | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: listKey(campaignId, storeId) }));
  return out.Item ? toList(out.Item) : undefined;
}
