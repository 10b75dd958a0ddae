/**
 * Which customers are linked to a store (docs/rules.md, "Customers"): those with a conversation
 * there (`CONVPAIR#<store>#<customer>`) or an outreach entry there
 * (`CUSTOUTREACH#<store>#<customer>`). Both items belong to other capabilities and are named
 * through their key builders; this reads them, in one BatchGetItem per 50 customers (two keys
 * each), and never writes them. It lives in the customers room, above conversations and
 * campaigns whose keys it names (the stores room sits below both).
 */
import { tableName } from '../../shared/dynamo/table';
import { batchGetAll } from '../../shared/dynamo/batches';
import { pairKey } from '../../conversations/repository/keys';
import { openOutreachKey } from '../../campaigns/repository/keys';

/** The ids among `customerIds` linked to `storeId`. */
export async function linkedToStore(storeId: string, customerIds: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(customerIds)];
  if (unique.length === 0) return new Set();
  const owner = new Map<string, string>();
  const keys = unique.flatMap((customerId) => {
    const links = [pairKey(storeId, customerId), openOutreachKey(storeId, customerId)];
    for (const key of links) owner.set(key.pk, customerId);
    return links;
  });
  const found = await batchGetAll(tableName(), keys, { concurrency: 2 });
  return new Set(found.map((item) => owner.get(item.pk as string)).filter((id): id is string => id !== undefined));
}
