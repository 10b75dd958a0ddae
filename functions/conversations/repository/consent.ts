/**
 * The consent ledger: one item per change of a customer's opt-in state at a store, appended in
 * the same transaction as the conversation's `optIn` change and never updated, so the ledger and
 * the conversation cannot disagree. Also the 24-hour guard on opt-in requests. Keys: ./keys.ts.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryAll, queryPage } from '../../shared/dynamo/batches';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { CHANNEL_NAMES, type ChannelName } from '../channels/channel';
import type { ConsentEntry, Conversation, OptInChange } from '../model';
import { optInRequestCutoff, type ConsentSource } from '../rules';
import { suppressionKey } from '../../shared/secrets';
import { createHmac } from 'node:crypto';
import { consentKey, consentPk, convKey, suppressionKey as suppressionItemKey } from './keys';
import { putIfAbsent, tableName, type TransactItem } from '../../shared/dynamo/table';

/** The keyed hash a suppression record is found by: the phone number itself is never stored. */
export async function phoneHash(phone: string): Promise<string> {
  return createHmac('sha256', await suppressionKey())
    .update(phone)
    .digest('hex');
}

/**
 * The suppression record's string set of each channel (docs/data-model.md, "Consent, suppression
 * and erasure"): consent is per channel, so is what outlives an erasure. `stores` is SMS (the
 * records older than WhatsApp hold only it).
 */
export const SUPPRESSED_STORES: Readonly<Record<ChannelName, string>> = { sms: 'stores', whatsapp: 'whatsappStores' };

/** The stores at which this number stays opted out after its customer was erased, per channel (empty when none). */
export async function suppressedStores(phone: string): Promise<Record<ChannelName, Set<string>>> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: suppressionItemKey(await phoneHash(phone)), ConsistentRead: true }),
  );
  const storesOf = (channel: ChannelName) =>
    new Set((out.Item?.[SUPPRESSED_STORES[channel]] as Set<string> | undefined) ?? []);
  return Object.fromEntries(CHANNEL_NAMES.map((channel) => [channel, storesOf(channel)])) as Record<
    ChannelName,
    Set<string>
  >;
}

/** The ledger item for a change, to go into the transaction that changes the conversation. */
export function ledgerPut(
  conversation: Pick<Conversation, 'conversationId' | 'storeId' | 'customerId'>,
  change: OptInChange,
): TransactItem {
  return putIfAbsent({
    ...consentKey(conversation.customerId, change.at, randomUUID()),
    ...change,
    state: change.to,
    storeId: conversation.storeId,
    conversationId: conversation.conversationId,
    customerId: conversation.customerId,
    type: 'consentEntry',
  });
}

const toEntry = (i: Record<string, unknown>): ConsentEntry => ({
  at: i.at as string,
  storeId: i.storeId as string,
  state: i.state as ConsentEntry['state'],
  source: i.source as ConsentSource,
  channel: (i.channel as ConsentEntry['channel'] | undefined) ?? 'sms',
  ...(i.keyword ? { keyword: i.keyword as string } : {}),
  ...(i.messageSid ? { messageSid: i.messageSid as string } : {}),
  ...(i.userId ? { userId: i.userId as string } : {}),
});

/** The customer's ledger, oldest first, paged; with `storeId`, only that store's entries. */
export async function listConsent(
  customerId: string,
  storeId: string | undefined,
  limit: number,
  cursor?: string,
): Promise<Page<ConsentEntry>> {
  const pk = consentPk(customerId);
  const page = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ...(storeId ? { FilterExpression: 'storeId = :store' } : {}),
      ExpressionAttributeValues: { ':pk': pk, ...(storeId ? { ':store': storeId } : {}) },
      ConsistentRead: true,
    },
    { limit, cursor, partition: { pk } },
  );
  return { items: page.items.map(toEntry), nextCursor: page.nextCursor };
}

/** One conversation's changes, oldest first (from, to, source): the conversation's view of the ledger. */
export async function optInHistory(conversationId: string): Promise<OptInChange[]> {
  const conversation = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: convKey(conversationId), ConsistentRead: true }),
  );
  if (!conversation.Item) return [];
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'conversationId = :id',
    ExpressionAttributeValues: { ':pk': consentPk(conversation.Item.customerId as string), ':id': conversationId },
    ConsistentRead: true,
  });
  return items.map(
    (i) =>
      ({
        from: i.from,
        to: i.to,
        source: i.source,
        at: i.at,
        ...(i.messageSid ? { messageSid: i.messageSid } : {}),
        ...(i.userId ? { userId: i.userId } : {}),
        ...(i.keyword ? { keyword: i.keyword } : {}),
        ...(i.channel ? { channel: i.channel } : {}),
      }) as OptInChange,
  );
}

/**
 * Takes the conversation's one opt-in request of the next 24 hours: false when a request was sent
 * (or is being sent) less than 24 hours ago. A condition, so two requests at the same moment
 * cannot both pass. A customer who answered is OPTED_IN or OPTED_OUT, where requests are refused
 * anyway, so an open earlier request is exactly one of the last 24 hours.
 */
export async function reserveOptInRequest(
  conversationId: string,
  now: Date,
  attribute = 'optInRequestedAt',
): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(conversationId),
        UpdateExpression: `SET ${attribute} = :now`,
        ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(${attribute}) OR ${attribute} < :cutoff)`,
        ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': optInRequestCutoff(now).toISOString() },
      }),
    ),
  );
}

/**
 * Gives the reservation back when the request never went out (refused or not sent), so the
 * associate can try again. `attribute`: the channel's (channels/, attributes.optInRequestedAt).
 */
export async function releaseOptInRequest(
  conversationId: string,
  reservedAt: Date,
  attribute = 'optInRequestedAt',
): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(conversationId),
        UpdateExpression: `REMOVE ${attribute}`,
        ConditionExpression: `${attribute} = :at`,
        ExpressionAttributeValues: { ':at': reservedAt.toISOString() },
      }),
    ),
  );
}
