/**
 * Re-indexing customer search (README, "Loading customers"): moves every customer's search entries
 * from the old two-character buckets (`CUSTSEARCH#<2 chars>`) to the spread ones
 * (docs/data-model.md, "Stores and customers"). Run once by an operator after the deploy that
 * spread the buckets (`npm run reindex-customer-search`); no function may Scan, this script does,
 * with the operator's credentials, paced by a write budget. Safe to re-run: puts and deletes of
 * fixed keys.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchWriteAll } from '../../shared/dynamo/batches';
import type { TokenBucket } from '../../shared/token-bucket';
import { legacySearchTerms, searchTerms } from '../rules';
import { toCustomer } from './items';
import { customerKey, legacySearchKey, searchKey } from './keys';
import { tableName } from '../../shared/dynamo/table';

export interface ReindexTotals {
  customers: number;
  /** Write units spent: one per put or delete (BatchWriteItem, items under 1 KB). */
  writeUnits: number;
}

/** Every customer item, a page of the table at a time, rewriting its search entries within the budget. */
export async function reindexCustomerSearch(
  budget: TokenBucket,
  onPage: (totals: ReindexTotals) => void = () => {},
): Promise<ReindexTotals> {
  const totals: ReindexTotals = { customers: 0, writeUnits: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'sk = :sk AND attribute_not_exists(erasing)',
        ExpressionAttributeValues: { ':sk': customerKey('x').sk },
        ExclusiveStartKey: startKey,
      }),
    );
    startKey = page.LastEvaluatedKey;
    for (const item of page.Items ?? []) {
      const customer = toCustomer(item)!;
      const summary = { ...customer, type: 'customerRef' };
      const requests = [
        ...legacySearchTerms(customer).map((term) => ({
          DeleteRequest: { Key: legacySearchKey(term, customer.customerId) },
        })),
        ...searchTerms(customer).map((term) => ({
          PutRequest: { Item: { ...searchKey(term, customer.customerId), ...summary } },
        })),
      ];
      await budget.take(Math.min(requests.length, budget.capacity));
      await batchWriteAll(tableName(), requests);
      totals.customers++;
      totals.writeUnits += requests.length;
    }
    onPage(totals);
  } while (startKey);
  return totals;
}
