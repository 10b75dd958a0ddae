/**
 * Pure rules of attribution and reports: the attribution window, report days, the first-response
 * sketch, money per currency and formula-safe CSV cells. No AWS, no I/O.
 */
import { majorUnits } from '../shared/money';

/** A paid cart counts for the last campaign that touched the customer at most this long before payment. */
export const ATTRIBUTION_WINDOW_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

/** True when a touch at `touchedAt` may take the credit for a payment at `paidAt` (last touch, 30 days, never after). */
export function withinAttributionWindow(touchedAt: Date, paidAt: Date): boolean {
  const age = paidAt.getTime() - touchedAt.getTime();
  return age >= 0 && age <= ATTRIBUTION_WINDOW_DAYS * DAY_MS;
}

/**
 * Whether an outbound message is an associate's own (it counts as contact and as work done).
 * System sends (`system:*`), and sends made on a user's behalf by the system (the receipt goes out
 * under the sharer's name but is acted by `system:payments`), do not.
 */
export const isAssociateSend = (sentBy: string, actingUserId: string): boolean =>
  !sentBy.startsWith('system:') && !actingUserId.startsWith('system:');

// ── days ─────────────────────────────────────────────────────────────────────────────────────

/** The UTC calendar day of an instant, `YYYY-MM-DD`: the bucket of the store report's counters. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The longest store report range, so a report reads at most this many day partitions. */
export const MAX_REPORT_DAYS = 366;

/** The days from `from` to `to`, both included (`YYYY-MM-DD`, UTC), or why the range is refused. */
export function reportDays(from: string, to: string): { days: string[] } | { error: string } {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || dayOf(new Date(start)) !== from)
    return { error: 'from must be a calendar date, YYYY-MM-DD' };
  if (Number.isNaN(end) || dayOf(new Date(end)) !== to) return { error: 'to must be a calendar date, YYYY-MM-DD' };
  if (end < start) return { error: 'to must not be before from' };
  const count = Math.round((end - start) / DAY_MS) + 1;
  if (count > MAX_REPORT_DAYS) return { error: `a report covers at most ${MAX_REPORT_DAYS} days` };
  return { days: Array.from({ length: count }, (_, i) => dayOf(new Date(start + i * DAY_MS))) };
}

// ── counters ─────────────────────────────────────────────────────────────────────────────────

/** Shards of a campaign's per-store counters: a busy store's payments and shares spread over 8 items. */
export const COUNTER_SHARDS = 8;
export const randomShard = (): number => Math.floor(Math.random() * COUNTER_SHARDS);

export interface Money {
  currency: string;
  amount: number;
}

/** The attribute that holds a currency's revenue on a counter item (`rev_EUR`). */
export const revenueAttribute = (currency: string): string => `rev_${currency}`;

/** Revenue per currency from counter items' `rev_<CUR>` attributes, summed per currency only, sorted by currency. */
export function revenueOf(items: readonly Record<string, unknown>[]): Money[] {
  const totals = new Map<string, number>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      const match = /^rev_([A-Z]{3})$/.exec(name);
      if (match && typeof value === 'number') totals.set(match[1]!, (totals.get(match[1]!) ?? 0) + value);
    }
  }
  return [...totals].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amount]) => ({ currency, amount }));
}

/** Sums money lists per currency. */
export const addMoney = (...lists: readonly Money[][]): Money[] =>
  revenueOf(lists.flat().map((money) => ({ [revenueAttribute(money.currency)]: money.amount })));

// ── first-response sketch ────────────────────────────────────────────────────────────────────

/**
 * First response times go into a fixed log-scale histogram: bucket 0 holds waits under 1 s, and
 * bucket i ≥ 1 holds [γ^(i-1), γ^i) seconds with γ = 1.1. Histograms of any associates and days
 * merge by adding counts, so a report sums per-day items. The median is answered as the geometric
 * middle of its bucket: at most ±5% from the true median (bucket 0 answers 0).
 */
export const SKETCH_GROWTH = 1.1;
/** Waits above γ^(buckets-1) (about 74 days) fall in the last bucket. */
export const SKETCH_BUCKETS = 200;

export function sketchBucket(seconds: number): number {
  if (!(seconds >= 1)) return 0;
  return Math.min(SKETCH_BUCKETS - 1, Math.floor(Math.log(seconds) / Math.log(SKETCH_GROWTH)) + 1);
}

/** The value a bucket answers: the geometric middle of its bounds (0 for bucket 0). */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return Math.sqrt(SKETCH_GROWTH ** (bucket - 1) * SKETCH_GROWTH ** bucket);
}

/** The attribute of a bucket's count on a counter item (`frt_12`). */
export const sketchAttribute = (bucket: number): string => `frt_${bucket}`;

/** Merges the `frt_<i>` counts of counter items into one histogram. */
export function mergeSketches(items: readonly Record<string, unknown>[]): Map<number, number> {
  const merged = new Map<number, number>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      const match = /^frt_(\d+)$/.exec(name);
      if (match && typeof value === 'number') merged.set(Number(match[1]), (merged.get(Number(match[1])) ?? 0) + value);
    }
  }
  return merged;
}

/** The (lower) median of a histogram, in whole seconds; null when it is empty. */
export function sketchMedian(histogram: ReadonlyMap<number, number>): number | null {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(total / 2);
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return Math.round(bucketValue(bucket));
  }
  return null;
}

// ── CSV export ───────────────────────────────────────────────────────────────────────────────

/**
 * An export is a download, not an archive: the uploads bucket's lifecycle deletes its object
 * after this many days (lib/constructs/storage.ts), the table's TTL its record, and from then
 * on it answers 404 (docs/reports.md, "Export"). A new export is one request away.
 */
export const EXPORT_EXPIRY_DAYS = 7;

/** When an export made at this time expires. */
export const exportExpiresAt = (createdAt: string): Date =>
  new Date(Date.parse(createdAt) + EXPORT_EXPIRY_DAYS * DAY_MS);

export const EXPORT_HEADER = [
  'customer email',
  'store id',
  'contacted',
  'contacted by',
  'contacted at',
  'replied',
  'orders paid',
  'revenue',
  'currency',
] as const;

/** An entry's revenue as the export writes it: major units (`129.00`) of its currency; `0` before any order. */
export const exportRevenue = (revenue: number, currency: string | undefined): string =>
  currency ? majorUnits(revenue, currency) : String(revenue);

/**
 * One CSV cell: a value that a spreadsheet would run as a formula (first character `=`, `+`, `-`
 * or `@`) gets a leading `'`; then it is quoted (quotes doubled) when it holds a comma, quote or
 * line break.
 */
export function csvCell(value: string | number | boolean): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly (string | number | boolean)[]): string => `${cells.map(csvCell).join(',')}\r\n`;
