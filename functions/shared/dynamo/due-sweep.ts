/**
 * The sharded "what is due" read, written once: a time-sorted index partitioned into shards
 * (`<prefix>#<shard>`), each shard read oldest first up to a bound, one page at a time. Cart
 * expiry, conversation archiving and scheduled messages all sweep this way, so a sweep reads only
 * what is due and never the table.
 */
import { queryPages, type Item } from './batches';
import { loadConfig } from '../config';

export interface DueSweep {
  /** The GSI that holds the due entries (its key attributes are `<index>pk` / `<index>sk`). */
  readonly index: 'gsi3';
  /** The partition key of a shard: `CARTEXP#3`. */
  readonly shardKey: (shard: number) => string;
  readonly shards: number;
  /** The sort key condition, on `<index>sk`, with its values. */
  readonly sortKeyCondition: string;
  readonly values: Record<string, string>;
  readonly pageSize?: number;
  readonly projection?: string;
}

/** Every due entry, shard after shard, a page at a time (a sweep handles each page before the next is read). */
export async function* duePages(sweep: DueSweep): AsyncGenerator<Item[]> {
  for (let shard = 0; shard < sweep.shards; shard++) {
    yield* queryPages({
      TableName: loadConfig('table').table,
      IndexName: sweep.index,
      KeyConditionExpression: `${sweep.index}pk = :duePk AND ${sweep.sortKeyCondition}`,
      ExpressionAttributeValues: { ':duePk': sweep.shardKey(shard), ...sweep.values },
      ...(sweep.projection ? { ProjectionExpression: sweep.projection } : {}),
      ...(sweep.pageSize ? { Limit: sweep.pageSize } : {}),
    });
  }
}
