/** Counter updates the repository files share (the table itself: ../../shared/dynamo/table.ts). Keys: ./keys.ts. */
import { addToItem } from '../../shared/dynamo/updates';
import { tableName, type Item, type TransactItem } from '../../shared/dynamo/table';

/** `ADD` of counters on one item (zero deltas left out); undefined when there is nothing to add. */
export function addTo(key: Item, values: Record<string, number>): TransactItem | undefined {
  const nonZero = Object.entries(values).filter(([, v]) => v !== 0);
  return nonZero.length === 0 ? undefined : addToItem(tableName(), key, Object.fromEntries(nonZero));
}
