/** Sharing a cart with the customer: a new link, sent as a message of the conversation. */
import { quietHoursHold, sendToCustomer } from '../conversations/outbound';
import { purposeTemplateSend } from '../conversations/whatsapp-templates';
import { planReminder } from './cart-reminders';
import { recordCartShare } from '../reports/record-cart-share';
import { loadConfig } from '../shared/config';
import { RETRY } from '../shared/dynamo/conditions';
import { NotFoundError, QuietHoursError, RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import type { Principal } from '../shared/principal';
import * as repository from './repository';
import type { ChannelName } from '../conversations/channels';
import { cartTemplateValues, newShareToken, requireVersion, shareBlocker, shareMessage, storeLocale } from './rules';
import { currentCart, retryUnlessIfMatch, scopeOf } from './scope';

const publicBaseUrl = () => loadConfig('publicBaseUrl').publicBaseUrl;
const cartPageUrl = (token: string) => `${publicBaseUrl()}/c/${token}`;

/**
 * Shares the cart with the customer.
 * 1. The cart must be ready: not empty, and with delivery set when anything ships (422). In the
 *    store's quiet hours, to a customer whose last message is more than 24 hours old, the share
 *    is refused (422 `quiet-hours`, with the time they end): held until morning, a link would
 *    arrive after its own midnight (docs/rules.md, "Compliance").
 * 2. A new unguessable link is stored for this cart instance, valid until its store-local
 *    midnight, provided the cart is still the version read. Without If-Match an edit racing the
 *    share is retried on the fresh cart (the link follows the live cart anyway).
 * 3. The link goes out as a message of the conversation on the channel asked for (its opt-in and
 *    window rules apply; WhatsApp outside the window sends the approved CART template, filled with
 *    the link: docs/rules.md, "WhatsApp"). Only when the
 *    message certainly did not go out (refused by a rule or by the carrier for good) is the link
 *    withdrawn; once sent, a link keeps working until midnight or payment, whatever edits follow.
 * 4. The cart notes who shared it; the link itself carries the associate for payment attribution.
 * 5. Unless `remind` is false, the share's one reminder is planned (cart-reminders.ts), replacing
 *    an earlier share's; the answer says when it is due (`reminderAt`), absent when none is
 *    (or when planning it failed: logged, and the share still succeeds, its link being out).
 */
export async function shareCart(input: {
  principal: Principal;
  conversationId: string;
  ifMatch: number | undefined;
  now: Date;
  /** Whether the customer gets the share's reminder before midnight (docs/rules.md, "Remote carts"). */
  remind?: boolean;
  /** The channel the link and its reminder go on (default SMS). */
  channel?: ChannelName;
}): Promise<{ url: string; expiresAt: string; reminderAt?: string }> {
  const scope = await scopeOf(input.principal, input.conversationId, input.now);
  const heldUntil = await quietHoursHold(scope.conversation, scope.store, input.now);
  if (heldUntil)
    throw new QuietHoursError(
      `It is quiet hours at store ${scope.store.storeId} and the customer has not written in the last 24 hours, so a cart link cannot go now; share it after ${heldUntil.toISOString()}.`,
      heldUntil,
    );
  const token = newShareToken();
  const url = cartPageUrl(token);
  const sharedAt = input.now.toISOString();
  const cart = await retryUnlessIfMatch(
    input.ifMatch,
    'The cart was changed by someone else while it was being shared (or paid). Reload it and share again.',
    async () => {
      const { cart } = await currentCart(scope, input.now);
      if (!cart) throw new NotFoundError(`Conversation ${input.conversationId} has no open cart.`);
      requireVersion(cart, input.ifMatch);
      const blocker = shareBlocker(cart);
      if (blocker) throw new RuleViolationError(blocker, 'cart-not-ready');
      const created = await repository.createLink(
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
      return created ? cart : RETRY;
    },
  );
  const link = {
    storeName: scope.store.name,
    url,
    total: cart.total,
    currency: cart.currency,
    locale: storeLocale(scope.store.country),
  };
  const channel = input.channel ?? 'sms';
  try {
    await sendToCustomer({
      conversation: scope.conversation,
      text: shareMessage(link),
      channel,
      outsideWindow: () => purposeTemplateSend('CART', cartTemplateValues(link), scope.conversation.customer),
      sentBy: input.principal.userId,
      now: input.now,
    });
  } catch (error) {
    if (error instanceof RuleViolationError) {
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
  // The link is out: a reminder that cannot be planned must not turn the share into an error (a retry would send a second link).
  const reminderAt = await planReminder({
    cart,
    store: scope.store,
    token,
    sharedBy: input.principal.userId,
    remind: input.remind ?? true,
    channel,
    now: input.now,
  }).catch((error: unknown) => {
    logger.error('cart reminder not planned', { error: error as Error, conversationId: cart.conversationId });
    return undefined;
  });
  return { url, expiresAt: cart.expiresAt, ...(reminderAt ? { reminderAt: reminderAt.toISOString() } : {}) };
}
