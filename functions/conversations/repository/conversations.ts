/**
 * Conversation items: opening one (one per store and customer), reading them, the customer's
 * conversations and their copy of the customer's summary, and the Store Inbox. Readers and My
 * Inbox: ./readers.ts; the archive: ./archive.ts. Keys: ./keys.ts.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryAll, queryPage } from '../../shared/dynamo/batches';
import { isTransactionConflict, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { cancellationOf, transactItems } from '../../shared/dynamo/transactions';
import type { Customer } from '../../stores/rules';
import type { Conversation } from '../model';
import { activityShard, type OptInState } from '../rules';
import { channelOf } from '../channels';
import { ledgerPut, suppressedStores } from './consent';
import {
  activityPk,
  activitySk,
  bucketOf,
  convKey,
  customerConversationKey,
  customerConversationsPk,
  pairKey,
  storeInboxPk,
} from './keys';
import { putIfAbsent, tableName, type Item, type TransactItem } from '../../shared/dynamo/table';

export function toConversation(item: Item): Conversation {
  const last = item.lastMessage as (Conversation['lastMessage'] & { statusRank?: number }) | undefined;
  return {
    conversationId: item.conversationId as string,
    storeId: item.storeId as string,
    customerId: item.customerId as string,
    customer: (item.customer as Conversation['customer']) ?? {},
    optIn: item.optIn as OptInState,
    ...(item.waOptIn || item.waWindowExpiresAt
      ? {
          whatsapp: {
            optIn: (item.waOptIn as OptInState | undefined) ?? 'NONE',
            windowExpiresAt: (item.waWindowExpiresAt as string | undefined) ?? null,
          },
        }
      : {}),
    ...(item.waHeldIds instanceof Set && item.waHeldIds.size > 0
      ? { heldMessageIds: [...(item.waHeldIds as Set<string>)].sort() }
      : {}),
    lastActivityAt: item.lastActivityAt as string,
    archived: Boolean(item.archived),
    createdAt: item.createdAt as string,
    inboundCount: Number(item.inboundCount ?? 0),
    assignee: (item.assignee as string | undefined) ?? null,
    ...(Array.isArray(item.tags) && item.tags.length > 0 ? { tags: item.tags as string[] } : {}),
    ...(item.lastInboundAt ? { lastInboundAt: item.lastInboundAt as string } : {}),
    ...(item.waitingSince ? { waitingSince: item.waitingSince as string } : {}),
    ...(last
      ? {
          lastMessage: {
            messageId: last.messageId,
            direction: last.direction,
            ...(last.text !== undefined ? { text: last.text } : {}),
            status: last.status,
            at: last.at,
            channel: last.channel ?? 'sms',
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
  // A number erased while opted out at this store stays opted out, on each channel it had opted
  // out of: the new conversation starts there, and the customer's new ledger says why.
  const suppression = input.customer.phone ? await suppressedStores(input.customer.phone) : undefined;
  const suppressed = suppression?.sms.has(input.storeId) ?? false;
  const waSuppressed = suppression?.whatsapp.has(input.storeId) ?? false;
  const conversation: Conversation = {
    conversationId,
    storeId: input.storeId,
    customerId: input.customer.customerId,
    customer: customerSummary(input.customer),
    optIn: suppressed ? 'OPTED_OUT' : 'NONE',
    ...(waSuppressed ? { whatsapp: { optIn: 'OPTED_OUT', windowExpiresAt: null } } : {}),
    lastActivityAt: at,
    archived: false,
    createdAt: at,
    inboundCount: 0,
    assignee: null,
  };
  // No assignee attribute until someone is assigned: the send's if_not_exists relies on it (./assignment.ts).
  const { assignee: _unassigned, whatsapp: _whatsapp, ...stored } = conversation;
  const items = {
    pair: putIfAbsent({ ...pair, conversationId, type: 'conversationPair' }),
    customerConversation: {
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
    conversation: putIfAbsent({
      ...convKey(conversationId),
      ...stored,
      ...(waSuppressed ? { [channelOf('whatsapp').attributes.optIn]: 'OPTED_OUT' } : {}),
      type: 'conversation',
      gsi1pk: storeInboxPk(input.storeId, 'ACTIVE'),
      gsi1sk: activitySk(at, conversationId),
      gsi3pk: activityPk(activityShard(conversationId)),
      gsi3sk: activitySk(at, conversationId),
    }),
    ledger: suppressed ? ledgerPut(conversation, { from: 'NONE', to: 'OPTED_OUT', source: 'ERASURE', at }) : undefined,
    waLedger: waSuppressed
      ? ledgerPut(conversation, { from: 'NONE', to: 'OPTED_OUT', source: 'ERASURE', at, channel: 'whatsapp' })
      : undefined,
  };
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(items) }));
    return { conversation, created: true };
  } catch (error) {
    // Another opening took the (store, customer) item first, or holds it right now: theirs is the one.
    if (cancellationOf(error, items)?.has('pair') || isTransactionConflict(error)) {
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
    await writeIfUnchanged(() =>
      documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: convKey(conversationId),
          UpdateExpression: 'SET customer = :summary',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':summary': customerSummary(customer) },
        }),
      ),
    );
  }
}

/** The store's conversation with this customer, if it has one: one GetItem of the (store, customer) item. */
export async function conversationIdFor(storeId: string, customerId: string): Promise<string | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: pairKey(storeId, customerId), ConsistentRead: true }),
  );
  return out.Item?.conversationId as string | undefined;
}

/**
 * The write that copies the store's tags for its customer onto their conversation, for the
 * customers room's transaction that sets them (the inbox's `?tag=` reads the copy; no tags
 * removes it). Conditional on the conversation, so an erased one is never recreated.
 */
export function conversationTagsUpdate(conversationId: string, tags: readonly string[]): TransactItem {
  return {
    Update: {
      TableName: tableName(),
      Key: convKey(conversationId),
      ConditionExpression: 'attribute_exists(pk)',
      ...(tags.length > 0
        ? { UpdateExpression: 'SET tags = :tags', ExpressionAttributeValues: { ':tags': [...tags] } }
        : { UpdateExpression: 'REMOVE tags' }),
    },
  };
}

// ── Store Inbox ────────────────────────────────────────────────────────────────────────────

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
