/**
 * Erasing a customer's conversations: every item of each conversation's partition (messages,
 * read markers, idempotency keys), its look-ups (store pair, Twilio SIDs) and the unread sums it
 * contributed to; the consent ledger, replaced by a suppression record. Each step can run again
 * (a retried erasure finishes what an interrupted one left). Keys: ./keys.ts.
 */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNEL_NAMES, type ChannelName } from '../channels/channel';
import { phoneHash, SUPPRESSED_STORES } from './consent';
import { documentClient } from '../../shared/clients';
import { batchWriteAll, queryAll } from '../../shared/dynamo/batches';
import { transactIfUnchanged } from '../../shared/dynamo/conditions';
import type { MediaItem } from '../model';
import { activityShard, type OptInState } from '../rules';
import { toConversation } from './conversations';
import {
  bucketOf,
  consentPk,
  convKey,
  customerConversationKey,
  pairKey,
  READER_PREFIX,
  sidKey,
  storeReadKey,
  storeTotalKey,
  suppressionKey as suppressionItemKey,
  type Bucket,
} from './keys';
import { addTo } from './table';
import { tableName } from '../../shared/dynamo/table';

/**
 * Replaces the customer's consent ledger by what must outlive it: the stores at which the latest
 * entry of a channel is an opt-out, added to that channel's set of the suppression record of the
 * number's keyed hash (consent.ts SUPPRESSED_STORES). Then the ledger's entries are deleted.
 * Returns those stores (a store opted out of both channels once).
 */
export async function replaceLedgerWithSuppression(
  customerId: string,
  phone: string | undefined,
  at: Date,
): Promise<string[]> {
  const entries = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': consentPk(customerId) },
    ConsistentRead: true,
  });
  const latest = new Map<ChannelName, Map<string, OptInState>>(CHANNEL_NAMES.map((channel) => [channel, new Map()]));
  // Sorted by time: the last entry of each (channel, store) wins; entries older than WhatsApp are SMS.
  for (const entry of entries)
    latest
      .get((entry.channel as ChannelName | undefined) ?? 'sms')
      ?.set(entry.storeId as string, entry.state as OptInState);
  const optedOut = new Map(
    [...latest].map(([channel, states]) => [
      channel,
      [...states].filter(([, state]) => state === 'OPTED_OUT').map(([storeId]) => storeId),
    ]),
  );
  const suppressed = [...optedOut].filter(([, stores]) => stores.length > 0);
  if (phone && suppressed.length > 0) {
    const names = Object.fromEntries(suppressed.map(([channel], i) => [`#s${i}`, SUPPRESSED_STORES[channel]]));
    const values = Object.fromEntries(suppressed.map(([, stores], i) => [`:s${i}`, new Set(stores)]));
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: suppressionItemKey(await phoneHash(phone)),
        UpdateExpression: `ADD ${suppressed.map((_, i) => `#s${i} :s${i}`).join(', ')} SET updatedAt = :at, #type = :type`,
        ExpressionAttributeNames: { '#type': 'type', ...names },
        ExpressionAttributeValues: { ...values, ':at': at.toISOString(), ':type': 'suppression' },
      }),
    );
  }
  await batchWriteAll(
    tableName(),
    entries.map((e) => ({ DeleteRequest: { Key: { pk: e.pk, sk: e.sk } } })),
  );
  return [...new Set(suppressed.flatMap(([, stores]) => stores))];
}

/**
 * Erases one conversation; returns the image keys its messages held, for the caller to delete.
 * 1. Each read marker, with the store's read sum it counted in (one small transaction each).
 * 2. The conversation item, with the store's inbound sum it counted in (one transaction, held
 *    on the count it was read with, so a message arriving meanwhile is retried, not miscounted).
 * 3. Everything left under the conversation's partition, its Twilio SID look-ups, the store pair
 *    and the customer's pointer to it (last, so an interrupted erasure still finds it).
 */
export async function eraseConversation(
  conversationId: string,
  customerId: string,
  storeId: string,
): Promise<{ mediaKeys: string[]; messages: number }> {
  const mediaKeys: string[] = [];
  let messages = 0;
  // A message arriving meanwhile fails step 2's condition: erase what is there and look again.
  for (let pass = 0; pass < 5; pass++) {
    const erased = await erasePartition(conversationId, storeId);
    mediaKeys.push(...erased.mediaKeys);
    messages += erased.messages;
    if (!erased.remaining) break;
  }
  await batchWriteAll(tableName(), [{ DeleteRequest: { Key: pairKey(storeId, customerId) } }]);
  await documentClient.send(
    new DeleteCommand({ TableName: tableName(), Key: customerConversationKey(customerId, storeId) }),
  );
  return { mediaKeys, messages };
}

async function erasePartition(
  conversationId: string,
  storeId: string,
): Promise<{ mediaKeys: string[]; messages: number; remaining: boolean }> {
  const partition = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': convKey(conversationId).pk },
    ConsistentRead: true,
  });
  const conversationItem = partition.find((i) => i.sk === convKey(conversationId).sk);
  const conversation = conversationItem ? toConversation(conversationItem) : undefined;
  const bucket: Bucket = bucketOf(conversation?.archived ?? false);

  for (const reader of partition.filter((i) => String(i.sk).startsWith(READER_PREFIX))) {
    const read = Number(reader.readInbound ?? 0);
    // A failed condition means already done, or changed: the next pass sees it as it is.
    await transactIfUnchanged([
      {
        Delete: {
          TableName: tableName(),
          Key: { pk: reader.pk, sk: reader.sk },
          ConditionExpression: 'readInbound = :read',
          ExpressionAttributeValues: { ':read': read },
        },
      },
      addTo(storeReadKey(storeId, reader.userId as string, (reader.bucket as Bucket | undefined) ?? bucket), {
        read: -read,
      }),
    ]);
  }
  if (conversation) {
    await transactIfUnchanged([
      {
        Delete: {
          TableName: tableName(),
          Key: convKey(conversationId),
          ConditionExpression: 'inboundCount = :n OR (attribute_not_exists(inboundCount) AND :n = :zero)',
          ExpressionAttributeValues: { ':n': conversation.inboundCount, ':zero': 0 },
        },
      },
      addTo(storeTotalKey(storeId, bucket, activityShard(conversationId)), { inbound: -conversation.inboundCount }),
    ]);
  }
  const messages = partition.filter((i) => i.type === 'message');
  const mediaKeys = messages.flatMap((m) =>
    ((m.media as MediaItem[] | undefined) ?? []).filter((media) => !media.unavailable).map((media) => media.mediaKey),
  );
  const sids = messages.map((m) => m.twilioSid).filter((sid): sid is string => typeof sid === 'string');
  const rest = partition.filter((i) => i.sk !== convKey(conversationId).sk && !String(i.sk).startsWith(READER_PREFIX));
  await batchWriteAll(tableName(), [
    ...rest.map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } })),
    ...sids.map((sid) => ({ DeleteRequest: { Key: sidKey(sid) } })),
  ]);
  const left = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: convKey(conversationId), ConsistentRead: true }),
  );
  return { mediaKeys, messages: messages.length, remaining: Boolean(left.Item) };
}
