/**
 * Remote carts in the single table. The only file that knows their keys:
 *
 *   CART#<conversationId>     / DAY#<expiresAt>   the conversation's cart for one store-local day
 *   CARTLINK#<sha256(token)>  / CARTLINK          a shared link -> that cart instance (or "paid"); the
 *                                                 token itself is never stored, so a read of the table
 *                                                 (a backup, an export) yields no usable link
 *   CARTPAYMENT#<paymentId>   / CARTPAYMENT       a settled payment: receipt, attribution, progress
 *   gsi3: CARTEXP#<0..7>      / <expiresAt>#<timezone>#<conversationId>   carts by expiry, for the sweeps
 *
 * Keying a cart by the midnight it expires at means "the open cart" is one GetItem of today's
 * key, an expired cart can never be read as open, and the sweeper's unconditional batch deletes
 * only ever hit past days' keys — never a cart started after midnight in the same conversation.
 */
import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/dynamo/conditions';
import { documentClient } from '../shared/clients';
import { cancelReasons } from '../shared/dynamo/transactions';
import { loadConfig } from '../shared/config';
import { ConflictError } from '../shared/errors';
import { batchWriteAll, queryAll } from '../shared/dynamo/batches';
import { duePages } from '../shared/dynamo/due-sweep';
import type { Cart, CartItem } from './rules';

const tableName = () => loadConfig('table').table;

export const EXPIRY_SHARDS = 8;
/** Links and their "paid" marker outlive the cart a while, so a late visitor sees "paid"/"expired" rather than "unknown". */
const LINK_RETENTION_SECONDS = 30 * 24 * 3600;

const cartKey = (conversationId: string, expiresAt: string) => ({
  pk: `CART#${conversationId}`,
  sk: `DAY#${expiresAt}`,
});
/** A share token is never stored: links are keyed, and payments remember their link, by its SHA-256. */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const linkKeyOfHash = (hash: string) => ({ pk: `CARTLINK#${hash}`, sk: 'CARTLINK' });
const linkKey = (token: string) => linkKeyOfHash(tokenHash(token));
const paymentKey = (paymentId: string) => ({ pk: `CARTPAYMENT#${paymentId}`, sk: 'CARTPAYMENT' });

export function expiryShard(conversationId: string): number {
  return createHash('sha256').update(conversationId).digest().readUInt32BE(0) % EXPIRY_SHARDS;
}
/**
 * The expiry index. The zone sits in the sort key after the expiry, not in the partition key
 * and not only as a filtered attribute, because of what a 1,000-store chain does at midnight:
 * - its zone's run reads `begins_with(<midnight>#<zone>#)` in each shard: exactly the carts it
 *   deletes, however many other zones share that instant (New York, Toronto, Detroit...) or
 *   are still waiting for the safety net. A FilterExpression on a `timezone` attribute would
 *   read (and pay for) every due cart of every zone, and a backlog would be re-read by each run.
 * - the 15-minute safety net keeps reading `gsi3sk <= <now>#\uffff` across the same eight
 *   shards: all zones, oldest first, with no list of zones to keep. A zone in the partition key
 *   would need that list, and would put a big zone's midnight on a few partitions again.
 * Carts saved before zone schedules (no `timezone`) keep the old key and only the safety net
 * clears them.
 */
const expiryIndexKeys = (cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'timezone'>) => ({
  gsi3pk: `CARTEXP#${expiryShard(cart.conversationId)}`,
  gsi3sk: cart.timezone
    ? `${zoneExpiryPrefix(cart.expiresAt, cart.timezone)}${cart.conversationId}`
    : `${cart.expiresAt}#${cart.conversationId}`,
});
const zoneExpiryPrefix = (expiresAt: string, timezone: string) => `${expiresAt}#${timezone}#`;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const CART_FIELDS = [
  'cartId',
  'conversationId',
  'storeId',
  'customerId',
  'currency',
  'items',
  'subtotal',
  'total',
  'delivery',
  'version',
  'expiresAt',
  'timezone',
  'createdAt',
  'updatedAt',
  'sharedUrl',
  'sharedBy',
  'sharedAt',
  'paidAt',
  'paymentId',
] as const;

function toCart(item: Record<string, unknown> | undefined): Cart | undefined {
  if (!item) return undefined;
  return Object.fromEntries(
    CART_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as Cart;
}

// ── carts ──────────────────────────────────────────────────────────────────────────────────

/** The conversation's cart for the day that ends at `expiresAt` (strongly consistent: edits read their own writes). */
export async function getCart(conversationId: string, expiresAt: string): Promise<Cart | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: cartKey(conversationId, expiresAt), ConsistentRead: true }),
  );
  return toCart(out.Item);
}

/**
 * Writes a new or changed cart. `previousVersion` undefined means "create": the cart must not
 * exist. Otherwise the stored cart must still be at that version and unpaid. A lost race is a 409.
 */
export async function saveCart(cart: Cart, previousVersion: number | undefined): Promise<void> {
  const condition =
    previousVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'version = :previous AND attribute_not_exists(paidAt)',
          ExpressionAttributeValues: { ':previous': previousVersion },
        };
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...cartKey(cart.conversationId, cart.expiresAt),
          ...expiryIndexKeys(cart),
          ...cart,
          type: 'cart',
          ttl: epochSeconds(cart.expiresAt),
        },
        ...condition,
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new ConflictError(
        'The cart was changed by someone else at the same time (or paid). Reload it and try again.',
      );
    throw error;
  }
}

/** Deletes the cart if it is still at `version` and unpaid. */
export async function deleteCart(cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'version'>): Promise<void> {
  try {
    await documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: cartKey(cart.conversationId, cart.expiresAt),
        ConditionExpression: 'version = :version AND attribute_not_exists(paidAt)',
        ExpressionAttributeValues: { ':version': cart.version },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error))
      throw new ConflictError(
        'The cart was changed by someone else at the same time (or paid). Reload it and try again.',
      );
    throw error;
  }
}

// ── links ──────────────────────────────────────────────────────────────────────────────────

export interface CartLink {
  token: string;
  conversationId: string;
  storeId: string;
  cartId: string;
  /** The cart's key: its expiry midnight. The link ends with it. */
  expiresAt: string;
  sharedBy: string;
  sharedAt: string;
  status: 'ACTIVE' | 'PAID';
  paymentId?: string;
}

const LINK_FIELDS = [
  'token',
  'conversationId',
  'storeId',
  'cartId',
  'expiresAt',
  'sharedBy',
  'sharedAt',
  'status',
  'paymentId',
] as const;

const withoutToken = ({ token: _token, ...rest }: CartLink): Omit<CartLink, 'token'> => rest;

export async function getLink(token: string): Promise<CartLink | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: linkKey(token), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const stored = Object.fromEntries(
    LINK_FIELDS.filter((f) => out.Item![f] !== undefined).map((f) => [f, out.Item![f]]),
  );
  return { ...stored, token } as unknown as CartLink;
}

/**
 * Creates the link, provided the cart is still the one (and the version) the associate shared.
 * Sharing is not an edit: the cart's content and version stay, so the associate's next edit with
 * the same If-Match still works.
 */
export async function createLink(
  link: CartLink,
  cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'cartId' | 'version'>,
): Promise<void> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: {
                ...linkKey(link.token),
                ...withoutToken(link),
                type: 'cartLink',
                ttl: epochSeconds(link.expiresAt) + LINK_RETENTION_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            ConditionCheck: {
              TableName: tableName(),
              Key: cartKey(cart.conversationId, cart.expiresAt),
              ConditionExpression: 'cartId = :cartId AND version = :version AND attribute_not_exists(paidAt)',
              ExpressionAttributeValues: { ':cartId': cart.cartId, ':version': cart.version },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (cancelReasons(error)?.[1] === 'ConditionalCheckFailed') {
      throw new ConflictError(
        'The cart was changed by someone else while it was being shared (or paid). Reload it and share again.',
      );
    }
    throw error;
  }
}

/** Notes on the cart that (and by whom) it was shared, once the link reached the customer. Best effort: a cart edited meanwhile keeps its own state. */
export async function recordShare(
  cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'cartId'>,
  share: { sharedUrl: string; sharedBy: string; sharedAt: string },
): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: cartKey(cart.conversationId, cart.expiresAt),
        UpdateExpression: 'SET sharedUrl = :url, sharedBy = :by, sharedAt = :at',
        ConditionExpression: 'cartId = :cartId AND attribute_not_exists(paidAt)',
        ExpressionAttributeValues: {
          ':url': share.sharedUrl,
          ':by': share.sharedBy,
          ':at': share.sharedAt,
          ':cartId': cart.cartId,
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Withdraws a link that was never delivered (the message was refused), so no usable token is left behind. */
export async function deleteLink(token: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: linkKey(token) }));
}

// ── payments ───────────────────────────────────────────────────────────────────────────────

export interface PaymentRecord {
  paymentId: string;
  /** SHA-256 of the share token the customer paid through (the token itself is never stored). */
  tokenHash: string;
  conversationId: string;
  storeId: string;
  customerId: string;
  cartId: string;
  cartExpiresAt: string;
  items: CartItem[];
  amount: number;
  currency: string;
  /** The associate who shared the link the customer paid through (attribution). */
  sharedBy: string;
  paidAt: string;
  status: 'SETTLING' | 'COMPLETED';
  noteMessageId?: string;
  /** The receipt's fate; the send itself is exactly-once through its idempotency key. */
  receiptState?: 'SENT' | 'SKIPPED';
  receiptMessageId?: string;
  receiptSkippedBecause?: string;
  completedAt?: string;
}

export async function getPayment(paymentId: string): Promise<PaymentRecord | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: paymentKey(paymentId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...record } = out.Item;
  return record as PaymentRecord;
}

export type SettleOutcome = 'settled' | 'duplicate' | 'cart-changed' | 'link-used' | 'contended';

/**
 * The one step that decides a payment, atomically: the payment record is created (first
 * delivery only), the cart is marked paid provided it is still the exact version whose total was
 * checked, and the link is marked paid provided no other payment used it.
 */
export async function settlePayment(record: PaymentRecord, cartVersion: number): Promise<SettleOutcome> {
  try {
    await documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName(),
              Item: { ...paymentKey(record.paymentId), ...record, type: 'cartPayment' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: cartKey(record.conversationId, record.cartExpiresAt),
              UpdateExpression: 'SET paidAt = :paidAt, paymentId = :paymentId',
              ConditionExpression: 'cartId = :cartId AND version = :version AND attribute_not_exists(paidAt)',
              ExpressionAttributeValues: {
                ':paidAt': record.paidAt,
                ':paymentId': record.paymentId,
                ':cartId': record.cartId,
                ':version': cartVersion,
              },
            },
          },
          {
            Update: {
              TableName: tableName(),
              Key: linkKeyOfHash(record.tokenHash),
              UpdateExpression: 'SET #status = :paid, paymentId = :paymentId, paidAt = :paidAt',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':paid': 'PAID',
                ':active': 'ACTIVE',
                ':paymentId': record.paymentId,
                ':paidAt': record.paidAt,
              },
            },
          },
        ],
      }),
    );
    return 'settled';
  } catch (error) {
    const reasons = cancelReasons(error);
    if (!reasons) throw error;
    if (reasons[0] === 'ConditionalCheckFailed') return 'duplicate';
    if (reasons.includes('TransactionConflict')) return 'contended';
    if (reasons[1] === 'ConditionalCheckFailed') return 'cart-changed';
    if (reasons[2] === 'ConditionalCheckFailed') return 'link-used';
    throw error;
  }
}

/** Records one follow-up step of a settled payment (the note, the receipt's fate, completion). */
export async function recordPaymentStep(paymentId: string, values: Partial<PaymentRecord>): Promise<void> {
  const names = Object.keys(values);
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: paymentKey(paymentId),
      UpdateExpression: `SET ${names.map((_n, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n as keyof PaymentRecord]])),
    }),
  );
}

/** Removes the paid cart; idempotent, and it never touches another cart instance of that day. */
export async function removePaidCart(
  record: Pick<PaymentRecord, 'conversationId' | 'cartExpiresAt' | 'paymentId'>,
): Promise<void> {
  try {
    await documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: cartKey(record.conversationId, record.cartExpiresAt),
        ConditionExpression: 'paymentId = :paymentId',
        ExpressionAttributeValues: { ':paymentId': record.paymentId },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error; // already removed
  }
}

// ── the sweeps ─────────────────────────────────────────────────────────────────────────────

/**
 * The safety net: deletes every cart that expired at or before `now`, in every zone. Each
 * expiry shard is read through gsi3 from the oldest expiry up to now (only what is due).
 * Returns how many.
 */
export async function deleteExpiredCarts(now: Date, options: { pageSize?: number } = {}): Promise<number> {
  return deleteFromExpiryShards('gsi3sk <= :bound', { ':bound': `${now.toISOString()}#\uffff` }, options.pageSize);
}

/**
 * A zone's midnight run: deletes the carts of stores in `timezone` that expire at `midnight`
 * (that zone's local midnight), and nothing else: carts of other zones, even ones due at the
 * same instant, are left to their own schedule or the safety net. Returns how many.
 */
export async function deleteZoneCartsDueAt(
  timezone: string,
  midnight: Date,
  options: { pageSize?: number } = {},
): Promise<number> {
  return deleteFromExpiryShards(
    'begins_with(gsi3sk, :prefix)',
    { ':prefix': zoneExpiryPrefix(midnight.toISOString(), timezone) },
    options.pageSize,
  );
}

/** Reads each expiry shard's slice a page at a time and deletes each page (BatchWriteItem, unprocessed items retried). */
async function deleteFromExpiryShards(
  sortKeyCondition: string,
  values: Record<string, string>,
  pageSize = 500,
): Promise<number> {
  let deleted = 0;
  const pages = duePages({
    index: 'gsi3',
    shards: EXPIRY_SHARDS,
    shardKey: (shard) => `CARTEXP#${shard}`,
    sortKeyCondition,
    values,
    pageSize,
    projection: 'pk, sk',
  });
  for await (const items of pages) {
    const keys = items.map((item) => ({ pk: item.pk as string, sk: item.sk as string }));
    await batchDelete(keys);
    deleted += keys.length;
  }
  return deleted;
}

async function batchDelete(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<void> {
  await batchWriteAll(
    tableName(),
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
}

// ── erasure ──────────────────────────────────────────────────────────────────────────────────

/**
 * Deletes every cart of an erased customer's conversation (items, delivery address) and the
 * links shared from them. Payment records stay: they hold the order (items, amount) under
 * pseudonymous ids only, and are the business's accounting record.
 */
export async function eraseConversationCarts(conversationId: string): Promise<number> {
  const carts = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `CART#${conversationId}` },
    ConsistentRead: true,
  });
  const links = carts
    .map((cart) => String(cart.sharedUrl ?? '').match(/\/c\/([^/?#]+)/)?.[1])
    .filter((token): token is string => Boolean(token));
  await batchDelete([
    ...links.map(linkKey),
    ...carts.map((cart) => ({ pk: cart.pk as string, sk: cart.sk as string })),
  ]);
  return carts.length;
}
