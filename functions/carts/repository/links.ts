/** Shared links: created under the cart's version, noted on the cart, withdrawn when undelivered (keys: ./keys.ts). */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { expiry, putIfAbsent, tableName } from '../../shared/dynamo/table';
import { transactNamed } from '../../shared/dynamo/transactions';
import type { Cart, CartLink } from '../model';
import { cartKey, LINK_RETENTION_SECONDS, linkKey } from './keys';

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
 * Creates the link, provided the cart is still the one (and the version) the associate shared;
 * false when it is not. Sharing is not an edit: the cart's content and version stay, so the
 * associate's next edit with the same If-Match still works.
 */
export async function createLink(
  link: CartLink,
  cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'cartId' | 'version'>,
): Promise<boolean> {
  const cancelled = await transactNamed({
    link: putIfAbsent({
      ...linkKey(link.token),
      ...withoutToken(link),
      type: 'cartLink',
      ...expiry(link.expiresAt, LINK_RETENTION_SECONDS),
    }),
    cart: {
      ConditionCheck: {
        TableName: tableName(),
        Key: cartKey(cart.conversationId, cart.expiresAt),
        ConditionExpression: 'cartId = :cartId AND version = :version AND attribute_not_exists(paidAt)',
        ExpressionAttributeValues: { ':cartId': cart.cartId, ':version': cart.version },
      },
    },
  });
  if (!cancelled) return true;
  // Only the cart's check is a decision; the link's own condition guards a token that cannot repeat.
  if (cancelled.has('cart')) return false;
  throw cancelled.error;
}

/** Notes on the cart that (and by whom) it was shared, once the link reached the customer. Best effort: a cart edited meanwhile keeps its own state. */
export async function recordShare(
  cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'cartId'>,
  share: { sharedUrl: string; sharedBy: string; sharedAt: string },
): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
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
    ),
  );
}

/** Withdraws a link that was never delivered (the message was refused), so no usable token is left behind. */
export async function deleteLink(token: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: linkKey(token) }));
}
