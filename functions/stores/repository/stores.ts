/** Store items: a store, its Twilio number's look-up and the list of every store (keys: ./keys.ts). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, queryPage } from '../../shared/dynamo/batches';
import { transactNamed } from '../../shared/dynamo/transactions';
import { ConflictError } from '../../shared/errors';
import type { Page } from '../../shared/pagination';
import type { Store } from '../model';
import { DEFAULT_CART_REMINDER_HOURS, DEFAULT_QUIET_HOURS, whatsAppSenderOf, type StoreInput } from '../rules';
import { STORES_PK, storeKey, storeListKeys, storePhoneKey, storeWhatsAppKey } from './keys';
import { pick } from './items';
import { putIfAbsent, tableName } from '../../shared/dynamo/table';

const STORE_FIELDS = [
  'storeId',
  'name',
  'timezone',
  'country',
  'phoneNumber',
  'currency',
  'helpText',
  'quietHours',
  'cartReminderHours',
  'whatsapp',
  'createdAt',
  'updatedAt',
] as const;

/** A stored store as read: quiet hours and cart reminder hours absent on the item (never set) read as their defaults. */
function toStore(item: Record<string, unknown> | undefined): Store | undefined {
  const store = pick<Store>(item, STORE_FIELDS);
  return store && { ...store, ...withDefaults(store) };
}

/** The fields a store that never set them reads as: the default quiet hours and cart reminder hours (null stays null: off). */
const withDefaults = (input: Pick<StoreInput, 'quietHours' | 'cartReminderHours' | 'whatsapp'>) => ({
  quietHours: input.quietHours === undefined ? DEFAULT_QUIET_HOURS : input.quietHours,
  cartReminderHours: input.cartReminderHours === undefined ? DEFAULT_CART_REMINDER_HOURS : input.cartReminderHours,
  whatsapp: input.whatsapp ?? null,
});

export async function getStore(storeId: string): Promise<Store | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: storeKey(storeId) }));
  return toStore(out.Item);
}

/** Many stores by id (campaign details ask which store ids are registered). */
export async function getStores(storeIds: readonly string[]): Promise<Map<string, Store>> {
  const items = await batchGetAll(tableName(), [...new Set(storeIds)].map(storeKey));
  return new Map(items.map((item) => toStore(item)!).map((store) => [store.storeId, store]));
}

/** Every store, by id, paged (`GET /stores` for admins). */
export async function listStores(limit: number, cursor?: string): Promise<Page<Store>> {
  const page = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': STORES_PK },
    },
    { limit, cursor, partition: { gsi1pk: STORES_PK } },
  );
  return { items: page.items.map((item) => toStore(item)!), nextCursor: page.nextCursor };
}

/**
 * The id of the store that texts from this number (`sms`), or receives WhatsApp on it while
 * WhatsApp is enabled (`whatsapp`): one read of the number's look-up item.
 */
export async function findStoreIdByPhone(
  phoneNumber: string,
  channel: 'sms' | 'whatsapp' = 'sms',
): Promise<string | undefined> {
  const Key = channel === 'whatsapp' ? storeWhatsAppKey(phoneNumber) : storePhoneKey(phoneNumber);
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key }));
  const storeId = out.Item?.storeId;
  return typeof storeId === 'string' ? storeId : undefined;
}

/**
 * Creates or replaces a store. Its Twilio number must not belong to another store (409); the
 * number look-up moves with the store in one transaction, guarded against a concurrent change.
 */
export async function putStore(
  storeId: string,
  input: StoreInput,
  now: Date,
): Promise<{ store: Store; created: boolean }> {
  const existing = await getStore(storeId);
  const store: Store = {
    ...input,
    storeId,
    ...withDefaults(input),
    createdAt: existing?.createdAt ?? now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const item = { ...storeKey(storeId), ...store, type: 'store', ...storeListKeys(storeId) };
  const cancelled = await transactNamed({
    store: existing
      ? {
          Put: {
            TableName: tableName(),
            Item: item,
            ConditionExpression: 'phoneNumber = :old',
            ExpressionAttributeValues: { ':old': existing.phoneNumber },
          },
        }
      : putIfAbsent(item),
    phone: {
      Put: {
        TableName: tableName(),
        Item: { ...storePhoneKey(store.phoneNumber), storeId, type: 'storePhone' },
        ConditionExpression: 'attribute_not_exists(pk) OR storeId = :id',
        ExpressionAttributeValues: { ':id': storeId },
      },
    },
    oldPhone:
      existing && existing.phoneNumber !== store.phoneNumber
        ? { Delete: { TableName: tableName(), Key: storePhoneKey(existing.phoneNumber) } }
        : undefined,
    ...whatsAppLookupWrites(storeId, existing, store),
  });
  if (cancelled?.has('phone'))
    throw new ConflictError(`Phone number ${store.phoneNumber} already belongs to another store.`);
  if (cancelled?.has('whatsapp'))
    throw new ConflictError(`WhatsApp sender ${whatsAppSenderOf(store)} already belongs to another store.`);
  if (cancelled?.has('store')) throw new ConflictError(`Store ${storeId} was changed at the same time; try again.`);
  if (cancelled) throw cancelled.error;
  return { store, created: !existing };
}

/** The WhatsApp sender's look-up moves with the store: written while enabled (never another store's), removed when it changes or is turned off. */
function whatsAppLookupWrites(storeId: string, existing: Store | undefined, store: Store) {
  const sender = whatsAppSenderOf(store);
  const old = existing && whatsAppSenderOf(existing);
  return {
    whatsapp: sender
      ? {
          Put: {
            TableName: tableName(),
            Item: { ...storeWhatsAppKey(sender), storeId, type: 'storeWhatsApp' },
            ConditionExpression: 'attribute_not_exists(pk) OR storeId = :id',
            ExpressionAttributeValues: { ':id': storeId },
          },
        }
      : undefined,
    oldWhatsapp: old && old !== sender ? { Delete: { TableName: tableName(), Key: storeWhatsAppKey(old) } } : undefined,
  };
}
