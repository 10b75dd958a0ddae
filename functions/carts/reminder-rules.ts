/**
 * Cart reminders, the pure rules (no AWS, no I/O; docs/rules.md, "Remote carts"): when a share's one
 * reminder is due, why a due reminder is not sent after all, and its text. A reminder that
 * would fall in the store's quiet hours is skipped, never held: held until morning it would
 * arrive after the link's midnight.
 */
import { quietHoursEnd } from '../conversations/quiet-hours';
import type { QuietWindow } from '../conversations/rules';
import type { Cart, CartReminder } from './model';
import { formatMoney, type shareMessage } from './rules';

/**
 * When the reminder of a share made at `now` is due, or undefined for none: the associate said
 * `remind: false`, the store has reminders off (`cartReminderHours: null`), the time
 * (`cartReminderHours` before the link's midnight) is not after `now`, or it falls in the store's
 * quiet hours.
 */
export async function reminderTime(input: {
  expiresAt: string;
  now: Date;
  remind: boolean;
  store: { cartReminderHours: number | null; timezone: string; quietHours: QuietWindow | null };
}): Promise<Date | undefined> {
  const hours = input.store.cartReminderHours;
  if (!input.remind || hours === null) return undefined;
  const at = new Date(Date.parse(input.expiresAt) - hours * 3600_000);
  if (at <= input.now) return undefined;
  if (await quietHoursEnd(at, input.store.timezone, input.store.quietHours)) return undefined;
  return at;
}

export type ReminderSkip = 'cancelled' | 'expired' | 'quiet-hours';

/**
 * Why a due reminder is dropped unsent at `now`, or undefined when it may go (consent is the
 * send's own check):
 * - `cancelled`: the cart is gone or paid, or it is another cart, or it was shared again since
 *   (its link is not this reminder's: only the latest share is reminded);
 * - `expired`: the link's midnight has passed (a run that comes late sends nothing stale);
 * - `quiet-hours`: it is quiet hours at the store now (skipped, not held).
 */
export async function reminderSkip(input: {
  reminder: CartReminder;
  cart: Pick<Cart, 'cartId' | 'paidAt'> | undefined;
  /** SHA-256 of the cart's current link token, if it has one. */
  currentTokenHash: string | undefined;
  store: { timezone: string; quietHours: QuietWindow | null };
  now: Date;
}): Promise<ReminderSkip | undefined> {
  const { reminder, cart } = input;
  if (!cart || cart.paidAt || cart.cartId !== reminder.cartId || input.currentTokenHash !== reminder.tokenHash)
    return 'cancelled';
  if (input.now.getTime() >= Date.parse(reminder.expiresAt)) return 'expired';
  if (await quietHoursEnd(input.now, input.store.timezone, input.store.quietHours)) return 'quiet-hours';
  return undefined;
}

/** The reminder's text: the store, the total and the same link, and that it ends at midnight. */
export function reminderMessage(input: Parameters<typeof shareMessage>[0]): string {
  return `${input.storeName}: a reminder that your cart (${formatMoney(input.total, input.currency, input.locale)}) is waiting. Pay here before midnight tonight: ${input.url}`;
}

/** The token of a cart link (`…/c/<token>`), or undefined for anything else. */
export const tokenOfUrl = (url: string | undefined): string | undefined => url?.match(/\/c\/([^/?#]+)/)?.[1];
