/**
 * Clearing carts: the sweeps over the expiry index (gsi3, ./keys.ts) and an erased customer's
 * carts. Both delete with unconditional batch writes, which only ever hit the keys just read.
 */
import { batchGetAll, batchWriteAll, queryAll } from '../../shared/dynamo/batches';
import { duePages } from '../../shared/dynamo/due-sweep';
import { cartPk, dueBound, EXPIRY_SHARDS, expiryShardPk, linkKey, reminderKey, zoneExpiryPrefix } from './keys';
import { tableName } from '../../shared/dynamo/table';
import type { Cart } from '../model';
import { toCart } from './carts';

/**
 * The 15-minute sweep: deletes every cart that expired at or before `before` (the sweeper passes
 * now less the payment grace), in every zone. Each
 * expiry shard is read through gsi3 from the oldest expiry up to now (only what is due).
 * Returns how many.
 */
export async function deleteExpiredCarts(before: Date, options: { pageSize?: number } = {}): Promise<number> {
  return deleteFromExpiryShards('gsi3sk <= :bound', { ':bound': dueBound(before) }, options.pageSize);
}

/**
 * A zone's midnight run: deletes the carts of stores in `timezone` that expire at `midnight`
 * (that zone's local midnight), and nothing else: carts of other zones, even ones due at the
 * same instant, are left to their own schedule or the safety net. Returns how many.
 */
export async function deleteZoneCartsDueAt(
  timezone: string,
  midnight: Date,
  options: { pageSize?: number } = {},
): Promise<number> {
  return deleteFromExpiryShards(
    'begins_with(gsi3sk, :prefix)',
    { ':prefix': zoneExpiryPrefix(midnight.toISOString(), timezone) },
    options.pageSize,
  );
}

/** Reads each expiry shard's slice a page at a time and deletes each page (BatchWriteItem, unprocessed items retried). */
async function deleteFromExpiryShards(
  sortKeyCondition: string,
  values: Record<string, string>,
  pageSize = 500,
): Promise<number> {
  let deleted = 0;
  const pages = duePages({
    index: 'gsi3',
    shards: EXPIRY_SHARDS,
    shardKey: expiryShardPk,
    sortKeyCondition,
    values,
    pageSize,
    projection: 'pk, sk',
  });
  for await (const items of pages) {
    const keys = items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
    await batchDelete(keys);
    deleted += keys.length;
  }
  return deleted;
}

async function batchDelete(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<void> {
  await batchWriteAll(
    tableName(),
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}

/**
 * Deletes every cart of an erased customer's conversation (items, delivery address), the
 * links shared from them and their reminders. Payment records stay: they hold the order (items, amount) under
 * pseudonymous ids only, and are the business's accounting record.
 */
export async function eraseConversationCarts(conversationId: string): Promise<number> {
  const carts = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': cartPk(conversationId) },
    ConsistentRead: true,
  });
  const links = carts
    .map((cart) => String(cart.sharedUrl ?? '').match(/\/c\/([^/?#]+)/)?.[1])
    .filter((token): token is string => Boolean(token));
  await batchDelete([
    ...links.map(linkKey),
    ...carts.map((cart) => reminderKey(conversationId, String(cart.expiresAt))),
    ...carts.map((cart) => ({ pk: cart.pk as string, sk: cart.sk as string })),
  ]);
  return carts.length;
}

/**
 * The carts expiring after `from` and at or before `to` (ISO instants), a page at a time: the
 * expiry index read for that slice only (its entries name the carts), then the carts themselves
 * in one batch read a page. The task-reminders schedule finds unpaid shared carts this way
 * (functions/tasks/system-tasks.ts).
 */
export async function* cartsExpiringBetween(from: string, to: string): AsyncGenerator<Cart[]> {
  const pages = duePages({
    index: 'gsi3',
    shards: EXPIRY_SHARDS,
    shardKey: expiryShardPk,
    sortKeyCondition: 'gsi3sk BETWEEN :from AND :to',
    values: { ':from': `${from}#\uffff`, ':to': dueBound(new Date(to)) },
    projection: 'pk, sk',
  });
  for await (const entries of pages) {
    if (entries.length === 0) continue;
    const keys = entries.map((entry) => ({ pk: entry.pk, sk: entry.sk }));
    const carts = await batchGetAll(tableName(), keys, { consistentRead: true });
    yield carts.map((item) => toCart(item)!);
  }
}
