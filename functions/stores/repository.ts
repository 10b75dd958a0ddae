/**
 * Stores and customers in the single table. The only file that knows their keys:
 *
 *   STORE#<id>            / STORE            the store; gsi1 STORES / <id> (every store, by id)
 *   STOREPHONE#<e164>     / STOREPHONE       -> storeId (a store found by its Twilio number)
 *   CUSTOMER#<id>         / CUSTOMER         the customer
 *   CUSTEMAIL#<email>     / CUSTEMAIL        -> customer summary (unique email; campaign look-ups)
 *   CUSTPHONE#<e164>      / CUSTPHONE        -> customer summary (inbound SMS look-ups)
 *   CUSTSEARCH#<2 chars>  / <term>#<id>      -> customer summary (prefix search)
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/clients';
import { cancelledBy } from '../shared/dynamo/transactions';
import { loadConfig } from '../shared/config';
import { batchGetAll, queryPage } from '../shared/dynamo/batches';
import { ConflictError, NotFoundError } from '../shared/errors';
import { isConditionFailure } from '../shared/dynamo/conditions';
import type { Page } from '../shared/pagination';
import {
  DEFAULT_QUIET_HOURS,
  normalizeEmail,
  normalizeSearchQuery,
  searchBucket,
  searchTerms,
  type Customer,
  type CustomerInput,
  type CustomerPatch,
  type Store,
  type StoreInput,
} from './rules';

const config = () => loadConfig('table');
const tableName = () => config().table;

const storeKey = (storeId: string) => ({ pk: `STORE#${storeId}`, sk: 'STORE' });
const storePhoneKey = (phone: string) => ({ pk: `STOREPHONE#${phone}`, sk: 'STOREPHONE' });
const customerKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' });
const emailKey = (email: string) => ({ pk: `CUSTEMAIL#${normalizeEmail(email)}`, sk: 'CUSTEMAIL' });
const phoneKey = (phone: string) => ({ pk: `CUSTPHONE#${phone}`, sk: 'CUSTPHONE' });
const searchKey = (term: string, customerId: string) => ({
  pk: `CUSTSEARCH#${searchBucket(term)}`,
  sk: `${term}#${customerId}`,
});

const STORE_FIELDS = [
  'storeId',
  'name',
  'timezone',
  'country',
  'phoneNumber',
  'currency',
  'helpText',
  'quietHours',
  'createdAt',
  'updatedAt',
] as const;
const STORES_PK = 'STORES';
const CUSTOMER_FIELDS = ['customerId', 'email', 'phone', 'firstName', 'lastName', 'createdAt'] as const;

function pick<T>(item: Record<string, unknown> | undefined, fields: readonly string[]): T | undefined {
  if (!item) return undefined;
  return Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as T;
}

// ── stores ─────────────────────────────────────────────────────────────────────────────────

/** A stored store as read: quiet hours absent on the item (never set) read as the default. */
function toStore(item: Record<string, unknown> | undefined): Store | undefined {
  const store = pick<Store>(item, STORE_FIELDS);
  return store && { ...store, quietHours: store.quietHours === undefined ? DEFAULT_QUIET_HOURS : store.quietHours };
}

export async function getStore(storeId: string): Promise<Store | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storeKey(storeId) }));
  return toStore(out.Item);
}

/** Many stores by id (campaign details ask which store ids are registered). */
export async function getStores(storeIds: readonly string[]): Promise<Map<string, Store>> {
  const items = await batchGetAll(tableName(), [...new Set(storeIds)].map(storeKey));
  return new Map(items.map((item) => toStore(item)!).map((store) => [store.storeId, store]));
}

/** Every store, by id, paged (`GET /stores` for admins). */
export async function listStores(limit: number, cursor?: string): Promise<Page<Store>> {
  const page = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': STORES_PK },
    },
    { limit, cursor, partition: { gsi1pk: STORES_PK } },
  );
  return { items: page.items.map((item) => toStore(item)!), nextCursor: page.nextCursor };
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
export async function putStore(
  storeId: string,
  input: StoreInput,
  now: Date,
): Promise<{ store: Store; created: boolean }> {
  const existing = await getStore(storeId);
  const store: Store = {
    ...input,
    storeId,
    quietHours: input.quietHours === undefined ? DEFAULT_QUIET_HOURS : input.quietHours,
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...storeKey(storeId), ...store, type: 'store', gsi1pk: STORES_PK, gsi1sk: storeId },
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
    if (cancelledBy(error, 'ConditionalCheckFailed', 1))
      throw new ConflictError(`Phone number ${store.phoneNumber} already belongs to another store.`);
    if (cancelledBy(error, 'ConditionalCheckFailed', 0))
      throw new ConflictError(`Store ${storeId} was changed at the same time; try again.`);
    throw error;
  }
  return { store, created: !existing };
}

// ── customers ──────────────────────────────────────────────────────────────────────────────

/** The customer, unless unknown or being erased (an erasure answers as if it were gone already). */
export async function getCustomer(
  customerId: string,
  options: { consistent?: boolean } = {},
): Promise<Customer | undefined> {
  const out = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: customerKey(customerId),
      ConsistentRead: options.consistent ?? false,
    }),
  );
  if (!out.Item || out.Item.erasing) return undefined;
  return pick<Customer>(out.Item, CUSTOMER_FIELDS);
}

/**
 * Changes a customer's email, phone or names, in one transaction with everything that finds the
 * customer by them: a new email or phone look-up is written under a condition (taken by another
 * customer → 409) and the old one deleted; search entries no longer true are deleted and the
 * others rewritten with the new summary. The customer item is guarded on the email and phone it
 * was read with, so two concurrent edits cannot leave a look-up pointing at the wrong values.
 */
export async function updateCustomer(customerId: string, patch: CustomerPatch): Promise<Customer> {
  const current = await getCustomer(customerId, { consistent: true });
  if (!current) throw new NotFoundError(`There is no customer ${customerId}.`);
  const next: Customer = { ...current, ...patch, ...(patch.email ? { email: normalizeEmail(patch.email) } : {}) };
  const summary = { ...next, type: 'customerRef' };
  const guard = (field: 'email' | 'phone') =>
    current[field] === undefined ? `attribute_not_exists(${field})` : `${field} = :old_${field}`;
  const writes: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...customerKey(customerId), ...next, type: 'customer' },
        ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(erasing) AND ${guard('email')} AND ${guard('phone')}`,
        ExpressionAttributeValues: {
          ...(current.email !== undefined ? { ':old_email': current.email } : {}),
          ...(current.phone !== undefined ? { ':old_phone': current.phone } : {}),
        },
      },
    },
  ];
  const taken = new Map<number, string>();
  const lookup = (
    key: Record<string, string>,
    previous: string | undefined,
    value: string | undefined,
    what: string,
  ) => {
    if (value === undefined) return;
    if (previous !== value) taken.set(writes.length, `The ${what} ${value} already belongs to another customer.`);
    writes.push({
      Put: {
        TableName: tableName(),
        Item: { ...key, ...summary },
        ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
        ExpressionAttributeValues: { ':id': customerId },
      },
    });
  };
  lookup(next.email ? emailKey(next.email) : {}, current.email, next.email, 'email');
  lookup(next.phone ? phoneKey(next.phone) : {}, current.phone, next.phone, 'phone');
  if (current.email && current.email !== next.email)
    writes.push({ Delete: { TableName: tableName(), Key: emailKey(current.email) } });
  if (current.phone && current.phone !== next.phone)
    writes.push({ Delete: { TableName: tableName(), Key: phoneKey(current.phone) } });
  const terms = new Set(searchTerms(next));
  for (const term of searchTerms(current)) {
    if (!terms.has(term)) writes.push({ Delete: { TableName: tableName(), Key: searchKey(term, customerId) } });
  }
  for (const term of terms)
    writes.push({ Put: { TableName: tableName(), Item: { ...searchKey(term, customerId), ...summary } } });
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: writes }));
  } catch (error) {
    for (const [index, detail] of taken)
      if (cancelledBy(error, 'ConditionalCheckFailed', index)) throw new ConflictError(detail);
    if (cancelledBy(error, 'ConditionalCheckFailed', 0))
      throw new ConflictError(`Customer ${customerId} was changed at the same time; try again.`);
    throw error;
  }
  return next;
}

/**
 * Marks a customer as being erased: reads answer 404 from now on and no edit can bring the
 * customer back. `started` the first time, `erasing` when it was marked already (a repeated
 * DELETE), `unknown` when no such customer exists.
 */
export async function markCustomerErasing(customerId: string, at: Date): Promise<'started' | 'erasing' | 'unknown'> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: customerKey(customerId),
        UpdateExpression: 'SET erasing = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasing)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
    return 'started';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const out = await documentClient.send(
      new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }),
    );
    return out.Item ? 'erasing' : 'unknown';
  }
}

/** The customer's item as stored, erasing or not: what the eraser needs to find the rest. */
export async function customerForErasure(customerId: string): Promise<Customer | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }),
  );
  return pick<Customer>(out.Item, CUSTOMER_FIELDS);
}

/**
 * Deletes the customer's look-ups and search entries (while they still point at this customer):
 * the first step of an erasure, after which nothing finds the customer by email, phone or name.
 */
export async function deleteCustomerLookups(customer: Customer): Promise<void> {
  const own = {
    ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
    ExpressionAttributeValues: { ':id': customer.customerId },
  };
  const deletes = [
    ...(customer.email ? [emailKey(customer.email)] : []),
    ...(customer.phone ? [phoneKey(customer.phone)] : []),
    ...searchTerms(customer).map((term) => searchKey(term, customer.customerId)),
  ];
  for (const Key of deletes) {
    await documentClient.send(new DeleteCommand({ TableName: tableName(), Key, ...own })).catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
  }
}

/** The last step of an erasure: the look-ups once more (an edit may have raced), then the customer item. */
export async function deleteCustomerRecords(customer: Customer): Promise<void> {
  await deleteCustomerLookups(customer);
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: customerKey(customer.customerId) }));
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

async function batchGetCustomers(
  keys: Record<string, string>[],
  keyOf: (c: Customer) => string,
): Promise<Map<string, Customer>> {
  const items = await batchGetAll(tableName(), keys, { concurrency: LOOKUP_CONCURRENCY });
  return new Map(
    items.map((item) => pick<Customer>(item, CUSTOMER_FIELDS)!).map((customer) => [keyOf(customer), customer]),
  );
}

function customerWrites(customer: Customer): NonNullable<TransactWriteCommandInput['TransactItems']> {
  const summary = { ...customer, type: 'customerRef' };
  const writes: NonNullable<TransactWriteCommandInput['TransactItems']> = [
    {
      Put: {
        TableName: tableName(),
        Item: { ...customerKey(customer.customerId), ...customer, type: 'customer' },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  if (customer.email) {
    writes.push({
      Put: {
        TableName: tableName(),
        Item: { ...emailKey(customer.email), ...summary },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  if (customer.phone) {
    writes.push({
      Put: {
        TableName: tableName(),
        Item: { ...phoneKey(customer.phone), ...summary },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
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
  const customer: Customer = {
    customerId: randomUUID(),
    ...input,
    email: normalizeEmail(input.email),
    createdAt: now.toISOString(),
  };
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: customerWrites(customer) }));
    return { status: 'created', customer };
  } catch (error) {
    if (cancelledBy(error, 'ConditionalCheckFailed', 1)) {
      const existing = await findCustomerByEmail(customer.email!);
      if (existing) return { status: 'existing', customer: existing };
    }
    if (customer.phone && cancelledBy(error, 'ConditionalCheckFailed', 2))
      throw new ConflictError(`Phone ${customer.phone} already belongs to another customer.`);
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
    const customer = pick<Customer>(item, CUSTOMER_FIELDS);
    if (customer && !seen.has(customer.customerId)) {
      seen.add(customer.customerId);
      items.push(customer);
    }
  }
  return { items, nextCursor: page.nextCursor };
}
