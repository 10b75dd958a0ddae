/**
 * The remote carts capability's key layout in the single table (docs/data-model.md). Every key
 * of this capability is built here and nowhere else; tests build keys through these too.
 *
 *   CART#<conversationId>     / DAY#<expiresAt>   the conversation's cart for one store-local day
 *   CARTLINK#<sha256(token)>  / CARTLINK          a shared link -> that cart instance (or "paid"); the
 *                                                 token itself is never stored, so a read of the table
 *                                                 (a backup, an export) yields no usable link
 *   CARTPAYMENT#<paymentId>   / CARTPAYMENT       a settled payment: receipt, attribution, progress
 *   gsi3: CARTEXP#<0..7>      / <expiresAt>#<timezone>#<conversationId>   carts by expiry, for the sweeps
 *   CARTREMIND#<conversationId> / DAY#<expiresAt>  the reminder of that cart's latest share: its link's hash,
 *                                                 the sharer, when it is due; a re-share replaces it
 *   gsi3: CARTREMINDDUE#<0..7> / <remindAt>#<conversationId>   reminders by due time, for the task-reminders run
 *
 * Keying a cart by the midnight it expires at means "the open cart" is one GetItem of today's
 * key, an expired cart can never be read as open, and the sweeper's unconditional batch deletes
 * only ever hit past days' keys — never a cart started after midnight in the same conversation.
 */
import { createHash } from 'node:crypto';
import type { Cart } from '../model';
import { PAYMENT_GRACE_MS } from '../rules';

export const EXPIRY_SHARDS = 8;
/** Links and their "paid" marker outlive the cart a while, so a late visitor sees "paid"/"expired" rather than "unknown". */
export const LINK_RETENTION_SECONDS = 30 * 24 * 3600;

export const CART_PREFIX = 'CART#';
export const LINK_PREFIX = 'CARTLINK#';
export const PAYMENT_PREFIX = 'CARTPAYMENT#';
export const PAYMENT_SK = 'CARTPAYMENT';
export const EXPIRY_PREFIX = 'CARTEXP#';
export const REMINDER_PREFIX = 'CARTREMIND#';
export const REMINDER_DUE_PREFIX = 'CARTREMINDDUE#';

export const cartPk = (conversationId: string) => `${CART_PREFIX}${conversationId}`;
export const cartKey = (conversationId: string, expiresAt: string) => ({
  pk: cartPk(conversationId),
  sk: `DAY#${expiresAt}`,
});

/** A share token is never stored: links are keyed, and payments remember their link, by its SHA-256. */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const linkKeyOfHash = (hash: string) => ({ pk: `${LINK_PREFIX}${hash}`, sk: 'CARTLINK' });
export const linkKey = (token: string) => linkKeyOfHash(tokenHash(token));

export const paymentKey = (paymentId: string) => ({ pk: `${PAYMENT_PREFIX}${paymentId}`, sk: PAYMENT_SK });
/** The payment id of a `CARTPAYMENT#<id>` partition key (a stream image's), or undefined for any other key. */
export const paymentIdOf = (pk: string): string | undefined =>
  pk.startsWith(PAYMENT_PREFIX) ? pk.slice(PAYMENT_PREFIX.length) : undefined;

/** A cart's `ttl` is this long after its expiry: DynamoDB may delete it once the payment grace is over (the sweeps normally do first). */
export const CART_TTL_AFTER_EXPIRY_SECONDS = PAYMENT_GRACE_MS / 1000;

export function expiryShard(conversationId: string): number {
  return createHash('sha256').update(conversationId).digest().readUInt32BE(0) % EXPIRY_SHARDS;
}
export const expiryShardPk = (shard: number) => `${EXPIRY_PREFIX}${shard}`;

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
export const expiryIndexKeys = (cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'timezone'>) => ({
  gsi3pk: expiryShardPk(expiryShard(cart.conversationId)),
  gsi3sk: cart.timezone
    ? `${zoneExpiryPrefix(cart.expiresAt, cart.timezone)}${cart.conversationId}`
    : `${cart.expiresAt}#${cart.conversationId}`,
});
export const zoneExpiryPrefix = (expiresAt: string, timezone: string) => `${expiresAt}#${timezone}#`;
/** The upper bound of the safety net's read: every expiry at or before `now`, whatever follows it in the key. */
export const dueBound = (now: Date) => `${now.toISOString()}#\uffff`;

/** A cart's reminder: one item per cart instance (conversation and midnight), so a re-share overwrites it. */
export const reminderKey = (conversationId: string, expiresAt: string) => ({
  pk: `${REMINDER_PREFIX}${conversationId}`,
  sk: `DAY#${expiresAt}`,
});
/** The reminder due index: sharded like the expiry index, sorted by the time the reminder is due. */
export const reminderDueShardPk = (shard: number) => `${REMINDER_DUE_PREFIX}${shard}`;
export const reminderDueKeys = (conversationId: string, remindAt: string) => ({
  gsi3pk: reminderDueShardPk(expiryShard(conversationId)),
  gsi3sk: `${remindAt}#${conversationId}`,
});
