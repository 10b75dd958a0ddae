/**
 * Cart reminders (docs/rules.md, "Remote carts"): the one reminder of a share, planned when the link is
 * sent and released by the task-reminders run (every minute; functions/tasks/reminders.handler.ts).
 * A reminder is an outbound message of the conversation by the associate who shared, recorded and
 * put on the sender queue like any other (so reports count it as theirs); consent and quiet hours
 * are checked again when it is due, and a payment or a newer share cancels it.
 */
import type { ChannelName } from '../conversations/channels';
import { loadConversation, sendToCustomer } from '../conversations/outbound';
import { purposeTemplateSend } from '../conversations/whatsapp-templates';
import { RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { getStore } from '../stores/repository';
import type { Store } from '../stores/rules';
import type { Cart, CartReminder } from './model';
import { reminderMessage, reminderSkip, reminderTime, tokenOfUrl } from './reminder-rules';
import * as repository from './repository';
import { cartTemplateValues, storeLocale } from './rules';

/** Reminders sent at once while a run works through the due index. */
const SHARD_CONCURRENCY = 4;

/**
 * Plans the reminder of a share that reached the customer: written (replacing an earlier share's)
 * when one is due, otherwise any earlier share's reminder is cancelled. Answers when it is due.
 */
export async function planReminder(input: {
  cart: Pick<Cart, 'conversationId' | 'expiresAt' | 'cartId' | 'storeId'>;
  store: Store;
  token: string;
  sharedBy: string;
  remind: boolean;
  /** The channel the cart was shared on: the reminder goes there too. */
  channel: ChannelName;
  now: Date;
}): Promise<Date | undefined> {
  const { cart } = input;
  const remindAt = await reminderTime({
    expiresAt: cart.expiresAt,
    now: input.now,
    remind: input.remind,
    store: input.store,
  });
  if (!remindAt) {
    await repository.cancelReminder(cart.conversationId, cart.expiresAt);
    return undefined;
  }
  await repository.putReminder({
    conversationId: cart.conversationId,
    expiresAt: cart.expiresAt,
    cartId: cart.cartId,
    storeId: cart.storeId,
    tokenHash: repository.tokenHash(input.token),
    sharedBy: input.sharedBy,
    remindAt: remindAt.toISOString(),
    channel: input.channel,
  });
  return remindAt;
}

export interface ReminderRun {
  sent: number;
  skipped: number;
  leftover: number;
}

/**
 * Sends every reminder due by `now` that still applies, and drops each one it has dealt with, so
 * a second run sends nothing. A run that dies between the send and the drop sends nothing twice
 * either: the message's idempotency key is the share's.
 */
export async function sendDueCartReminders(now: Date, deadline: number): Promise<ReminderRun> {
  const counts = { sent: 0, skipped: 0 };
  const { leftover } = await repository.workDueReminders(
    now,
    { deadline, shardConcurrency: SHARD_CONCURRENCY },
    async (reminders) => {
      for (const reminder of reminders) {
        try {
          const outcome = await releaseReminder(reminder, now);
          counts[outcome === 'sent' ? 'sent' : 'skipped']++;
          await repository.dropReminder(reminder);
        } catch (error) {
          // One reminder's failure stays its own: it is still due, and the next run tries it again.
          logger.error('cart reminder failed; the next run tries again', {
            error: error as Error,
            conversationId: reminder.conversationId,
          });
        }
      }
    },
  );
  return { ...counts, leftover };
}

/** One due reminder: sent, or why not (reminder-rules.ts reminderSkip; the customer cannot be texted). */
async function releaseReminder(reminder: CartReminder, now: Date): Promise<string> {
  const [cart, store, conversation] = await Promise.all([
    repository.getCart(reminder.conversationId, reminder.expiresAt),
    getStore(reminder.storeId),
    loadConversation(reminder.conversationId),
  ]);
  const skip =
    store && conversation
      ? await reminderSkip({ reminder, cart, currentTokenHash: hashOfLink(cart), store, now })
      : 'cancelled';
  if (skip || !cart?.sharedUrl || !store || !conversation) {
    logger.info('cart reminder skipped', { conversationId: reminder.conversationId, reason: skip });
    return skip ?? 'cancelled';
  }
  const link = {
    storeName: store.name,
    url: cart.sharedUrl,
    total: cart.total,
    currency: cart.currency,
    locale: storeLocale(store.country),
  };
  try {
    // On the share's channel; WhatsApp outside the window: the approved CART template (docs/rules.md, "WhatsApp").
    await sendToCustomer({
      conversation,
      text: reminderMessage(link),
      channel: reminder.channel ?? 'sms',
      outsideWindow: () => purposeTemplateSend('CART', cartTemplateValues(link), conversation.customer),
      sentBy: reminder.sharedBy,
      now,
      idempotency: { key: `cart-reminder:${reminder.tokenHash}`, bodyHash: 'cart-reminder' },
    });
    return 'sent';
  } catch (error) {
    if (!(error instanceof RuleViolationError)) throw error;
    // Opted out since the share (or otherwise not textable now): nothing goes, nothing is held.
    logger.info('cart reminder not sent', { conversationId: reminder.conversationId, rule: error.slug });
    return 'refused';
  }
}

const hashOfLink = (cart: Cart | undefined): string | undefined => {
  const token = tokenOfUrl(cart?.sharedUrl);
  return token ? repository.tokenHash(token) : undefined;
};
