/**
 * Remote carts, the use cases: what associates do to a conversation's cart (read, edit, share,
 * delete) and how a shared link resolves to the cart behind it. Handlers call these; the keys and
 * conditions live in repository.ts, the rules in rules.ts.
 */
import { randomUUID } from 'node:crypto';
import { loadConversation, sendToCustomer, type Conversation } from '../conversations/outbound';
import { loadConfig } from '../shared/config';
import { backoff } from '../shared/concurrency';
import { CarrierRefusedError, ConflictError, NotFoundError, RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { recordCartShare } from '../reports/record-cart-share';
import { actingStore, type Principal } from '../shared/principal';
import { getStore } from '../stores/repository';
import type { Store } from '../stores/rules';
import * as repository from './repository';
import {
  isExpired,
  newShareToken,
  nextLocalMidnight,
  requireVersion,
  shareBlocker,
  shareMessage,
  storeLocale,
  type Cart,
} from './rules';

interface CartScope {
  conversation: Conversation;
  store: Store;
  /** Today's store-local midnight: the key of the conversation's open cart. */
  expiresAt: string;
}

/**
 * The conversation, if the caller's store owns it. Another store's conversation is a 404, the
 * same answer as a conversation that does not exist, so ids cannot be probed across stores.
 */
async function scopeOf(principal: Principal, conversationId: string, now: Date): Promise<CartScope> {
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
  return { conversation, store, expiresAt: nextLocalMidnight(now, store.timezone).toISOString() };
}

/** Today's cart of the conversation, unpaid and unexpired, or undefined. `paid` says a just-paid cart is still being cleared. */
async function currentCart(scope: CartScope, now: Date): Promise<{ cart?: Cart; paid?: Cart }> {
  const cart = await repository.getCart(scope.conversation.conversationId, scope.expiresAt);
  if (!cart || isExpired(cart, now)) return {};
  return cart.paidAt ? { paid: cart } : { cart };
}

export async function getOpenCart(principal: Principal, conversationId: string, now: Date): Promise<Cart> {
  const scope = await scopeOf(principal, conversationId, now);
  const { cart } = await currentCart(scope, now);
  if (!cart) throw new NotFoundError(`Conversation ${conversationId} has no open cart.`);
  return cart;
}

type Contents = Pick<Cart, 'items' | 'subtotal' | 'total'> & { delivery?: Cart['delivery'] };

/** A bound on retries of an edit without If-Match: far above what a conversation's associates produce at once. */
const UNCONDITIONAL_EDIT_ATTEMPTS = 50;

/**
 * Applies an edit as a conditional write on the cart's version.
 * 1. Read today's cart; with If-Match, a different version is a 409 at once.
 * 2. Compute the new contents (the rules price them) and write them only if the version is still
 *    the one read (or, for a new cart, if none exists).
 * 3. Without If-Match the caller asked for "whatever is current", so a lost race is the server's
 *    to retry: it reads the fresh cart and applies the change again, with a backoff, until it lands.
 */
async function editCart(input: {
  principal: Principal;
  conversationId: string;
  ifMatch: number | undefined;
  now: Date;
  createIfMissing: boolean;
  change: (current: Cart | undefined) => Contents;
}): Promise<Cart> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await backoff(Math.min(attempt, 6), 10, 500);
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
    try {
      await repository.saveCart(next, current?.version);
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError) || input.ifMatch !== undefined || attempt >= UNCONDITIONAL_EDIT_ATTEMPTS)
        throw error;
    }
  }
}

export function putItem(
  input: { principal: Principal; conversationId: string; ifMatch: number | undefined; now: Date },
  change: (current: Cart | undefined) => Contents,
): Promise<Cart> {
  return editCart({ ...input, createIfMissing: true, change });
}

export function changeCart(
  input: { principal: Principal; conversationId: string; ifMatch: number | undefined; now: Date },
  change: (current: Cart) => Contents,
): Promise<Cart> {
  return editCart({ ...input, createIfMissing: false, change: (current) => change(current!) });
}

/** Deletes today's cart; without If-Match an edit racing the delete is retried on the fresh cart, never a 409. */
export async function deleteOpenCart(input: {
  principal: Principal;
  conversationId: string;
  ifMatch: number | undefined;
  now: Date;
}): Promise<void> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await backoff(Math.min(attempt, 6), 10, 500);
    const { cart, paid } = await currentCart(scope, input.now);
    if (paid) throw new ConflictError('The customer has just paid this cart; it is being cleared already.');
    if (!cart) throw new NotFoundError(`Conversation ${input.conversationId} has no open cart.`);
    requireVersion(cart, input.ifMatch);
    try {
      await repository.deleteCart(cart);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || input.ifMatch !== undefined || attempt >= UNCONDITIONAL_EDIT_ATTEMPTS)
        throw error;
    }
  }
}

const publicBaseUrl = () => loadConfig('publicBaseUrl').publicBaseUrl;
export const cartPageUrl = (token: string) => `${publicBaseUrl()}/c/${token}`;

/**
 * Shares the cart with the customer.
 * 1. The cart must be ready: not empty, and with delivery set when anything ships (422).
 * 2. A new unguessable link is stored for this cart instance, valid until its store-local
 *    midnight, provided the cart is still the version read. Without If-Match an edit racing the
 *    share is retried on the fresh cart (the link follows the live cart anyway).
 * 3. The link goes out as a message of the conversation (opt-in rules apply). Only when the
 *    message certainly did not go out (refused by a rule or by the carrier for good) is the link
 *    withdrawn; once sent, a link keeps working until midnight or payment, whatever edits follow.
 * 4. The cart notes who shared it; the link itself carries the associate for payment attribution.
 */
export async function shareCart(input: {
  principal: Principal;
  conversationId: string;
  ifMatch: number | undefined;
  now: Date;
}): Promise<{ url: string; expiresAt: string }> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  const token = newShareToken();
  const url = cartPageUrl(token);
  const sharedAt = input.now.toISOString();
  let cart: Cart | undefined;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) await backoff(Math.min(attempt, 6), 10, 500);
    cart = (await currentCart(scope, input.now)).cart;
    if (!cart) throw new NotFoundError(`Conversation ${input.conversationId} has no open cart.`);
    requireVersion(cart, input.ifMatch);
    const blocker = shareBlocker(cart);
    if (blocker) throw new RuleViolationError(blocker, 'cart-not-ready');
    try {
      await repository.createLink(
        {
          token,
          conversationId: cart.conversationId,
          storeId: cart.storeId,
          cartId: cart.cartId,
          expiresAt: cart.expiresAt,
          sharedBy: input.principal.userId,
          sharedAt,
          status: 'ACTIVE',
        },
        cart,
      );
      break;
    } catch (error) {
      if (!(error instanceof ConflictError) || input.ifMatch !== undefined || attempt >= UNCONDITIONAL_EDIT_ATTEMPTS)
        throw error;
    }
  }
  try {
    await sendToCustomer({
      conversation: scope.conversation,
      text: shareMessage({
        storeName: scope.store.name,
        url,
        total: cart.total,
        currency: cart.currency,
        locale: storeLocale(scope.store.country),
      }),
      sentBy: input.principal.userId,
      now: input.now,
    });
  } catch (error) {
    if (error instanceof RuleViolationError || error instanceof CarrierRefusedError) {
      await repository
        .deleteLink(token)
        .catch((cleanup: unknown) =>
          logger.error('could not withdraw an undelivered cart link', { error: cleanup as Error }),
        );
    }
    throw error;
  }
  await repository.recordShare(cart, { sharedUrl: url, sharedBy: input.principal.userId, sharedAt });
  await recordCartShare({
    storeId: cart.storeId,
    customerId: cart.customerId,
    token,
    sharedBy: input.principal.userId,
    at: input.now,
  });
  return { url, expiresAt: cart.expiresAt };
}

export type ResolvedLink =
  | { kind: 'open'; cart: Cart; store: Store | undefined; link: repository.CartLink }
  | { kind: 'paid' }
  | { kind: 'expired' }
  | { kind: 'gone' }
  | { kind: 'unknown' };

/**
 * What a shared link shows now. The link points at the live cart instance it was made for (not a
 * snapshot), so an edit after sharing shows the new total; a deleted, paid or expired cart is
 * never replaced by another one.
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
