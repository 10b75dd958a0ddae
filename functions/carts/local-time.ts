/**
 * Remote carts in the store's time zone (luxon): the store-local midnight a cart and its link
 * expire at, and an instant as the store's clock shows it. Apart from ./rules.ts so that a bundle
 * that only reads or edits carts does not load luxon (README, "Measured").
 */
import { DateTime } from 'luxon';

/**
 * The first instant of the next calendar day in `timezone`, as a UTC instant. Carts and their
 * links end there. Calendar arithmetic (not "+24 h") keeps it right on 23- and 25-hour DST days
 * and in zones offset by half or quarter hours; where a DST jump skips local midnight itself,
 * luxon lands on the first instant that exists that day.
 */
export function nextLocalMidnight(now: Date, timezone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timezone}`);
  return local.plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * The midnight that began the local day of `now` in `timezone`. A zone's 00:00 run clears the
 * carts that expire exactly then; it is the same calendar arithmetic as nextLocalMidnight, so
 * both land on the same instant on DST days and where a jump skips midnight itself.
 */
export function localMidnightAtOrBefore(now: Date, timezone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timezone}`);
  return local.startOf('day').toJSDate();
}

/** An instant as the store's clock shows it, in the store's locale (`Dec 3, 2026, 9:15 AM`). */
export function formatLocalTime(instant: string, timezone: string, locale: string): string {
  return DateTime.fromISO(instant, { zone: timezone }).setLocale(locale).toLocaleString(DateTime.DATETIME_MED);
}
