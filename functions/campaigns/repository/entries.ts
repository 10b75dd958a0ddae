/**
 * Outreach entries, one customer on one store's list, sharded 8 ways: written by the chunk
 * writers, paged by a store, marked contacted and replied, and read by reports with the orders
 * attributed to them. The customer's open-outreach item (./open-outreach.ts) follows the
 * entries: written after them, marked in the same transactions. Keys: ./keys.ts.
 */
import { QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { droppable } from '../../shared/droppable';
import { documentClient } from '../../shared/clients';
import { batchGetAll, queryPages } from '../../shared/dynamo/batches';
import { transactIfUnchanged, withContentionRetry } from '../../shared/dynamo/conditions';
import { openCursor, sealCursor, type Page } from '../../shared/pagination';
import type { EntryActivity, NewOutreachEntry, OutreachEntry } from '../model';
import { OUTREACH_SHARDS } from '../rules';
import { batchWrite } from './campaigns';
import { listKey, outreachKey, outreachPk } from './keys';
import { addToOpenOutreach, openOutreachMark } from './open-outreach';
import { tableName } from '../../shared/dynamo/table';

/**
 * Outreach entries, with BatchWriteItem, then their campaigns added to the customers'
 * open-outreach items (after the entries, so a campaign named there always has its entry).
 * Writing one again (a redelivered chunk, a duplicate row in another chunk) writes the same
 * items: an entry's content depends only on (campaign, store, customer), never on the row that
 * produced it, and the open-outreach item is a set.
 */
export async function putOutreachEntries(entries: readonly NewOutreachEntry[]): Promise<void> {
  await batchWrite(
    entries.map((entry) => ({
      PutRequest: {
        Item: {
          ...outreachKey(entry.campaignId, entry.storeId, entry.customerId),
          type: 'outreachEntry',
          customerId: entry.customerId,
          email: entry.email,
          firstName: entry.firstName,
          lastName: entry.lastName,
          contacted: false,
        },
      },
    })),
  );
  await addToOpenOutreach(entries);
}

/**
 * The cursor of an outreach list page: the shard being read and the last customer id read in
 * it. Pages walk shard 0 to 7 in order, each in customer-id order; a page may span shards.
 */
const OutreachCursor = /* @__PURE__ */ droppable(() =>
  z.strictObject({
    shard: z.number().check(z.int(), z.gte(0), z.lte(OUTREACH_SHARDS - 1)),
    after: z.optional(z.string().check(z.minLength(1))),
  }),
);

/** One page of a store's outreach list, across its shards. */
export async function listOutreachEntries(
  campaignId: string,
  storeId: string,
  limit: number,
  cursor?: string,
): Promise<Page<OutreachEntry>> {
  const list = `outreach-list\n${campaignId}\n${storeId}`;
  let { shard, after } =
    cursor === undefined ? { shard: 0, after: undefined } : await openCursor(cursor, list, OutreachCursor);
  const items: OutreachEntry[] = [];
  while (items.length < limit && shard < OUTREACH_SHARDS) {
    const pk = outreachPk(campaignId, storeId, shard);
    const out: QueryCommandOutput = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit - items.length,
        ExclusiveStartKey: after ? { pk, sk: after } : undefined,
      }),
    );
    for (const item of out.Items ?? []) {
      items.push({
        customerId: String(item.customerId),
        email: String(item.email),
        ...(typeof item.firstName === 'string' ? { firstName: item.firstName } : {}),
        ...(typeof item.lastName === 'string' ? { lastName: item.lastName } : {}),
        contacted: item.contacted === true,
      });
    }
    if (out.LastEvaluatedKey) {
      after = String(out.LastEvaluatedKey.sk);
    } else {
      shard++;
      after = undefined;
    }
  }
  const more = shard < OUTREACH_SHARDS;
  return { items, nextCursor: more ? await sealCursor(list, { shard, ...(after ? { after } : {}) }) : null };
}

/** The entry's first mark (contacted, replied), its list's count and the customer's open outreach go in one transaction. */
type Mark = { set: string; condition: string; values: Record<string, unknown>; listCount: 'contacted' | 'replied' };

/**
 * Sets a mark on one entry, once: a condition failing means it was marked already (or the
 * customer is not on the list); contention is retried with the one backoff policy.
 */
function markEntry(campaignId: string, storeId: string, customerId: string, mark: Mark): Promise<boolean> {
  return withContentionRetry(() =>
    transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: outreachKey(campaignId, storeId, customerId),
          UpdateExpression: mark.set,
          ConditionExpression: mark.condition,
          ExpressionAttributeValues: mark.values,
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: listKey(campaignId, storeId),
          UpdateExpression: `ADD ${mark.listCount} :one`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
        },
      },
      openOutreachMark(campaignId, storeId, customerId, mark.listCount),
    ]),
  );
}

/**
 * Marks the customer contacted on one list, once: the entry flips from not contacted in the
 * same transaction that bumps the list's count. False when the customer is not on the list or
 * was already contacted.
 */
export async function markEntryContacted(
  campaignId: string,
  storeId: string,
  customerId: string,
  at: Date,
  userId?: string,
): Promise<boolean> {
  return markEntry(campaignId, storeId, customerId, {
    set: `SET contacted = :true, contactedAt = :at${userId ? ', contactedBy = :by' : ''}`,
    condition: 'attribute_exists(pk) AND contacted = :false',
    values: { ':true': true, ':false': false, ':at': at.toISOString(), ...(userId ? { ':by': userId } : {}) },
    listCount: 'contacted',
  });
}

/**
 * Marks a contacted customer replied on one list, once: the entry's first reply and the list's
 * `replied` count go in one transaction. False when not on the list, not contacted, or already replied.
 */
export async function markEntryReplied(
  campaignId: string,
  storeId: string,
  customerId: string,
  at: Date,
): Promise<boolean> {
  return markEntry(campaignId, storeId, customerId, {
    set: 'SET repliedAt = :at',
    condition: 'attribute_exists(pk) AND contacted = :true AND attribute_not_exists(repliedAt)',
    values: { ':true': true, ':at': at.toISOString() },
    listCount: 'replied',
  });
}

const toActivity = (campaignId: string, item: Record<string, unknown>): EntryActivity => ({
  campaignId,
  customerId: String(item.customerId),
  email: String(item.email),
  contacted: item.contacted === true,
  ...(typeof item.contactedBy === 'string' ? { contactedBy: item.contactedBy } : {}),
  ...(typeof item.contactedAt === 'string' ? { contactedAt: item.contactedAt } : {}),
  ...(typeof item.repliedAt === 'string' ? { repliedAt: item.repliedAt } : {}),
  ordersPaid: Number(item.ordersPaid ?? 0),
  revenue: Number(item.revenue ?? 0),
  ...(typeof item.currency === 'string' ? { currency: item.currency } : {}),
});

/** The customer's entries on the given lists of a store (one BatchGetItem; absent entries are left out). */
export async function entriesOfCustomer(
  storeId: string,
  customerId: string,
  campaignIds: readonly string[],
): Promise<EntryActivity[]> {
  if (campaignIds.length === 0) return [];
  const items = await batchGetAll(
    tableName(),
    campaignIds.map((campaignId) => outreachKey(campaignId, storeId, customerId)),
    { consistentRead: true },
  );
  const byPk = new Map(campaignIds.map((campaignId) => [outreachKey(campaignId, storeId, customerId).pk, campaignId]));
  return items.map((item) => toActivity(byPk.get(String(item.pk)) ?? '', item));
}

/**
 * The write that adds a paid order to an entry, for the caller's transaction (so the order is
 * counted together with the caller's exactly-once marker). The entry must exist.
 */
export function entryOrderUpdate(
  campaignId: string,
  storeId: string,
  customerId: string,
  amount: number,
  currency: string,
) {
  return {
    Update: {
      TableName: tableName(),
      Key: outreachKey(campaignId, storeId, customerId),
      UpdateExpression: 'ADD ordersPaid :one, revenue :amount SET currency = :currency',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1, ':amount': amount, ':currency': currency },
    },
  };
}

/** Every entry of a (campaign, store) list, a page at a time, shard by shard (flat memory). */
export async function* entriesOfList(campaignId: string, storeId: string): AsyncGenerator<EntryActivity[]> {
  for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
    for await (const items of queryPages({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
    })) {
      yield items.map((item) => toActivity(campaignId, item));
    }
  }
}
