/**
 * The sharded "what is due" read, written once: a time-sorted index partitioned into shards
 * (`<prefix>#<shard>`), each shard read oldest first up to a bound, one page at a time. Cart
 * expiry, conversation archiving and scheduled messages all sweep this way, so a sweep reads only
 * what is due and never the table.
 *
 * workDue is the one way a scheduled run works through a large due slice: its shards in parallel
 * (a bounded pool), page after page, and no page taken after the run's deadline
 * (functions/shared/schedule.ts), so the run ends with nothing half-done and the next run goes on
 * where it stopped. The conversation archiver and the scheduled-message release both use it.
 */
import { queryPages, type Item } from './batches';
import { tableName } from './table';
import { forEachConcurrently } from '../concurrency';

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

/** One shard's due entries, oldest first, a page at a time. */
function shardPages(sweep: DueSweep, shard: number): AsyncGenerator<Item[]> {
  return queryPages({
    TableName: tableName(),
    IndexName: sweep.index,
    KeyConditionExpression: `${sweep.index}pk = :duePk AND ${sweep.sortKeyCondition}`,
    ExpressionAttributeValues: { ':duePk': sweep.shardKey(shard), ...sweep.values },
    ...(sweep.projection ? { ProjectionExpression: sweep.projection } : {}),
    ...(sweep.pageSize ? { Limit: sweep.pageSize } : {}),
  });
}

/** Every due entry, shard after shard, a page at a time (a sweep handles each page before the next is read). */
export async function* duePages(sweep: DueSweep): AsyncGenerator<Item[]> {
  for (let shard = 0; shard < sweep.shards; shard++) yield* shardPages(sweep, shard);
}

export interface DueWork {
  /** Epoch ms after which no page is taken (the scheduled run's deadline). */
  readonly deadline: number;
  /** Shards worked at once. */
  readonly shardConcurrency: number;
}

/**
 * Works every due entry: `shardConcurrency` shards at once, each page after page, `handlePage`
 * finishing a page before its shard reads the next. A page read after the deadline is left for
 * the next run (counted in `leftover`, a lower bound of what is still due: each stopped shard
 * counts the page it read). `handlePage` keeps one entry's failure to itself (the entry stays
 * due); anything it throws stops the run once the shards already working have finished.
 */
export async function workDue(
  sweep: DueSweep,
  work: DueWork,
  handlePage: (items: Item[]) => Promise<void>,
): Promise<{ leftover: number }> {
  let leftover = 0;
  const shards = Array.from({ length: sweep.shards }, (_, shard) => shard);
  await forEachConcurrently(shards, work.shardConcurrency, async (shard) => {
    for await (const page of shardPages(sweep, shard)) {
      if (Date.now() > work.deadline) {
        leftover += page.length;
        return;
      }
      await handlePage(page);
    }
  });
  return { leftover };
}
