/**
 * What every associate's cart use case starts from: the conversation (if the caller's store owns
 * it), the store, and today's cart; and how a cart write that lost a race is retried.
 */
import { loadConversation, type Conversation } from '../conversations/outbound';
import { RETRY, withContentionRetry } from '../shared/dynamo/conditions';
import { ConflictError, NotFoundError, RuleViolationError } from '../shared/errors';
import { actingStore, type Principal } from '../shared/principal';
import { getStore } from '../stores/repository';
import type { Store } from '../stores/model';
import type { Cart } from './model';
import * as repository from './repository';
import { nextLocalMidnight } from './local-time';
import { isExpired } from './rules';

export interface CartScope {
  conversation: Conversation;
  store: Store;
  /** Today's store-local midnight: the key of the conversation's open cart. */
  expiresAt: string;
}

/**
 * The conversation, if the caller's store owns it. Another store's conversation is a 404, the
 * same answer as a conversation that does not exist, so ids cannot be probed across stores.
 */
export async function scopeOf(principal: Principal, conversationId: string, now: Date): Promise<CartScope> {
  const storeId = actingStore(principal);
  const conversation = await loadConversation(conversationId);
  if (!conversation || conversation.storeId !== storeId)
    throw new NotFoundError(`No conversation ${conversationId} in your store.`);
  const store = await getStore(storeId);
  if (!store)
    throw new RuleViolationError(
      `Store ${storeId} is not registered, so its carts have no currency or timezone.`,
      'unknown-store',
    );
  return { conversation, store, expiresAt: (await nextLocalMidnight(now, store.timezone)).toISOString() };
}

/** Today's cart of the conversation, unpaid and unexpired, or undefined. `paid` says a just-paid cart is still being cleared. */
export async function currentCart(scope: CartScope, now: Date): Promise<{ cart?: Cart; paid?: Cart }> {
  const cart = await repository.getCart(scope.conversation.conversationId, scope.expiresAt);
  if (!cart || isExpired(cart, now)) return {};
  return cart.paidAt ? { paid: cart } : { cart };
}

/**
 * A bound on tries of a write without If-Match, above the shared default: such a write must land
 * rather than answer 409, and this is far above what a conversation's associates produce at once.
 */
const UNCONDITIONAL_EDIT_ATTEMPTS = 50;

/**
 * Runs `attempt` (read the cart, then write it conditionally) until its write lands; an attempt
 * answers RETRY when its condition failed. With If-Match a lost race is a 409 at once (the
 * caller named the version it saw). Without, the caller asked for "whatever is current", so a
 * lost race is the server's to retry on the fresh cart, with the shared backoff, until it lands.
 */
export function retryUnlessIfMatch<T>(
  ifMatch: number | undefined,
  lostRace: string,
  attempt: () => Promise<T | typeof RETRY>,
): Promise<T> {
  return withContentionRetry(async (n) => {
    const result = await attempt();
    if (result !== RETRY) return result;
    if (ifMatch !== undefined || n >= UNCONDITIONAL_EDIT_ATTEMPTS - 1) throw new ConflictError(lostRace);
    return RETRY;
  }, UNCONDITIONAL_EDIT_ATTEMPTS);
}
