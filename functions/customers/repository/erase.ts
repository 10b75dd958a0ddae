/**
 * Erasure of what stores wrote about a customer (keys: ./keys.ts): every store's notes and tags
 * sit in the customer's one partition, so one query (paged) finds them all and BatchWriteItem
 * deletes them. The tags' copies on conversations go with the conversations
 * (functions/conversations/repository/erasure.ts).
 */
import { batchWriteAll, queryPages } from '../../shared/dynamo/batches';
import { tableName } from '../../shared/dynamo/table';
import { customerNotesPk } from './keys';

/** Deletes every store's notes and tags of the customer; answers how many items went. */
export async function eraseNotesAndTags(customerId: string): Promise<number> {
  let erased = 0;
  for await (const page of queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': customerNotesPk(customerId) },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  })) {
    await batchWriteAll(
      tableName(),
      page.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    );
    erased += page.length;
  }
  return erased;
}
