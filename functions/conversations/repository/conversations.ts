/**
 * Conversation items: opening (one per store and customer), membership (My Inbox), read markers,
 * the inbox queries and unread totals, and moving between the active and archived views.
 * Keys: ./keys.ts.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { loadConfig } from '../../shared/config';
import { batchGetAll, queryAll, queryPage } from '../../shared/dynamo/batches';
import { duePages } from '../../shared/dynamo/due-sweep';
import {
  isConditionFailure,
  isTransactionConflict,
  RETRY,
  transactIfUnchanged,
  withContentionRetry,
} from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { cancelledBy } from '../../shared/dynamo/transactions';
import type { Customer } from '../../stores/rules';
import type { Conversation } from '../model';
import { ACTIVITY_SHARDS, activityShard, archiveCutoff, type OptInState } from '../rules';
import { ledgerPut, suppressedStores } from './consent';
import {
  activityPk,
  activitySk,
  bucketOf,
  convKey,
  customerConversationKey,
  customerConversationsPk,
  pairKey,
  READER_PREFIX,
  readerKey,
  storeInboxPk,
  storeReadKey,
  storeTotalKey,
  userInboxPk,
  type Bucket,
} from './keys';

export const tableName = () => loadConfig('table').table;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** `ADD` of counters on one item (zero deltas left out); undefined when there is nothing to add. */
export function addTo(key: Item, values: Record<string, number>): TransactItem | undefined {
  const entries = Object.entries(values).filter(([, v]) => v !== 0);
  if (entries.length === 0) return undefined;
  return {
    Update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#a${i} :a${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:a${i}`, value])),
    },
  };
}

export function toConversation(item: Item): Conversation {
  const last = item.lastMessage as (Conversation['lastMessage'] & { statusRank?: number }) | undefined;
  return {
    conversationId: item.conversationId as string,
    storeId: item.storeId as string,
    customerId: item.customerId as string,
    customer: (item.customer as Conversation['customer']) ?? {},
    optIn: item.optIn as OptInState,
    lastActivityAt: item.lastActivityAt as string,
    archived: Boolean(item.archived),
    createdAt: item.createdAt as string,
    inboundCount: Number(item.inboundCount ?? 0),
    ...(item.lastInboundAt ? { lastInboundAt: item.lastInboundAt as string } : {}),
    ...(last
      ? {
          lastMessage: {
            messageId: last.messageId,
            direction: last.direction,
            status: last.status,
            at: last.at,
            ...(last.errorCode ? { errorCode: last.errorCode } : {}),
          },
        }
      : {}),
  };
}

export async function getConversation(conversationId: string): Promise<Conversation | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: convKey(conversationId), ConsistentRead: true }),
  );
  return out.Item ? toConversation(out.Item) : undefined;
}

async function getConversations(ids: readonly string[]): Promise<Map<string, Conversation>> {
  const items = await batchGetAll(tableName(), ids.map(convKey));
  return new Map(items.map(toConversation).map((c) => [c.conversationId, c]));
}

const customerSummary = (c: Pick<Customer, 'firstName' | 'lastName' | 'phone'>): Conversation['customer'] => ({
  ...(c.firstName ? { firstName: c.firstName } : {}),
  ...(c.lastName ? { lastName: c.lastName } : {}),
  ...(c.phone ? { phone: c.phone } : {}),
});

/**
 * The store's one conversation with this customer: created with the (store, customer) item
 * under a condition, so two associates (or two inbound messages) opening it at once end with one.
 */
export async function openConversation(input: {
  storeId: string;
  customer: Customer;
  now: Date;
}): Promise<{ conversation: Conversation; created: boolean }> {
  const pair = pairKey(input.storeId, input.customer.customerId);
  const existing = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: pair, ConsistentRead: true }),
  );
  if (existing.Item)
    return { conversation: (await getConversation(existing.Item.conversationId as string))!, created: false };

  const conversationId = randomUUID();
  const at = input.now.toISOString();
  // A number erased while opted out at this store stays opted out: the new conversation starts
  // there, and the customer's new ledger says why.
  const suppressed = input.customer.phone ? (await suppressedStores(input.customer.phone)).has(input.storeId) : false;
  const conversation: Conversation = {
    conversationId,
    storeId: input.storeId,
    customerId: input.customer.customerId,
    customer: customerSummary(input.customer),
    optIn: suppressed ? 'OPTED_OUT' : 'NONE',
    lastActivityAt: at,
    archived: false,
    createdAt: at,
    inboundCount: 0,
  };
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...pair, conversationId, type: 'conversationPair' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...customerConversationKey(input.customer.customerId, input.storeId),
                conversationId,
                storeId: input.storeId,
                type: 'customerConversation',
              },
            },
          },
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...convKey(conversationId),
                ...conversation,
                type: 'conversation',
                gsi1pk: storeInboxPk(input.storeId, 'ACTIVE'),
                gsi1sk: activitySk(at, conversationId),
                gsi3pk: activityPk(activityShard(conversationId)),
                gsi3sk: activitySk(at, conversationId),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(suppressed ? [ledgerPut(conversation, { from: 'NONE', to: 'OPTED_OUT', source: 'ERASURE', at })] : []),
        ],
      }),
    );
    return { conversation, created: true };
  } catch (error) {
    // Another opening took the (store, customer) item first, or holds it right now: theirs is the one.
    if (cancelledBy(error, 'ConditionalCheckFailed', 0) || isTransactionConflict(error)) {
      const winner = await documentClient.send(
        new GetCommand({ TableName: tableName(), Key: pair, ConsistentRead: true }),
      );
      if (winner.Item)
        return { conversation: (await getConversation(winner.Item.conversationId as string))!, created: false };
    }
    throw error;
  }
}

/** The customer's conversations, one per store (a customer's edits and erasure reach them all). */
export async function customerConversations(
  customerId: string,
): Promise<Array<{ conversationId: string; storeId: string }>> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': customerConversationsPk(customerId) },
    ConsistentRead: true,
  });
  return items.map((i) => ({ conversationId: i.conversationId as string, storeId: i.storeId as string }));
}

/** Keeps the conversations' copy of the customer's name and phone in step with the customer (after an edit). */
export async function refreshCustomerSummary(customer: Customer): Promise<void> {
  for (const { conversationId } of await customerConversations(customer.customerId)) {
    await documentClient
      .send(
        new UpdateCommand({
          TableName: tableName(),
          Key: convKey(conversationId),
          UpdateExpression: 'SET customer = :summary',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':summary': customerSummary(customer) },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
}

// ── readers and members ────────────────────────────────────────────────────────────────────

interface Reader {
  userId: string;
  readInbound: number;
  member: boolean;
  bucket: Bucket;
}

const toReader = (item: Item): Reader => ({
  userId: item.userId as string,
  readInbound: Number(item.readInbound ?? 0),
  member: item.member === true,
  bucket: (item.bucket as Bucket | undefined) ?? 'ACTIVE',
});

async function getReader(conversationId: string, userId: string): Promise<Reader | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: readerKey(conversationId, userId), ConsistentRead: true }),
  );
  return out.Item ? toReader(out.Item) : undefined;
}

async function listReaders(conversationId: string): Promise<Reader[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': convKey(conversationId).pk, ':prefix': READER_PREFIX },
    ConsistentRead: true,
  });
  return items.map(toReader);
}

/**
 * Puts the conversation in the user's My Inbox: one item, idempotent, whatever the conversation's
 * size. A new marker starts at 0 read, in the conversation's current view.
 */
export async function joinConversation(
  conversation: Pick<Conversation, 'conversationId' | 'storeId' | 'archived'>,
  userId: string,
): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: readerKey(conversation.conversationId, userId),
      UpdateExpression:
        'SET #member = :true, userId = :user, conversationId = :id, storeId = :store, gsi2pk = :g2pk, gsi2sk = :id, #type = :type, ' +
        'readInbound = if_not_exists(readInbound, :zero), #bucket = if_not_exists(#bucket, :bucket)',
      ExpressionAttributeNames: { '#member': 'member', '#bucket': 'bucket', '#type': 'type' },
      ExpressionAttributeValues: {
        ':true': true,
        ':user': userId,
        ':id': conversation.conversationId,
        ':store': conversation.storeId,
        ':g2pk': userInboxPk(conversation.storeId, userId),
        ':type': 'conversationReader',
        ':zero': 0,
        ':bucket': bucketOf(conversation.archived),
      },
    }),
  );
}

/**
 * Brings one reader's marker into the conversation's current view, carrying its read count from
 * one store sum to the other (one small transaction per reader, so no move grows with readers).
 */
async function moveReader(conversation: Conversation, reader: Reader, to: Bucket): Promise<boolean> {
  if (reader.bucket === to) return true;
  return transactIfUnchanged([
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

// ── inboxes ────────────────────────────────────────────────────────────────────────────────

export async function listStoreInbox(
  storeId: string,
  archived: boolean,
  limit: number,
  cursor?: string,
): Promise<Page<Conversation>> {
  const pk = storeInboxPk(storeId, bucketOf(archived));
  const page = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
    },
    { limit, cursor, partition: { gsi1pk: pk } },
  );
  return { items: page.items.map(toConversation), nextCursor: page.nextCursor };
}

/**
 * Every conversation of the user's My Inbox with the user's read marker. Membership items do not
 * move when a message arrives (no write per member), so the order by activity is computed here
 * from the conversations themselves: one query of the user's memberships and one batch read.
 */
export async function memberConversations(
  storeId: string,
  userId: string,
): Promise<Array<{ conversation: Conversation; readInbound: number }>> {
  const memberships = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': userInboxPk(storeId, userId) },
  });
  const conversations = await getConversations(memberships.map((m) => m.conversationId as string));
  const markers = await readMarkers([...conversations.keys()], userId);
  return [...conversations.values()].map((conversation) => ({
    conversation,
    readInbound: markers.get(conversation.conversationId) ?? 0,
  }));
}

// ── archiving ──────────────────────────────────────────────────────────────────────────────

/**
 * Moves a conversation between the active and archived views. First the conversation and the
 * store's inbound sums, in one transaction that holds only if no message arrived meanwhile; then
 * each reader's marker and read sum, one small transaction per reader (moveReader). A crash between
 * the two leaves some markers in the old view: markRead and the next move bring them along.
 * Returns false when the conversation changed meanwhile.
 */
export async function moveBucket(conversation: Conversation, to: Bucket): Promise<boolean> {
  const from = bucketOf(conversation.archived);
  const id = conversation.conversationId;
  if (from !== to) {
    const n = conversation.inboundCount;
    const sortKey = activitySk(conversation.lastActivityAt, id);
    const moved = await transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: convKey(id),
          UpdateExpression:
            to === 'ARCHIVED'
              ? 'SET archived = :archived, gsi1pk = :g1pk REMOVE gsi3pk, gsi3sk'
              : 'SET archived = :archived, gsi1pk = :g1pk, gsi3pk = :g3pk, gsi3sk = :g3sk',
          ConditionExpression: 'archived = :was AND inboundCount = :n AND lastActivityAt = :at',
          ExpressionAttributeValues: {
            ':archived': to === 'ARCHIVED',
            ':was': from === 'ARCHIVED',
            ':n': n,
            ':at': conversation.lastActivityAt,
            ':g1pk': storeInboxPk(conversation.storeId, to),
            ...(to === 'ACTIVE' ? { ':g3pk': activityPk(activityShard(id)), ':g3sk': sortKey } : {}),
          },
        },
      },
      addTo(storeTotalKey(conversation.storeId, from, activityShard(id)), { inbound: -n }),
      addTo(storeTotalKey(conversation.storeId, to, activityShard(id)), { inbound: n }),
    ]);
    if (!moved) return false;
  }
  const moved = { ...conversation, archived: to === 'ARCHIVED' };
  for (const reader of await listReaders(id)) {
    if (reader.bucket !== to) await moveReader(moved, reader, to);
  }
  return true;
}

/**
 * Archives every conversation whose last activity is before the 4-month cutoff. Reads only the
 * due entries of the last-activity index (one query per shard, oldest first, stopping at the
 * cutoff) and re-checks each conversation before moving it.
 */
export async function archiveInactive(now: Date): Promise<{ archived: number; skipped: number }> {
  const cutoff = archiveCutoff(now).toISOString();
  let archived = 0;
  let skipped = 0;
  const due = duePages({
    index: 'gsi3',
    shards: ACTIVITY_SHARDS,
    shardKey: activityPk,
    sortKeyCondition: 'gsi3sk < :cutoff',
    values: { ':cutoff': cutoff },
  });
  for await (const items of due) {
    for (const item of items) {
      const conversation = await getConversation(item.conversationId as string);
      if (!conversation || conversation.archived || conversation.lastActivityAt >= cutoff) {
        skipped++;
        continue;
      }
      if (await moveBucket(conversation, 'ARCHIVED')) archived++;
      else skipped++;
    }
  }
  return { archived, skipped };
}
