/** Cart items: today's cart of a conversation, written only under its version (keys: ./keys.ts). */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Cart } from '../model';
import { CART_TTL_AFTER_EXPIRY_SECONDS, cartKey, expiryIndexKeys } from './keys';
import { expiry, putIfAbsent, tableName } from '../../shared/dynamo/table';

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

export function toCart(item: Record<string, unknown> | undefined): Cart | undefined {
  if (!item) return undefined;
  return Object.fromEntries(
    CART_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as Cart;
}

/** The conversation's cart for the day that ends at `expiresAt` (strongly consistent: edits read their own writes). */
export async function getCart(conversationId: string, expiresAt: string): Promise<Cart | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: cartKey(conversationId, expiresAt), ConsistentRead: true }),
  );
  return toCart(out.Item);
}

/**
 * Writes a new or changed cart. `previousVersion` undefined means "create": the cart must not
 * exist. Otherwise the stored cart must still be at that version and unpaid. False when the
 * condition failed (a lost race, or the cart was paid): the caller decides.
 */
export async function saveCart(cart: Cart, previousVersion: number | undefined): Promise<boolean> {
  const item = {
    ...cartKey(cart.conversationId, cart.expiresAt),
    ...expiryIndexKeys(cart),
    ...cart,
    type: 'cart',
    ...expiry(cart.expiresAt, CART_TTL_AFTER_EXPIRY_SECONDS),
  };
  const put =
    previousVersion === undefined
      ? putIfAbsent(item).Put
      : {
          TableName: tableName(),
          Item: item,
          ConditionExpression: 'version = :previous AND attribute_not_exists(paidAt)',
          ExpressionAttributeValues: { ':previous': previousVersion },
        };
  return writeIfUnchanged(() => documentClient.send(new PutCommand(put)));
}

/** Deletes the cart if it is still at `version` and unpaid; false when it is not. */
export async function deleteCart(cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'version'>): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: cartKey(cart.conversationId, cart.expiresAt),
        ConditionExpression: 'version = :version AND attribute_not_exists(paidAt)',
        ExpressionAttributeValues: { ':version': cart.version },
      }),
    ),
  );
}
