/**
 * Customer items: the customer with its email and phone look-ups and search entries, written
 * together in one transaction whose conditions keep email and phone unique (keys: ./keys.ts).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { loadConfig } from '../../shared/config';
import { withContentionRetry } from '../../shared/dynamo/conditions';
import { cancelledBy } from '../../shared/dynamo/transactions';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { Customer } from '../model';
import { type CustomerInput, type CustomerPatch, normalizeEmail, searchTerms } from '../rules';
import { customerKey, emailKey, phoneKey, searchKey } from './keys';
import { toCustomer } from './items';
import { findCustomerByEmail, findCustomerByPhone } from './lookups';

const tableName = () => loadConfig('table').table;

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

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
  return toCustomer(out.Item);
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
  const writes: TransactItems = [
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

/** A new customer's items, in this order: the customer, its email look-up, its phone look-up, its search entries. */
function customerWrites(customer: Customer): TransactItems {
  const summary = { ...customer, type: 'customerRef' };
  const writes: TransactItems = [
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
  // A transaction conflict (another create holding the same look-up, say) decides nothing: try again.
  return withContentionRetry(async () => {
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
  });
}

/**
 * The customer who texted from this number, created with only the phone when unknown.
 * Two messages racing from a new number end with one customer.
 */
export async function ensureCustomerByPhone(phone: string, now: Date): Promise<Customer> {
  const known = await findCustomerByPhone(phone);
  if (known) return known;
  const customer: Customer = { customerId: randomUUID(), phone, createdAt: now.toISOString() };
  return withContentionRetry(async () => {
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: customerWrites(customer) }));
      return customer;
    } catch (error) {
      const winner = cancelledBy(error, 'ConditionalCheckFailed', 1) ? await findCustomerByPhone(phone) : undefined;
      if (winner) return winner;
      throw error;
    }
  });
}
