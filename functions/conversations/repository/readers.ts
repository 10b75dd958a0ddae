/**
 * Readers: each user's read marker, and the unread totals kept as store sums (keys.ts explains
 * the arithmetic). Keys: ./keys.ts.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, queryAll } from '../../shared/dynamo/batches';
import { RETRY, transactIfUnchanged, withContentionRetry } from '../../shared/dynamo/conditions';
import type { Conversation } from '../model';
import { ACTIVITY_SHARDS } from '../rules';
import { getConversation } from './conversations';
import { bucketOf, convKey, READER_PREFIX, readerKey, storeReadKey, storeTotalKey, type Bucket } from './keys';
import { addTo } from './table';
import { tableName, type Item } from '../../shared/dynamo/table';

export interface Reader {
  userId: string;
  readInbound: number;
  bucket: Bucket;
}

const toReader = (item: Item): Reader => ({
  userId: item.userId as string,
  readInbound: Number(item.readInbound ?? 0),
  bucket: (item.bucket as Bucket | undefined) ?? 'ACTIVE',
});

async function getReader(conversationId: string, userId: string): Promise<Reader | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: readerKey(conversationId, userId), ConsistentRead: true }),
  );
  return out.Item ? toReader(out.Item) : undefined;
}

export async function listReaders(conversationId: string): Promise<Reader[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': convKey(conversationId).pk, ':prefix': READER_PREFIX },
    ConsistentRead: true,
  });
  return items.map(toReader);
}

/**
 * Brings one reader's marker into the conversation's view `to`, carrying its read count from one
 * store sum to the other: one small transaction, held only while the conversation is in that view
 * and the marker unchanged (docs/delivery-guarantees.md, "Unread counts"). The stream's follow-up
 * of a move (archive.ts, bringReadersAlong) and markRead call it.
 */
export async function moveReader(conversation: Conversation, reader: Reader, to: Bucket): Promise<boolean> {
  if (reader.bucket === to) return true;
  return transactIfUnchanged([
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: convKey(conversation.conversationId),
        ConditionExpression: 'archived = :archived',
        ExpressionAttributeValues: { ':archived': to === 'ARCHIVED' },
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: readerKey(conversation.conversationId, reader.userId),
        UpdateExpression: 'SET #bucket = :to',
        ConditionExpression: '(#bucket = :from OR attribute_not_exists(#bucket)) AND readInbound = :read',
        ExpressionAttributeNames: { '#bucket': 'bucket' },
        ExpressionAttributeValues: { ':to': to, ':from': reader.bucket, ':read': reader.readInbound },
      },
    },
    addTo(storeReadKey(conversation.storeId, reader.userId, reader.bucket), { read: -reader.readInbound }),
    addTo(storeReadKey(conversation.storeId, reader.userId, to), { read: reader.readInbound }),
  ]);
}

/** Sets the user's read marker to every customer message so far. */
export async function markRead(conversationId: string, userId: string): Promise<void> {
  await withContentionRetry(async () => {
    const [conversation, reader] = await Promise.all([
      getConversation(conversationId),
      getReader(conversationId, userId),
    ]);
    if (!conversation) return undefined;
    const bucket = bucketOf(conversation.archived);
    if (reader && reader.bucket !== bucket) {
      await moveReader(conversation, reader, bucket);
      return RETRY;
    }
    const previous = reader?.readInbound ?? 0;
    const delta = conversation.inboundCount - previous;
    if (delta <= 0 && reader) return undefined;
    const written = await transactIfUnchanged([
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: convKey(conversationId),
          ConditionExpression: 'archived = :archived AND inboundCount >= :count',
          ExpressionAttributeValues: { ':archived': conversation.archived, ':count': conversation.inboundCount },
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: readerKey(conversationId, userId),
          UpdateExpression:
            'SET readInbound = :read, userId = :user, conversationId = :id, storeId = :store, #bucket = :bucket, #type = :type',
          ConditionExpression: reader ? 'readInbound = :previous AND #bucket = :bucket' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#bucket': 'bucket', '#type': 'type' },
          ExpressionAttributeValues: {
            ':read': conversation.inboundCount,
            ':user': userId,
            ':id': conversationId,
            ':store': conversation.storeId,
            ':bucket': bucket,
            ':type': 'conversationReader',
            ...(reader ? { ':previous': previous } : {}),
          },
        },
      },
      addTo(storeReadKey(conversation.storeId, userId, bucket), { read: delta }),
    ]);
    return written ? undefined : RETRY;
  });
}

/** The user's read markers for these conversations (a page of an inbox). */
export async function readMarkers(conversationIds: readonly string[], userId: string): Promise<Map<string, number>> {
  const items = await batchGetAll(
    tableName(),
    conversationIds.map((id) => readerKey(id, userId)),
  );
  return new Map(items.map((item) => [item.conversationId as string, Number(item.readInbound ?? 0)]));
}

/** Σ inbound (its shards) − Σ read over the store's conversations in one view (keys.ts); a marker never exceeds its conversation's count. */
export async function storeUnreadTotal(storeId: string, userId: string, archived: boolean): Promise<number> {
  const bucket = bucketOf(archived);
  const shards = Array.from({ length: ACTIVITY_SHARDS }, (_, shard) => storeTotalKey(storeId, bucket, shard));
  const items = await batchGetAll(tableName(), [...shards, storeReadKey(storeId, userId, bucket)]);
  const readSk = storeReadKey(storeId, userId, bucket).sk;
  const inbound = items.filter((i) => i.sk !== readSk).reduce((sum, i) => sum + Number(i.inbound ?? 0), 0);
  const read = Number(items.find((i) => i.sk === readSk)?.read ?? 0);
  return Math.max(0, inbound - read);
}
