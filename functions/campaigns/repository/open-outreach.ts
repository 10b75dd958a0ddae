/**
 * A customer's open outreach at a store, one item per (store, customer): `campaigns`, the
 * campaigns whose list at that store holds the customer, and `contacted` / `replied`, those
 * where the customer's entry carries that mark (string sets of campaign ids). A touch reads this
 * one item and the `enabled` flags of just the campaigns it names, so its cost never grows with
 * the campaigns the store ever had (docs/data-model.md, "A customer's open outreach").
 *
 * - the import ADDs the campaign beside the entries, after them (a set: a redelivered chunk
 *   leaves the same item; an id in `campaigns` always has its entry);
 * - the entry's marks update `contacted` / `replied` in the mark's own transaction;
 * - enabling or disabling a campaign never touches it (the flag is on the campaign item);
 * - a campaign's purge takes it out (and deletes an item left with no campaign), before its
 *   entries go; erasure deletes the item. Keys: ./keys.ts.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { forEachConcurrently } from '../../shared/concurrency';
import { batchWriteAll, type Item } from '../../shared/dynamo/batches';
import { withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import { openOutreachKey } from './keys';
import { tableName } from '../../shared/dynamo/table';

export interface OpenOutreach {
  campaignIds: string[];
  contacted: ReadonlySet<string>;
  replied: ReadonlySet<string>;
}

/** Items updated at once: one UpdateItem per (store, customer), since BatchWriteItem cannot add to a set. */
const CONCURRENCY = 16;

const idsOf = (value: unknown): Set<string> => (value instanceof Set ? (value as Set<string>) : new Set());

/**
 * Adds each entry's campaign to its (store, customer) item, and its marks when it has them (the
 * backfill of entries written before these items existed): one UpdateItem per (store, customer),
 * with every campaign of `entries` it has. Idempotent (ADD to sets). `beforeEach` runs before
 * each write (a write budget).
 */
export async function addToOpenOutreach(
  entries: ReadonlyArray<{
    campaignId: string;
    storeId: string;
    customerId: string;
    contacted?: boolean;
    replied?: boolean;
  }>,
  beforeEach?: () => Promise<void>,
): Promise<number> {
  const byCustomer = new Map<
    string,
    { storeId: string; customerId: string; campaignIds: Set<string>; contacted: Set<string>; replied: Set<string> }
  >();
  for (const { campaignId, storeId, customerId, contacted, replied } of entries) {
    const key = `${storeId}\n${customerId}`;
    const open = byCustomer.get(key) ?? {
      storeId,
      customerId,
      campaignIds: new Set<string>(),
      contacted: new Set<string>(),
      replied: new Set<string>(),
    };
    open.campaignIds.add(campaignId);
    if (contacted) open.contacted.add(campaignId);
    if (replied) open.replied.add(campaignId);
    byCustomer.set(key, open);
  }
  await forEachConcurrently([...byCustomer.values()], CONCURRENCY, async (open) => {
    // DynamoDB refuses an empty set: a mark is added only when some entry has it.
    const marks = (['contacted', 'replied'] as const).filter((mark) => open[mark].size > 0);
    await beforeEach?.();
    await withContentionRetry(() =>
      documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: openOutreachKey(open.storeId, open.customerId),
          UpdateExpression: `SET #type = :type, storeId = :store, customerId = :customer ADD campaigns :ids${marks
            .map((mark) => `, ${mark} :${mark}`)
            .join('')}`,
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':type': 'openOutreach',
            ':store': open.storeId,
            ':customer': open.customerId,
            ':ids': open.campaignIds,
            ...Object.fromEntries(marks.map((mark) => [`:${mark}`, open[mark]])),
          },
        }),
      ),
    );
  });
  return byCustomer.size;
}

/** The customer's open outreach at the store (strongly consistent: a reply may follow its contact closely). */
export async function getOpenOutreach(storeId: string, customerId: string): Promise<OpenOutreach> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: openOutreachKey(storeId, customerId), ConsistentRead: true }),
  );
  const item: Item = out.Item ?? {};
  return {
    campaignIds: [...idsOf(item.campaigns)].sort(),
    contacted: idsOf(item.contacted),
    replied: idsOf(item.replied),
  };
}

/** The write that notes an entry's mark on the customer's item, for the mark's transaction. */
export function openOutreachMark(
  campaignId: string,
  storeId: string,
  customerId: string,
  mark: 'contacted' | 'replied',
) {
  return {
    Update: {
      TableName: tableName(),
      Key: openOutreachKey(storeId, customerId),
      UpdateExpression: 'ADD #mark :ids',
      ConditionExpression: 'contains(campaigns, :id)',
      ExpressionAttributeNames: { '#mark': mark },
      ExpressionAttributeValues: { ':ids': new Set([campaignId]), ':id': campaignId },
    },
  };
}

/**
 * Takes a campaign out of its customers' items at one store (a purge, before their entries go);
 * an item left with no campaign is deleted. Idempotent: an item already gone is left alone.
 */
export async function removeFromOpenOutreach(
  campaignId: string,
  storeId: string,
  customerIds: readonly string[],
): Promise<void> {
  await forEachConcurrently([...customerIds], CONCURRENCY, async (customerId) => {
    const Key = openOutreachKey(storeId, customerId);
    let left: Item | undefined;
    const existed = await writeIfUnchanged(async () => {
      const out = await withContentionRetry(() =>
        documentClient.send(
          new UpdateCommand({
            TableName: tableName(),
            Key,
            UpdateExpression: 'DELETE campaigns :ids, contacted :ids, replied :ids',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':ids': new Set([campaignId]) },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      left = out.Attributes;
    });
    // An import adding a campaign meanwhile keeps the item: the delete's condition fails.
    if (existed && left?.campaigns === undefined)
      await writeIfUnchanged(() =>
        documentClient.send(
          new DeleteCommand({ TableName: tableName(), Key, ConditionExpression: 'attribute_not_exists(campaigns)' }),
        ),
      );
  });
}

/** Deletes the customer's items at these stores (erasure). */
export async function deleteOpenOutreach(storeIds: Iterable<string>, customerId: string): Promise<void> {
  await batchWriteAll(
    tableName(),
    [...new Set(storeIds)].map((storeId) => ({ DeleteRequest: { Key: openOutreachKey(storeId, customerId) } })),
  );
}
