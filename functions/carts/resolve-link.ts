/** What a shared link shows the customer now: the cart page and local checkout read it. */
import { getStore } from '../stores/repository';
import type { Store } from '../stores/model';
import type { Cart, CartLink } from './model';
import * as repository from './repository';
import { isExpired } from './rules';

export type ResolvedLink =
  | { kind: 'open'; cart: Cart; store: Store | undefined; link: CartLink }
  | { kind: 'paid' }
  | { kind: 'expired' }
  | { kind: 'gone' }
  | { kind: 'unknown' };

/**
 * The link points at the live cart instance it was made for (not a snapshot), so an edit after
 * sharing shows the new total; a deleted, paid or expired cart is never replaced by another one.
 */
export async function resolveLink(token: string, now: Date): Promise<ResolvedLink> {
  const link = await repository.getLink(token);
  if (!link) return { kind: 'unknown' };
  if (link.status === 'PAID') return { kind: 'paid' };
  if (isExpired(link, now)) return { kind: 'expired' };
  const cart = await repository.getCart(link.conversationId, link.expiresAt);
  if (!cart || cart.cartId !== link.cartId) return { kind: 'gone' };
  if (cart.paidAt) return { kind: 'paid' };
  return { kind: 'open', cart, store: await getStore(cart.storeId), link };
}
