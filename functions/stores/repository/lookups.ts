/** Finding customers: by email (one or many), by phone, and by prefix search (keys: ./keys.ts). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, queryPage } from '../../shared/dynamo/batches';
import type { Page } from '../../shared/pagination';
import type { Customer } from '../model';
import { normalizeEmail, normalizeSearchQuery } from '../rules';
import { emailKey, phoneKey, searchPk } from './keys';
import { toCustomer } from './items';
import { tableName } from '../../shared/dynamo/table';

/** A campaign chunk looks up to 1,000 emails: several BatchGetItem calls in flight. */
const LOOKUP_CONCURRENCY = 4;

/**
 * Customers by email (case-insensitive), in batches of 100 keys with the unprocessed keys
 * retried. The map is keyed by the normalised email. This is the campaign writer's look-up.
 */
export async function findCustomersByEmail(emails: readonly string[]): Promise<Map<string, Customer>> {
  const keys = [...new Set(emails.map(normalizeEmail))].map(emailKey);
  const items = await batchGetAll(tableName(), keys, { concurrency: LOOKUP_CONCURRENCY });
  return new Map(items.map((item) => toCustomer(item)!).map((customer) => [customer.email ?? '', customer]));
}

export async function findCustomerByEmail(email: string): Promise<Customer | undefined> {
  return (await findCustomersByEmail([email])).get(normalizeEmail(email));
}

export async function findCustomerByPhone(phone: string): Promise<Customer | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: phoneKey(phone) }));
  return toCustomer(out.Item);
}

/** Customers whose email, phone or name starts with the query, paged. */
export async function searchCustomers(query: string, limit: number, cursor?: string): Promise<Page<Customer>> {
  const term = normalizeSearchQuery(query);
  const pk = searchPk(term);
  const page = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :term)',
      ExpressionAttributeValues: { ':pk': pk, ':term': term },
    },
    { limit, cursor, partition: { pk } },
  );
  const seen = new Set<string>();
  const items: Customer[] = [];
  for (const item of page.items) {
    const customer = toCustomer(item);
    if (customer && !seen.has(customer.customerId)) {
      seen.add(customer.customerId);
      items.push(customer);
    }
  }
  return { items, nextCursor: page.nextCursor };
}
