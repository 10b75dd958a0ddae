/**
 * Quiet hours (docs/rules.md, "Compliance"): when a store's quiet window that an instant falls in
 * ends, and so when a message asked for now may go out. Store-local wall-clock times, computed
 * with luxon: the only conversation rule that needs a zone's calendar, kept apart from ./rules.ts
 * so that only the bundles that schedule sends hold it. luxon itself is loaded by the first call
 * that needs it (functions/shared/zones.ts): a store without quiet hours, a receipt or a reply to
 * a customer who just wrote never loads it (README, "Measured").
 */
import { loadLuxon } from '../shared/zones';
import { type QuietWindow, REPLY_WINDOW_HOURS } from './rules';

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the quiet hours that `at` falls in end, or undefined when `at` is outside them (or the
 * store has none). Store-local wall-clock times: a window may span midnight (21:00–08:00) or not
 * (12:00–13:30). On a DST day an end time that does not exist (02:30 when clocks jump from 02:00
 * to 03:00) is the first instant after the gap, as luxon resolves it.
 */
export async function quietHoursEnd(at: Date, timezone: string, quiet: QuietWindow | null): Promise<Date | undefined> {
  if (!quiet) return undefined;
  const { DateTime } = await loadLuxon();
  const local = DateTime.fromJSDate(at, { zone: timezone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const spansMidnight = start > end;
  const inside = spansMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const day = spansMidnight && minute >= start ? local.plus({ days: 1 }) : local;
  return day.set({ hour: Math.floor(end / 60), minute: end % 60, second: 0, millisecond: 0 }).toJSDate();
}

/**
 * When a message asked for at `now` may go out, or undefined for "at once":
 * 1. a `sendAt` in the future is the earliest time;
 * 2. quiet hours at that time push it to their end, unless the message is exempt (a receipt, a
 *    system reply) or answers a customer who wrote in the 24 hours before that time.
 */
export async function releaseTime(input: {
  now: Date;
  sendAt?: Date;
  timezone: string;
  quietHours: QuietWindow | null;
  lastInboundAt?: string;
  exempt: boolean;
}): Promise<Date | undefined> {
  const at = input.sendAt && input.sendAt > input.now ? input.sendAt : input.now;
  const answering =
    input.lastInboundAt !== undefined && at.getTime() - Date.parse(input.lastInboundAt) < REPLY_WINDOW_HOURS * 3600_000;
  const held = input.exempt || answering ? undefined : await quietHoursEnd(at, input.timezone, input.quietHours);
  const release = held ?? at;
  return release > input.now ? release : undefined;
}
