/**
 * Customer items: the customer with its email and phone look-ups and search entries, written
 * together in one transaction whose conditions keep email and phone unique (keys: ./keys.ts).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { withContentionRetry } from '../../shared/dynamo/conditions';
import { transactNamed, type NamedItems } from '../../shared/dynamo/transactions';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { Customer } from '../model';
import { type CustomerInput, type CustomerPatch, normalizeEmail, searchTerms } from '../rules';
import { customerKey, emailKey, phoneKey, searchKey } from './keys';
import { toCustomer } from './items';
import { findCustomerByEmail, findCustomerByPhone } from './lookups';
import { putIfAbsent, tableName, type TransactItem } from '../../shared/dynamo/table';

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
  const items: Record<string, TransactItem | undefined> = {
    customer: {
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
  };
  const taken: Partial<Record<'email' | 'phone', string>> = {};
  const lookup = (
    name: 'email' | 'phone',
    key: Record<string, string>,
    previous: string | undefined,
    value: string | undefined,
  ) => {
    if (value === undefined) return;
    if (previous !== value) taken[name] = `The ${name} ${value} already belongs to another customer.`;
    items[name] = {
      Put: {
        TableName: tableName(),
        Item: { ...key, ...summary },
        ConditionExpression: 'attribute_not_exists(pk) OR customerId = :id',
        ExpressionAttributeValues: { ':id': customerId },
      },
    };
  };
  lookup('email', next.email ? emailKey(next.email) : {}, current.email, next.email);
  lookup('phone', next.phone ? phoneKey(next.phone) : {}, current.phone, next.phone);
  if (current.email && current.email !== next.email)
    items.oldEmail = { Delete: { TableName: tableName(), Key: emailKey(current.email) } };
  if (current.phone && current.phone !== next.phone)
    items.oldPhone = { Delete: { TableName: tableName(), Key: phoneKey(current.phone) } };
  const terms = new Set(searchTerms(next));
  for (const term of searchTerms(current)) {
    if (!terms.has(term))
      items[`unsearch:${term}`] = { Delete: { TableName: tableName(), Key: searchKey(term, customerId) } };
  }
  for (const term of terms)
    items[`search:${term}`] = { Put: { TableName: tableName(), Item: { ...searchKey(term, customerId), ...summary } } };
  const cancelled = await transactNamed(items);
  if (cancelled) {
    for (const [name, detail] of Object.entries(taken)) if (cancelled.has(name)) throw new ConflictError(detail);
    if (cancelled.has('customer'))
      throw new ConflictError(`Customer ${customerId} was changed at the same time; try again.`);
    throw cancelled.error;
  }
  return next;
}

/** A new customer's items, by name: the customer, its email look-up, its phone look-up, its search entries. */
function customerWrites(customer: Customer): NamedItems<string> {
  const summary = { ...customer, type: 'customerRef' };
  return {
    customer: putIfAbsent({ ...customerKey(customer.customerId), ...customer, type: 'customer' }),
    email: customer.email ? putIfAbsent({ ...emailKey(customer.email), ...summary }) : undefined,
    phone: customer.phone ? putIfAbsent({ ...phoneKey(customer.phone), ...summary }) : undefined,
    ...Object.fromEntries(
      searchTerms(customer).map((term) => [
        `search:${term}`,
        { Put: { TableName: tableName(), Item: { ...searchKey(term, customer.customerId), ...summary } } },
      ]),
    ),
  };
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
    const cancelled = await transactNamed(customerWrites(customer));
    if (!cancelled) return { status: 'created', customer };
    if (cancelled.has('email')) {
      const existing = await findCustomerByEmail(customer.email!);
      if (existing) return { status: 'existing', customer: existing };
    }
    if (cancelled.has('phone')) throw new ConflictError(`Phone ${customer.phone} already belongs to another customer.`);
    throw cancelled.error;
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
    const cancelled = await transactNamed(customerWrites(customer));
    if (!cancelled) return customer;
    const winner = cancelled.has('phone') ? await findCustomerByPhone(phone) : undefined;
    if (winner) return winner;
    throw cancelled.error;
  });
}
