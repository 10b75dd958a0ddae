/**
 * Stores and customers in the single table. The only file that knows their keys:
 *
 *   STORE#<id>            / STORE            the store
 *   STOREPHONE#<e164>     / STOREPHONE       -> storeId (a store found by its Twilio number)
 *   CUSTOMER#<id>         / CUSTOMER         the customer
 *   CUSTEMAIL#<email>     / CUSTEMAIL        -> customer summary (unique email; campaign look-ups)
 *   CUSTPHONE#<e164>      / CUSTPHONE        -> customer summary (inbound SMS look-ups)
 *   CUSTSEARCH#<2 chars>  / <term>#<id>      -> customer summary (prefix search)
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/clients';
import { cancelledBy } from '../shared/transactions';
import { loadConfig } from '../shared/config';
import { batchGetAll, queryPage } from '../shared/dynamo-batches';
import { ConflictError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { normalizeEmail, normalizeSearchQuery, searchBucket, searchTerms, type Customer, type CustomerInput, type Store, type StoreInput } from './rules';

const config = () => loadConfig('table');
const tableName = () => config().table;

const storeKey = (storeId: string) => ({ pk: `STORE#${storeId}`, sk: 'STORE' });
const storePhoneKey = (phone: string) => ({ pk: `STOREPHONE#${phone}`, sk: 'STOREPHONE' });
const customerKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' });
const emailKey = (email: string) => ({ pk: `CUSTEMAIL#${normalizeEmail(email)}`, sk: 'CUSTEMAIL' });
const phoneKey = (phone: string) => ({ pk: `CUSTPHONE#${phone}`, sk: 'CUSTPHONE' });
const searchKey = (term: string, customerId: string) => ({ pk: `CUSTSEARCH#${searchBucket(term)}`, sk: `${term}#${customerId}` });

const STORE_FIELDS = ['storeId', 'name', 'timezone', 'country', 'phoneNumber', 'currency', 'helpText', 'createdAt', 'updatedAt'] as const;
const CUSTOMER_FIELDS = ['customerId', 'email', 'phone', 'firstName', 'lastName', 'createdAt'] as const;

function pick<T>(item: Record<string, unknown> | undefined, fields: readonly string[]): T | undefined {
  if (!item) return undefined;
  return Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as T;
}


// ── stores ─────────────────────────────────────────────────────────────────────────────────

export async function getStore(storeId: string): Promise<Store | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storeKey(storeId) }));
  return pick<Store>(out.Item, STORE_FIELDS);
}

/** Many stores by id (campaign details ask which store ids are registered). */
export async function getStores(storeIds: readonly string[]): Promise<Map<string, Store>> {
  const items = await batchGetAll(tableName(), [...new Set(storeIds)].map(storeKey));
  return new Map(items.map((item) => pick<Store>(item, STORE_FIELDS)!).map((store) => [store.storeId, store]));
}

export async function findStoreByPhone(phoneNumber: string): Promise<Store | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storePhoneKey(phoneNumber) }));
  const storeId = out.Item?.storeId;
  return typeof storeId === 'string' ? getStore(storeId) : undefined;
}

/**
 * Creates or replaces a store. Its Twilio number must not belong to another store (409); the
 * number look-up moves with the store in one transaction, guarded against a concurrent change.
 */
export async function putStore(storeId: string, input: StoreInput, now: Date): Promise<{ store: Store; created: boolean }> {
  const existing = await getStore(storeId);
  const store: Store = { ...input, storeId, createdAt: existing?.createdAt ?? now.toISOString(), updatedAt: now.toISOString() };
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...storeKey(storeId), ...store, type: 'store' },
        ...(existing
          ? { ConditionExpression: 'phoneNumber = :old', ExpressionAttributeValues: { ':old': existing.phoneNumber } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...storePhoneKey(store.phoneNumber), storeId, type: 'storePhone' },
        ConditionExpression: 'attribute_not_exists(pk) OR storeId = :id',
        ExpressionAttributeValues: { ':id': storeId },
      },
    },
  ];
  if (existing && existing.phoneNumber !== store.phoneNumber) {
    items.push({ Delete: { TableName: tableName(), Key: storePhoneKey(existing.phoneNumber) } });
  }
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (cancelledBy(error, 'ConditionalCheckFailed', 1)) throw new ConflictError(`Phone number ${store.phoneNumber} already belongs to another store.`);
    if (cancelledBy(error, 'ConditionalCheckFailed', 0)) throw new ConflictError(`Store ${storeId} was changed at the same time; try again.`);
    throw error;
  }
  return { store, created: !existing };
}

// ── customers ──────────────────────────────────────────────────────────────────────────────

export async function getCustomer(customerId: string): Promise<Customer | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: customerKey(customerId) }));
  return pick<Customer>(out.Item, CUSTOMER_FIELDS);
}

/**
 * Customers by email (case-insensitive), in batches of 100 keys with the unprocessed keys
 * retried. The map is keyed by the normalised email. This is the campaign writer's look-up.
 */
export async function findCustomersByEmail(emails: readonly string[]): Promise<Map<string, Customer>> {
  return batchGetCustomers([...new Set(emails.map(normalizeEmail))].map(emailKey), (c) => c.email ?? '');
}

export async function findCustomerByEmail(email: string): Promise<Customer | undefined> {
  return (await findCustomersByEmail([email])).get(normalizeEmail(email));
}

export async function findCustomerByPhone(phone: string): Promise<Customer | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: phoneKey(phone) }));
  return pick<Customer>(out.Item, CUSTOMER_FIELDS);
}

/** A campaign chunk looks up to 1,000 emails: several BatchGetItem calls in flight. */
const LOOKUP_CONCURRENCY = 4;

async function batchGetCustomers(keys: Record<string, string>[], keyOf: (c: Customer) => string): Promise<Map<string, Customer>> {
  const items = await batchGetAll(tableName(), keys, { concurrency: LOOKUP_CONCURRENCY });
  return new Map(items.map((item) => pick<Customer>(item, CUSTOMER_FIELDS)!).map((customer) => [keyOf(customer), customer]));
}

function customerWrites(customer: Customer): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const summary = { ...customer, type: 'customerRef' };
  const writes: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    { Put: { TableName: tableName(), Item: { ...customerKey(customer.customerId), ...customer, type: 'customer' }, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  if (customer.email) {
    writes.push({ Put: { TableName: tableName(), Item: { ...emailKey(customer.email), ...summary }, ConditionExpression: 'attribute_not_exists(pk)' } });
  }
  if (customer.phone) {
    writes.push({ Put: { TableName: tableName(), Item: { ...phoneKey(customer.phone), ...summary }, ConditionExpression: 'attribute_not_exists(pk)' } });
  }
  for (const term of searchTerms(customer)) {
    writes.push({ Put: { TableName: tableName(), Item: { ...searchKey(term, customer.customerId), ...summary } } });
  }
  return writes;
}

export type CreateOutcome = { status: 'created'; customer: Customer } | { status: 'existing'; customer: Customer };

/**
 * Creates a customer unless one already has that email (then `existing`, with that customer).
 * Email and phone are unique: a phone already taken by another customer is a 409.
 */
export async function createCustomer(input: CustomerInput, now: Date): Promise<CreateOutcome> {
  const customer: Customer = { customerId: randomUUID(), ...input, email: normalizeEmail(input.email), createdAt: now.toISOString() };
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: customerWrites(customer) }));
    return { status: 'created', customer };
  } catch (error) {
    if (cancelledBy(error, 'ConditionalCheckFailed', 1)) {
      const existing = await findCustomerByEmail(customer.email!);
      if (existing) return { status: 'existing', customer: existing };
    }
    if (customer.phone && cancelledBy(error, 'ConditionalCheckFailed', 2)) throw new ConflictError(`Phone ${customer.phone} already belongs to another customer.`);
    throw error;
  }
}

/**
 * The customer who texted from this number, created with only the phone when unknown.
 * Two messages racing from a new number end with one customer.
 */
export async function ensureCustomerByPhone(phone: string, now: Date): Promise<Customer> {
  const known = await findCustomerByPhone(phone);
  if (known) return known;
  const customer: Customer = { customerId: randomUUID(), phone, createdAt: now.toISOString() };
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: customerWrites(customer) }));
    return customer;
  } catch (error) {
    const winner = cancelledBy(error, 'ConditionalCheckFailed', 1) ? await findCustomerByPhone(phone) : undefined;
    if (winner) return winner;
    throw error;
  }
}

/** Customers whose email, phone or name starts with the query, paged. */
export async function searchCustomers(query: string, limit: number, cursor?: string): Promise<Page<Customer>> {
  const term = normalizeSearchQuery(query);
  const pk = `CUSTSEARCH#${searchBucket(term)}`;
  const page = await queryPage(
    { TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :term)', ExpressionAttributeValues: { ':pk': pk, ':term': term } },
    { limit, cursor, partition: { pk } },
  );
  const seen = new Set<string>();
  const items: Customer[] = [];
  for (const item of page.items) {
    const customer = pick<Customer>(item, CUSTOMER_FIELDS);
    if (customer && !seen.has(customer.customerId)) {
      seen.add(customer.customerId);
      items.push(customer);
    }
  }
  return { items, nextCursor: page.nextCursor };
}
