/** Reading stored items back into the capability's types: only the named fields, never keys or markers. */
import type { Customer } from '../model';

export function pick<T>(item: Record<string, unknown> | undefined, fields: readonly string[]): T | undefined {
  if (!item) return undefined;
  return Object.fromEntries(fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as T;
}

const CUSTOMER_FIELDS = ['customerId', 'email', 'phone', 'firstName', 'lastName', 'createdAt'] as const;

/** A customer, its look-ups and its search entries all read as the customer (they carry its summary). */
export const toCustomer = (item: Record<string, unknown> | undefined) => pick<Customer>(item, CUSTOMER_FIELDS);
