/** A customer's erasure, as stored: the mark that hides the customer, then its items' removal (keys: ./keys.ts). */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { tableName } from '../../shared/dynamo/table';
import { isConditionFailure, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Customer } from '../model';
import { searchTerms } from '../rules';
import { customerKey, emailKey, phoneKey, searchKey } from './keys';
import { toCustomer } from './items';

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
    return (await customerForErasure(customerId)) ? 'erasing' : 'unknown';
  }
}

/** The customer's item as stored, erasing or not: what the eraser needs to find the rest. */
export async function customerForErasure(customerId: string): Promise<Customer | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: customerKey(customerId), ConsistentRead: true }),
  );
  return toCustomer(out.Item);
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
    await writeIfUnchanged(() => documentClient.send(new DeleteCommand({ TableName: tableName(), Key, ...own })));
  }
}

/** The last step of an erasure: the look-ups once more (an edit may have raced), then the customer item. */
export async function deleteCustomerRecords(customer: Customer): Promise<void> {
  await deleteCustomerLookups(customer);
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: customerKey(customer.customerId) }));
}
