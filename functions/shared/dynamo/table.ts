/**
 * The single table as every repository writes to it, written once (docs/data-model.md, "The
 * DynamoDB toolkit"): its name, the put that creates an item only if it is not there yet, and
 * the expiry every expiring item carries in the table's TTL attribute. The attribute's name
 * comes from ../table.ts, the same constant the CDK table and the local table declare, so no
 * repository can write an expiry DynamoDB does not read.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../config';
import { TABLE } from '../table';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Item = Record<string, unknown>;

/** The one table's name (the function's `table` binding). */
export const tableName = (): string => loadConfig('table').table;

/** The TTL attribute (`ttl`): the one DynamoDB's expiry reads (functions/shared/table.ts). */
export const TTL_ATTRIBUTE = TABLE.ttlAttribute;

/** Seconds since the epoch, the unit of the TTL attribute, of a Date or an ISO time. */
export const epochSeconds = (at: Date | string): number =>
  Math.floor((typeof at === 'string' ? Date.parse(at) : at.getTime()) / 1000);

/** The TTL attribute of an item that DynamoDB may delete `afterSeconds` after `at`: spread it into the item. */
export const expiry = (at: Date | string, afterSeconds = 0): { readonly [TTL_ATTRIBUTE]: number } => ({
  [TTL_ATTRIBUTE]: epochSeconds(at) + afterSeconds,
});

/**
 * The `Put` that creates `item` only where no item has its key yet (`attribute_not_exists(pk)`):
 * a transaction item as it is, or `new PutCommand(putIfAbsent(item).Put)` on its own. A failed
 * condition means the item was there: a duplicate, a redelivery, a taken name.
 */
export const putIfAbsent = (item: Item) =>
  ({
    Put: { TableName: tableName(), Item: item, ConditionExpression: `attribute_not_exists(${TABLE.partitionKey})` },
  }) satisfies TransactItem;
