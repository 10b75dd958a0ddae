/** A store's report per associate over a range of days, from the associates' day counters. */
import { forEachConcurrently } from '../shared/concurrency';
import { ValidationError } from '../shared/errors';
import type { Item } from '../shared/dynamo/batches';
import type { StoreReport } from './model';
import { associateDayItems } from './repository/counters';
import { mergeSketches, reportDays, revenueOf, sketchMedian } from './rules';

/**
 * 1. Validate the range (dates, from ≤ to, at most a year): 400 otherwise.
 * 2. Read each day's counter items of the store (one query per day) and merge them per associate:
 *    counts add up, revenue adds per currency, first-response histograms merge into one median.
 */
export async function storeReport(storeId: string, from: string, to: string): Promise<StoreReport> {
  const range = reportDays(from, to);
  if ('error' in range)
    throw new ValidationError(`The report range is not valid: ${range.error}.`, [
      { in: 'query', field: 'to', detail: range.error },
    ]);
  const byUser = new Map<string, Item[]>();
  await forEachConcurrently(range.days, 8, async (day) => {
    for (const item of await associateDayItems(storeId, day)) {
      const userId = String(item.userId);
      byUser.set(userId, [...(byUser.get(userId) ?? []), item]);
    }
  });
  const associates = [...byUser.keys()].sort().map((userId) => {
    const items = byUser.get(userId)!;
    const sum = (name: string) => items.reduce((total, item) => total + Number(item[name] ?? 0), 0);
    return {
      userId,
      conversationsStarted: sum('conversationsStarted'),
      messagesSent: sum('messagesSent'),
      repliesReceived: sum('repliesReceived'),
      cartsShared: sum('cartsShared'),
      ordersPaid: sum('ordersPaid'),
      revenue: revenueOf(items),
      medianFirstResponseSeconds: sketchMedian(mergeSketches(items)),
    };
  });
  return { storeId, from, to, associates };
}
