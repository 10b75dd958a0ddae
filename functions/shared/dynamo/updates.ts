/**
 * Counter updates, written once: the `Update` transaction item that ADDs numbers to attributes of
 * one item (sums, report counters), SETting other attributes alongside when given.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** `ADD` of every number in `adds` (none may be left empty), with `SET` of every value in `sets`, on the item at `key`. */
export function addToItem(
  tableName: string,
  key: Record<string, unknown>,
  adds: Readonly<Record<string, number>>,
  sets: Readonly<Record<string, unknown>> = {},
): TransactItem {
  const added = Object.entries(adds);
  const set = Object.entries(sets);
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: [
        set.length > 0 ? `SET ${set.map((_, i) => `#s${i} = :s${i}`).join(', ')}` : '',
        `ADD ${added.map((_, i) => `#a${i} :a${i}`).join(', ')}`,
      ]
        .filter(Boolean)
        .join(' '),
      ExpressionAttributeNames: Object.fromEntries([
        ...added.map(([name], i) => [`#a${i}`, name]),
        ...set.map(([name], i) => [`#s${i}`, name]),
      ]),
      ExpressionAttributeValues: Object.fromEntries([
        ...added.map(([, value], i) => [`:a${i}`, value]),
        ...set.map(([, value], i) => [`:s${i}`, value]),
      ]),
    },
  };
}
