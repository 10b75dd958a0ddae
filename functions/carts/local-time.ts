/**
 * Remote carts in the store's time zone: the store-local midnight a cart and its link expire at
 * (luxon), and an instant as the store's clock shows it (Intl). Apart from ./rules.ts so that a bundle
 * that only reads or edits carts does not hold luxon; where it does, luxon is loaded by the first
 * call (functions/shared/zones.ts, README "Measured").
 */
import { loadLuxon } from '../shared/zones';

/**
 * The first instant of the next calendar day in `timezone`, as a UTC instant. Carts and their
 * links end there. Calendar arithmetic (not "+24 h") keeps it right on 23- and 25-hour DST days
 * and in zones offset by half or quarter hours; where a DST jump skips local midnight itself,
 * luxon lands on the first instant that exists that day.
 */
export async function nextLocalMidnight(now: Date, timezone: string): Promise<Date> {
  const { DateTime } = await loadLuxon();
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timezone}`);
  return local.plus({ days: 1 }).startOf('day').toJSDate();
}

/**
 * The midnight that began the local day of `now` in `timezone`. A zone's 00:00 run clears the
 * carts that expire exactly then; it is the same calendar arithmetic as nextLocalMidnight, so
 * both land on the same instant on DST days and where a jump skips midnight itself.
 */
export async function localMidnightAtOrBefore(now: Date, timezone: string): Promise<Date> {
  const { DateTime } = await loadLuxon();
  const local = DateTime.fromJSDate(now, { zone: timezone });
  if (!local.isValid) throw new Error(`Unknown time zone ${timezone}`);
  return local.startOf('day').toJSDate();
}

/**
 * An instant as the store's clock shows it, in the store's locale (`Dec 3, 2026, 9:15 AM`):
 * Intl's formatter with the options of luxon's `DATETIME_MED`, exactly what luxon's
 * `toLocaleString(DateTime.DATETIME_MED)` prints (test/unit/carts-rules.test.ts compares them).
 * Formatting needs no zone arithmetic, so the cart page renders without loading luxon.
 */
export function formatLocalTime(instant: string, timezone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { ...DATETIME_MED, timeZone: timezone }).format(new Date(instant));
}

/** luxon's `DateTime.DATETIME_MED`. */
const DATETIME_MED = { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: 'numeric' } as const;
