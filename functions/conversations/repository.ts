/**
 * Conversations in the single table. The only file that knows their keys:
 *
 *   CONVPAIR#<store>#<customer> / CONVPAIR        -> conversationId (one conversation per store and customer)
 *   CONV#<id>       / CONV                        the conversation; gsi1 CONVSTORE#<store>#<ACTIVE|ARCHIVED> / <lastActivityAt>#<id> (store inbox)
 *                                                 and, while active, gsi3 CONVACT#<shard> / <lastActivityAt>#<id> (archive sweep)
 *   CONV#<id>       / MSG#<messageId>             a message (messageId sorts by time: newest first = reverse query)
 *   CONV#<id>       / READER#<userId>             the user's read marker (readInbound); participants (My Inbox) also carry
 *                                                 gsi2 CONVUSER#<store>#<user>#<ACTIVE|ARCHIVED> / <lastActivityAt>#<id>
 *   CONV#<id>       / OPTIN#<at>#<id>             opt-in history: every change with time and source
 *   TWSID#<sid>     / TWSID                       -> message (status callbacks; the same inbound MessageSid stored once)
 *   INBOXTOTAL#<store> / STORE#<bucket>           inbound messages of the store's conversations in that bucket
 *   INBOXTOTAL#<store> / STOREREAD#<user>#<bucket> inbound messages of those the user has read
 *   INBOXTOTAL#<store> / MINE#<user>#<bucket>     the same two sums over the user's own conversations
 *
 * Unread totals are kept as sums, so `unreadTotal` is two item reads however large the inbox:
 * Σ max(0, inbound − read) = Σ inbound − Σ read, because a marker never exceeds the inbound count.
 * Every write that changes those sums, the member set or the bucket bumps the conversation's
 * `rev` under a condition, so concurrent writers of one conversation serialize and retry.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../shared/clients';
import { cancelReasons } from '../shared/transactions';
import { loadConfig } from '../shared/config';
import { batchGetAll, queryAll, queryPage, queryPages } from '../shared/dynamo-batches';
import { ConflictError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import type { Customer } from '../stores/rules';
import type { Conversation, Message } from './outbound';
import { ACTIVITY_SHARDS, activityShard, archiveCutoff, nextOptInState, statusRank, type MessageStatus, type OptInEvent, type OptInState } from './rules';

const tableName = () => loadConfig('table').table;

type Bucket = 'ACTIVE' | 'ARCHIVED';
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;
type Item = Record<string, unknown>;

const MAX_ATTEMPTS = 8;

// ── keys ───────────────────────────────────────────────────────────────────────────────────

const convKey = (id: string) => ({ pk: `CONV#${id}`, sk: 'CONV' });
const pairKey = (storeId: string, customerId: string) => ({ pk: `CONVPAIR#${storeId}#${customerId}`, sk: 'CONVPAIR' });
const readerKey = (id: string, userId: string) => ({ pk: `CONV#${id}`, sk: `READER#${userId}` });
const messageKey = (id: string, messageId: string) => ({ pk: `CONV#${id}`, sk: `MSG#${messageId}` });
const optInKey = (id: string, at: string) => ({ pk: `CONV#${id}`, sk: `OPTIN#${at}#${randomUUID()}` });
const sidKey = (sid: string) => ({ pk: `TWSID#${sid}`, sk: 'TWSID' });
const storeTotalKey = (storeId: string, bucket: Bucket) => ({ pk: `INBOXTOTAL#${storeId}`, sk: `STORE#${bucket}` });
const storeReadKey = (storeId: string, userId: string, bucket: Bucket) => ({ pk: `INBOXTOTAL#${storeId}`, sk: `STOREREAD#${userId}#${bucket}` });
const mineTotalKey = (storeId: string, userId: string, bucket: Bucket) => ({ pk: `INBOXTOTAL#${storeId}`, sk: `MINE#${userId}#${bucket}` });

const storeInboxPk = (storeId: string, bucket: Bucket) => `CONVSTORE#${storeId}#${bucket}`;
const userInboxPk = (storeId: string, userId: string, bucket: Bucket) => `CONVUSER#${storeId}#${userId}#${bucket}`;
const activityPk = (shard: number) => `CONVACT#${shard}`;
const activitySk = (lastActivityAt: string, id: string) => `${lastActivityAt}#${id}`;
const bucketOf = (archived: boolean): Bucket => (archived ? 'ARCHIVED' : 'ACTIVE');

/** Sortable message ids: time first (fixed width), then randomness. */
export function newMessageId(now: Date): string {
  return `${now.getTime().toString(36).padStart(10, '0')}${randomBytes(6).toString('hex')}`;
}

// ── mapping ────────────────────────────────────────────────────────────────────────────────

function toConversation(item: Item): Conversation {
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
    rev: Number(item.rev ?? 0),
  };
}

const MESSAGE_FIELDS = ['messageId', 'conversationId', 'direction', 'kind', 'text', 'media', 'sentBy', 'twilioSid', 'status', 'errorCode', 'createdAt'] as const;
function toMessage(item: Item): Message {
  return Object.fromEntries(MESSAGE_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as unknown as Message;
}


const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (cancelReasons(error)?.includes('ConditionalCheckFailed') ?? false) || (cancelReasons(error)?.includes('TransactionConflict') ?? false);

async function transact(items: TransactItems): Promise<void> {
  for (let i = 0; i < items.length; i += 100) {
    await documentClient.send(new TransactWriteCommand({ TransactItems: items.slice(i, i + 100) }));
  }
}

const add = (key: Item, values: Record<string, number>): TransactItems[number] | undefined => {
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
};

const defined = <T>(items: Array<T | undefined>): T[] => items.filter((i): i is T => i !== undefined);

// ── conversations ──────────────────────────────────────────────────────────────────────────

export async function getConversation(conversationId: string): Promise<Conversation | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: convKey(conversationId), ConsistentRead: true }));
  return out.Item ? toConversation(out.Item) : undefined;
}

async function getConversationItems(ids: readonly string[]): Promise<Map<string, Conversation>> {
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
 * under a condition, so two associates opening it at once end with one conversation.
 */
export async function openConversation(input: { storeId: string; customer: Customer; now: Date }): Promise<{ conversation: Conversation; created: boolean }> {
  const pair = pairKey(input.storeId, input.customer.customerId);
  const existing = await documentClient.send(new GetCommand({ TableName: tableName(), Key: pair, ConsistentRead: true }));
  if (existing.Item) return { conversation: (await getConversation(existing.Item.conversationId as string))!, created: false };

  const conversationId = randomUUID();
  const at = input.now.toISOString();
  const conversation: Conversation = {
    conversationId,
    storeId: input.storeId,
    customerId: input.customer.customerId,
    customer: customerSummary(input.customer),
    optIn: 'NONE',
    lastActivityAt: at,
    archived: false,
    createdAt: at,
    inboundCount: 0,
    rev: 0,
  };
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName(), Item: { ...pair, conversationId, type: 'conversationPair' }, ConditionExpression: 'attribute_not_exists(pk)' } },
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
        ],
      }),
    );
    return { conversation, created: true };
  } catch (error) {
    if (cancelReasons(error)?.[0] === 'ConditionalCheckFailed') {
      const winner = await documentClient.send(new GetCommand({ TableName: tableName(), Key: pair, ConsistentRead: true }));
      if (winner.Item) return { conversation: (await getConversation(winner.Item.conversationId as string))!, created: false };
    }
    throw error;
  }
}

// ── readers and participants ───────────────────────────────────────────────────────────────

interface Reader {
  userId: string;
  readInbound: number;
  member: boolean;
}

const toReader = (item: Item): Reader => ({ userId: item.userId as string, readInbound: Number(item.readInbound ?? 0), member: item.member === true });

async function getReader(conversationId: string, userId: string): Promise<Reader | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: readerKey(conversationId, userId), ConsistentRead: true }));
  return out.Item ? toReader(out.Item) : undefined;
}

async function listReaders(conversationId: string): Promise<Reader[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': convKey(conversationId).pk, ':prefix': 'READER#' },
    ConsistentRead: true,
  });
  return items.map(toReader);
}

const bumpRev = (conversation: Conversation): TransactItems[number] => ({
  Update: {
    TableName: tableName(),
    Key: convKey(conversation.conversationId),
    UpdateExpression: 'SET #rev = :next',
    ConditionExpression: '#rev = :rev',
    ExpressionAttributeNames: { '#rev': 'rev' },
    ExpressionAttributeValues: { ':rev': conversation.rev, ':next': conversation.rev + 1 },
  },
});

/** Puts the conversation in the user's My Inbox (idempotent). */
export async function joinConversation(conversationId: string, userId: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [conversation, reader] = await Promise.all([getConversation(conversationId), getReader(conversationId, userId)]);
    if (!conversation) return;
    if (reader?.member) return;
    const bucket = bucketOf(conversation.archived);
    const readInbound = reader?.readInbound ?? 0;
    try {
      await transact(
        defined([
          bumpRev(conversation),
          {
            Update: {
              TableName: tableName(),
              Key: readerKey(conversationId, userId),
              UpdateExpression: 'SET #member = :true, userId = :user, conversationId = :id, storeId = :store, #bucket = :bucket, readInbound = :read, gsi2pk = :g2pk, gsi2sk = :g2sk, #type = :type',
              ConditionExpression: 'attribute_not_exists(#member) AND (attribute_not_exists(readInbound) OR readInbound = :read)',
              ExpressionAttributeNames: { '#member': 'member', '#bucket': 'bucket', '#type': 'type' },
              ExpressionAttributeValues: {
                ':true': true,
                ':user': userId,
                ':id': conversationId,
                ':store': conversation.storeId,
                ':bucket': bucket,
                ':read': readInbound,
                ':g2pk': userInboxPk(conversation.storeId, userId, bucket),
                ':g2sk': activitySk(conversation.lastActivityAt, conversationId),
                ':type': 'conversationReader',
              },
            },
          },
          add(mineTotalKey(conversation.storeId, userId, bucket), { inbound: conversation.inboundCount, read: readInbound }),
        ]),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new ConflictError('The conversation changed too often at the same time; try again.');
}

/** Sets the user's read marker to every customer message so far. */
export async function markRead(conversationId: string, userId: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [conversation, reader] = await Promise.all([getConversation(conversationId), getReader(conversationId, userId)]);
    if (!conversation) return;
    const previous = reader?.readInbound ?? 0;
    const delta = conversation.inboundCount - previous;
    if (delta <= 0 && reader) return;
    const bucket = bucketOf(conversation.archived);
    try {
      await transact(
        defined([
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: convKey(conversationId),
              ConditionExpression: '#rev = :rev',
              ExpressionAttributeNames: { '#rev': 'rev' },
              ExpressionAttributeValues: { ':rev': conversation.rev },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: readerKey(conversationId, userId),
              UpdateExpression: 'SET readInbound = :read, userId = :user, conversationId = :id, storeId = :store, #bucket = :bucket, #type = :type',
              ConditionExpression: reader ? 'readInbound = :previous' : 'attribute_not_exists(pk)',
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
          add(storeReadKey(conversation.storeId, userId, bucket), { read: delta }),
          reader?.member ? add(mineTotalKey(conversation.storeId, userId, bucket), { read: delta }) : undefined,
        ]),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new ConflictError('The conversation changed too often at the same time; try again.');
}

/** The user's read markers for these conversations (a page of an inbox). */
export async function readMarkers(conversationIds: readonly string[], userId: string): Promise<Map<string, number>> {
  const items = await batchGetAll(tableName(), conversationIds.map((id) => readerKey(id, userId)));
  return new Map(items.map((item) => [item.conversationId as string, Number(item.readInbound ?? 0)]));
}

/** Σ inbound − Σ read over the scope's bucket (see the header). */
export async function unreadTotal(input: { storeId: string; userId: string; scope: 'mine' | 'store'; archived: boolean }): Promise<number> {
  const bucket = bucketOf(input.archived);
  if (input.scope === 'mine') {
    const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: mineTotalKey(input.storeId, input.userId, bucket) }));
    return Math.max(0, Number(out.Item?.inbound ?? 0) - Number(out.Item?.read ?? 0));
  }
  const items = await batchGetAll(tableName(), [storeTotalKey(input.storeId, bucket), storeReadKey(input.storeId, input.userId, bucket)]);
  const inbound = Number(items.find((i) => i.sk === storeTotalKey(input.storeId, bucket).sk)?.inbound ?? 0);
  const read = Number(items.find((i) => i.sk === storeReadKey(input.storeId, input.userId, bucket).sk)?.read ?? 0);
  return Math.max(0, inbound - read);
}

// ── inboxes ────────────────────────────────────────────────────────────────────────────────

export async function listStoreInbox(storeId: string, archived: boolean, limit: number, cursor?: string): Promise<Page<Conversation>> {
  const pk = storeInboxPk(storeId, bucketOf(archived));
  const page = await queryPage(
    { TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
    { limit, cursor, partition: { gsi1pk: pk } },
  );
  return { items: page.items.map(toConversation), nextCursor: page.nextCursor };
}

export async function listUserInbox(storeId: string, userId: string, archived: boolean, limit: number, cursor?: string): Promise<Page<Conversation>> {
  const pk = userInboxPk(storeId, userId, bucketOf(archived));
  const page = await queryPage(
    { TableName: tableName(), IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
    { limit, cursor, partition: { gsi2pk: pk } },
  );
  const ids = page.items.map((i) => i.conversationId as string);
  const conversations = await getConversationItems(ids);
  return { items: defined(ids.map((id) => conversations.get(id))), nextCursor: page.nextCursor };
}

// ── messages ───────────────────────────────────────────────────────────────────────────────

export async function listMessages(conversationId: string, limit: number, cursor?: string): Promise<Page<Message>> {
  const pk = convKey(conversationId).pk;
  const page = await queryPage(
    { TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': 'MSG#' }, ScanIndexForward: false },
    { limit, cursor, partition: { pk }, prefixes: { sk: 'MSG#' } },
  );
  return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
}

/**
 * Stores a message and makes it the conversation's latest activity: un-archives first, makes
 * `participant` a member (My Inbox), moves every member's My Inbox entry to the top and, for a
 * customer message, adds it to the unread sums. A message whose Twilio SID is already stored is
 * a duplicate delivery and changes nothing.
 */
export async function appendMessage(conversationId: string, message: Message, options: { participant?: string }): Promise<{ duplicate: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const conversation = await getConversation(conversationId);
    if (!conversation) throw new Error(`Conversation ${conversationId} does not exist`);
    if (message.twilioSid && attempt === 0 && (await findMessageBySid(message.twilioSid))) return { duplicate: true };
    if (conversation.archived) {
      await moveBucket(conversation, 'ACTIVE');
      continue;
    }
    if (options.participant && !(await getReader(conversationId, options.participant))?.member) {
      await joinConversation(conversationId, options.participant);
      continue;
    }
    const members = (await listReaders(conversationId)).filter((r) => r.member);
    const inbound = message.direction === 'inbound';
    const lastActivityAt = message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt;
    const sortKey = activitySk(lastActivityAt, conversationId);
    const items: TransactItems = [
      {
        Put: {
          TableName: tableName(),
          Item: { ...messageKey(conversationId, message.messageId), ...message, statusRank: statusRank(message.status), type: 'message' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: tableName(),
          Key: convKey(conversationId),
          UpdateExpression: `SET lastActivityAt = :at, gsi1sk = :sk, gsi3sk = :sk, #rev = :next${inbound ? ', inboundCount = :inbound' : ''}`,
          ConditionExpression: '#rev = :rev AND archived = :false',
          ExpressionAttributeNames: { '#rev': 'rev' },
          ExpressionAttributeValues: {
            ':at': lastActivityAt,
            ':sk': sortKey,
            ':rev': conversation.rev,
            ':next': conversation.rev + 1,
            ':false': false,
            ...(inbound ? { ':inbound': conversation.inboundCount + 1 } : {}),
          },
        },
      },
      ...members.map((member) => ({
        Update: { TableName: tableName(), Key: readerKey(conversationId, member.userId), UpdateExpression: 'SET gsi2sk = :sk', ExpressionAttributeValues: { ':sk': sortKey } },
      })),
    ];
    const sidIndex = items.length;
    if (message.twilioSid) {
      items.push({
        Put: {
          TableName: tableName(),
          Item: { ...sidKey(message.twilioSid), conversationId, messageId: message.messageId, type: 'twilioSid' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (inbound) {
      items.push(add(storeTotalKey(conversation.storeId, 'ACTIVE'), { inbound: 1 })!);
      for (const member of members) items.push(add(mineTotalKey(conversation.storeId, member.userId, 'ACTIVE'), { inbound: 1 })!);
    }
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: items }));
      return { duplicate: false };
    } catch (error) {
      const reasons = cancelReasons(error);
      if (message.twilioSid && reasons?.[sidIndex] === 'ConditionalCheckFailed') return { duplicate: true };
      if (!isConditionFailure(error)) throw error;
    }
  }
  throw new ConflictError('The conversation changed too often at the same time; try again.');
}

export async function findMessageBySid(sid: string): Promise<{ conversationId: string; messageId: string } | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: sidKey(sid), ConsistentRead: true }));
  return out.Item ? { conversationId: out.Item.conversationId as string, messageId: out.Item.messageId as string } : undefined;
}

export async function getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: messageKey(conversationId, messageId), ConsistentRead: true }));
  return out.Item ? toMessage(out.Item) : undefined;
}

/**
 * A delivery status callback. The update only raises the status rank, so a late `sent` after
 * `delivered` (callbacks are not ordered) changes nothing. Unknown SIDs answer 'unknown'.
 */
export async function updateDeliveryStatus(input: { sid: string; status: MessageStatus; rank: number; errorCode?: string }): Promise<'updated' | 'unchanged' | 'unknown'> {
  const ref = await findMessageBySid(input.sid);
  if (!ref) return 'unknown';
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: `SET #status = :status, statusRank = :rank${input.errorCode ? ', errorCode = :code' : ''}`,
        ConditionExpression: 'attribute_exists(pk) AND direction = :outbound AND (attribute_not_exists(statusRank) OR statusRank < :rank)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': input.status, ':rank': input.rank, ':outbound': 'outbound', ...(input.errorCode ? { ':code': input.errorCode } : {}) },
      }),
    );
    return 'updated';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'unchanged';
    throw error;
  }
}

// ── opt-in ─────────────────────────────────────────────────────────────────────────────────

export interface OptInChange {
  from: OptInState;
  to: OptInState;
  source: string;
  at: string;
  messageSid?: string;
}

/**
 * Applies an opt-in event under a condition on the state it was computed from, and keeps the
 * change (time, source) in the conversation's history. Returns the state after the event.
 */
export async function changeOptIn(conversation: Conversation, event: OptInEvent, meta: { source: string; at: Date; messageSid?: string }): Promise<OptInState> {
  let current = conversation;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const next = nextOptInState(current.optIn, event);
    if (!next) return current.optIn;
    const change: OptInChange = { from: current.optIn, to: next, source: meta.source, at: meta.at.toISOString(), ...(meta.messageSid ? { messageSid: meta.messageSid } : {}) };
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: convKey(current.conversationId),
                UpdateExpression: 'SET optIn = :to, optInChangedAt = :at',
                ConditionExpression: 'optIn = :from',
                ExpressionAttributeValues: { ':to': next, ':from': current.optIn, ':at': change.at },
              },
            },
            { Put: { TableName: tableName(), Item: { ...optInKey(current.conversationId, change.at), ...change, conversationId: current.conversationId, type: 'optInChange' } } },
          ],
        }),
      );
      return next;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const fresh = await getConversation(current.conversationId);
      if (!fresh) throw error;
      current = fresh;
    }
  }
  throw new ConflictError('The opt-in state changed too often at the same time; try again.');
}

export async function optInHistory(conversationId: string): Promise<OptInChange[]> {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': convKey(conversationId).pk, ':prefix': 'OPTIN#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ from: i.from, to: i.to, source: i.source, at: i.at, ...(i.messageSid ? { messageSid: i.messageSid } : {}) }) as OptInChange);
}

// ── archiving ──────────────────────────────────────────────────────────────────────────────

/**
 * Moves a conversation between the active and archived views, carrying its unread sums and its
 * members' My Inbox entries along. Returns false when the conversation changed meanwhile.
 * Up to 100 items this is one transaction; a conversation read by very many users is moved in
 * several (the conversation first), so a crash part-way can leave the archived sums off.
 */
async function moveBucket(conversation: Conversation, to: Bucket): Promise<boolean> {
  const from = bucketOf(conversation.archived);
  if (from === to) return true;
  const readers = await listReaders(conversation.conversationId);
  const id = conversation.conversationId;
  const n = conversation.inboundCount;
  const sortKey = activitySk(conversation.lastActivityAt, id);
  const items: TransactItems = defined([
    {
      Update: {
        TableName: tableName(),
        Key: convKey(id),
        UpdateExpression:
          to === 'ARCHIVED'
            ? 'SET archived = :archived, gsi1pk = :g1pk, #rev = :next REMOVE gsi3pk, gsi3sk'
            : 'SET archived = :archived, gsi1pk = :g1pk, #rev = :next, gsi3pk = :g3pk, gsi3sk = :g3sk',
        ConditionExpression: '#rev = :rev',
        ExpressionAttributeNames: { '#rev': 'rev' },
        ExpressionAttributeValues: {
          ':archived': to === 'ARCHIVED',
          ':g1pk': storeInboxPk(conversation.storeId, to),
          ':rev': conversation.rev,
          ':next': conversation.rev + 1,
          ...(to === 'ACTIVE' ? { ':g3pk': activityPk(activityShard(id)), ':g3sk': sortKey } : {}),
        },
      },
    },
    add(storeTotalKey(conversation.storeId, from), { inbound: -n }),
    add(storeTotalKey(conversation.storeId, to), { inbound: n }),
    ...readers.flatMap((reader) => [
      {
        Update: {
          TableName: tableName(),
          Key: readerKey(id, reader.userId),
          UpdateExpression: reader.member ? 'SET #bucket = :to, gsi2pk = :g2pk' : 'SET #bucket = :to',
          ConditionExpression: 'readInbound = :read',
          ExpressionAttributeNames: { '#bucket': 'bucket' },
          ExpressionAttributeValues: { ':to': to, ':read': reader.readInbound, ...(reader.member ? { ':g2pk': userInboxPk(conversation.storeId, reader.userId, to) } : {}) },
        },
      },
      add(storeReadKey(conversation.storeId, reader.userId, from), { read: -reader.readInbound }),
      add(storeReadKey(conversation.storeId, reader.userId, to), { read: reader.readInbound }),
      reader.member ? add(mineTotalKey(conversation.storeId, reader.userId, from), { inbound: -n, read: -reader.readInbound }) : undefined,
      reader.member ? add(mineTotalKey(conversation.storeId, reader.userId, to), { inbound: n, read: reader.readInbound }) : undefined,
    ]),
  ]);
  try {
    await transact(items);
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
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
  for (let shard = 0; shard < ACTIVITY_SHARDS; shard++) {
    const due = queryPages({
      TableName: tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :cutoff',
      ExpressionAttributeValues: { ':pk': activityPk(shard), ':cutoff': cutoff },
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
  }
  return { archived, skipped };
}

