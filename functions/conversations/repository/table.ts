/** What the repository files share: the table, the transaction item type and counter updates. Keys: ./keys.ts. */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../shared/config';
import { addToItem } from '../../shared/dynamo/updates';

export const tableName = () => loadConfig('table').table;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Item = Record<string, unknown>;

/** Seconds since the epoch: the unit of DynamoDB's TTL attribute. */
export const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

/** `ADD` of counters on one item (zero deltas left out); undefined when there is nothing to add. */
export function addTo(key: Item, values: Record<string, number>): TransactItem | undefined {
  const nonZero = Object.entries(values).filter(([, v]) => v !== 0);
  return nonZero.length === 0 ? undefined : addToItem(tableName(), key, Object.fromEntries(nonZero));
}
