/**
 * Whether a customer belongs to a store for a task (docs/rules.md, "Customers"): a conversation
 * there or an outreach entry there, read through those capabilities' key builders in one batch
 * read; never written here.
 */
import { openOutreachKey } from '../../campaigns/repository/keys';
import { pairKey } from '../../conversations/repository/keys';
import { batchGetAll } from '../../shared/dynamo/batches';
import { tableName } from '../../shared/dynamo/table';

export async function customerOfStore(storeId: string, customerId: string): Promise<boolean> {
  const found = await batchGetAll(tableName(), [pairKey(storeId, customerId), openOutreachKey(storeId, customerId)]);
  return found.length > 0;
}
