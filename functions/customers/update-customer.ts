/**
 * Changing a customer (`PATCH /customers/{id}`): the record first, then what shows it elsewhere.
 * Lives in the customers room because it reaches into conversations, which sit above the stores
 * room that keeps the record (docs/architecture.md, "Capabilities").
 */
import { refreshCustomerSummary } from '../conversations/repository';
import type { Customer } from '../stores/model';
import { updateCustomer } from '../stores/repository';
import type { CustomerPatch } from '../stores/rules';

/**
 * 1. The customer item, its look-ups and search entries (the stores repository).
 * 2. The customer's summary on their conversations: they show (and text) the current name and phone.
 */
export async function changeCustomer(customerId: string, patch: CustomerPatch): Promise<Customer> {
  const customer = await updateCustomer(customerId, patch);
  await refreshCustomerSummary(customer);
  return customer;
}
