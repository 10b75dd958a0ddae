/**
 * A store's tags for a customer (keys: ./keys.ts), and their copy on the store's conversation with
 * the customer, which the inbox's `?tag=` filter reads (docs/rules.md, "Notes and tags"). Setting
 * them writes both in one transaction, so the two never disagree; the read of a customer by a
 * store user fetches the tags in the same BatchGetItem as its links (docs/architecture.md, "Budgets").
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll } from '../../shared/dynamo/batches';
import { isConditionFailure, RETRY, withContentionRetry } from '../../shared/dynamo/conditions';
import { tableName } from '../../shared/dynamo/table';
import { conversationIdFor, conversationTagsUpdate } from '../../conversations/repository';
import { pairKey } from '../../conversations/repository/keys';
import { openOutreachKey } from '../../campaigns/repository/keys';
import { tagsKey } from './keys';

/**
 * Replaces the store's tags for the customer (none: the item is deleted) and the copy on their
 * conversation there, if there is one:
 * 1. the conversation's id, from the (store, customer) item;
 * 2. one transaction: the tags item and the conversation's copy. A conversation erased in between
 *    fails its condition; the attempt reads again (and then finds none).
 */
export async function setTags(customerId: string, storeId: string, tags: readonly string[]): Promise<void> {
  await withContentionRetry(async () => {
    const conversationId = await conversationIdFor(storeId, customerId);
    const own =
      tags.length > 0
        ? {
            Put: {
              TableName: tableName(),
              Item: { ...tagsKey(customerId, storeId), customerId, storeId, tags: [...tags], type: 'customerTags' },
            },
          }
        : { Delete: { TableName: tableName(), Key: tagsKey(customerId, storeId) } };
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [own, ...(conversationId ? [conversationTagsUpdate(conversationId, tags)] : [])],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return RETRY;
      throw error;
    }
  });
}

/**
 * Whether the customer is linked to the store (a conversation or an open outreach entry there,
 * as ./links.ts reads them) and the store's tags for them: one BatchGetItem of three keys.
 */
export async function storeLinkAndTags(
  storeId: string,
  customerId: string,
): Promise<{ linked: boolean; tags: string[] }> {
  const links = [pairKey(storeId, customerId), openOutreachKey(storeId, customerId)];
  const own = tagsKey(customerId, storeId);
  const found = await batchGetAll(tableName(), [...links, own]);
  const tagsItem = found.find((item) => item.pk === own.pk && item.sk === own.sk);
  return {
    linked: found.some((item) => links.some((key) => key.pk === item.pk && key.sk === item.sk)),
    tags: (tagsItem?.tags as string[] | undefined) ?? [],
  };
}
