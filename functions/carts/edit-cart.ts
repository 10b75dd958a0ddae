/**
 * What associates do to a conversation's cart: read it, put or change items and delivery, delete
 * it. Every write is conditional on the cart's version (./scope.ts retries a lost race).
 */
import { randomUUID } from 'node:crypto';
import { RETRY } from '../shared/dynamo/conditions';
import { ConflictError, NotFoundError } from '../shared/errors';
import type { Principal } from '../shared/principal';
import type { Cart } from './model';
import * as repository from './repository';
import { requireVersion } from './rules';
import { currentCart, retryUnlessIfMatch, scopeOf } from './scope';

const CHANGED_MEANWHILE = 'The cart was changed by someone else at the same time (or paid). Reload it and try again.';

export async function getOpenCart(principal: Principal, conversationId: string, now: Date): Promise<Cart> {
  const scope = await scopeOf(principal, conversationId, now);
  const { cart } = await currentCart(scope, now);
  if (!cart) throw new NotFoundError(`Conversation ${conversationId} has no open cart.`);
  return cart;
}

type Contents = Pick<Cart, 'items' | 'subtotal' | 'total'> & { delivery?: Cart['delivery'] };

interface EditInput {
  principal: Principal;
  conversationId: string;
  ifMatch: number | undefined;
  now: Date;
}

/**
 * Applies an edit as a conditional write on the cart's version.
 * 1. Read today's cart; with If-Match, a different version is a 409 at once.
 * 2. Compute the new contents (the rules price them) and write them only if the version is still
 *    the one read (or, for a new cart, if none exists).
 * 3. Without If-Match the caller asked for "whatever is current", so a lost race is the server's
 *    to retry: it reads the fresh cart and applies the change again, with a backoff, until it lands.
 */
async function editCart(
  input: EditInput & { createIfMissing: boolean; change: (current: Cart | undefined) => Contents },
): Promise<Cart> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  return retryUnlessIfMatch(input.ifMatch, CHANGED_MEANWHILE, async () => {
    const { cart: current, paid } = await currentCart(scope, input.now);
    if (paid) throw new ConflictError('The customer has just paid this cart; it can no longer change.');
    requireVersion(current, input.ifMatch);
    if (!current && !input.createIfMissing)
      throw new NotFoundError(`Conversation ${input.conversationId} has no open cart.`);
    const at = input.now.toISOString();
    const next: Cart = {
      ...(current ?? {
        cartId: randomUUID(),
        conversationId: scope.conversation.conversationId,
        storeId: scope.store.storeId,
        customerId: scope.conversation.customerId,
        currency: scope.store.currency,
        expiresAt: scope.expiresAt,
        timezone: scope.store.timezone,
        createdAt: at,
        items: [],
        subtotal: 0,
        total: 0,
        version: 0,
      }),
      ...input.change(current),
      version: (current?.version ?? 0) + 1,
      updatedAt: at,
    };
    return (await repository.saveCart(next, current?.version)) ? next : RETRY;
  });
}

export function putItem(input: EditInput, change: (current: Cart | undefined) => Contents): Promise<Cart> {
  return editCart({ ...input, createIfMissing: true, change });
}

export function changeCart(input: EditInput, change: (current: Cart) => Contents): Promise<Cart> {
  return editCart({ ...input, createIfMissing: false, change: (current) => change(current!) });
}

/** Deletes today's cart; without If-Match an edit racing the delete is retried on the fresh cart, never a 409. */
export async function deleteOpenCart(input: EditInput): Promise<void> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  await retryUnlessIfMatch(input.ifMatch, CHANGED_MEANWHILE, async () => {
    const { cart, paid } = await currentCart(scope, input.now);
    if (paid) throw new ConflictError('The customer has just paid this cart; it is being cleared already.');
    if (!cart) throw new NotFoundError(`Conversation ${input.conversationId} has no open cart.`);
    requireVersion(cart, input.ifMatch);
    return (await repository.deleteCart(cart)) ? true : RETRY;
  });
}
