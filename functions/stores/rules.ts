/**
 * Stores and customers: the normalisation rules, pure (no AWS, no I/O): emails, search terms and
 * buckets, the midnight schedules. The input shapes (zod) are in schemas.ts, the stored types in
 * model.ts. Nearly every function imports this file (the store repository does), few validate a
 * store or a customer: the schemas are built only where schemas.ts is imported (README, "Measured").
 */
import * as z from 'zod/mini';
import type { Customer, MidnightSchedule } from './model';
import type { CustomerInput, QuietHours, StoreWhatsApp } from './schemas';

// The stored types, where other capabilities have always read them.
export type { Customer, Store } from './model';
export type { CustomerInput, CustomerPatch, QuietHours, StoreInput, StoreWhatsApp } from './schemas';

/** Quiet hours when a store names none: 21:00 to 08:00 store-local (the usual TCPA window). */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** Hours before a shared cart's midnight that its one reminder goes out (docs/rules.md, "Remote carts"): 3 when a store names none. */
export const DEFAULT_CART_REMINDER_HOURS = 3;

/** The number a store's WhatsApp messages travel on, or undefined when WhatsApp is off. */
export const whatsAppSenderOf = (store: {
  phoneNumber: string;
  whatsapp?: StoreWhatsApp | null;
}): string | undefined => (store.whatsapp?.enabled ? (store.whatsapp.sender ?? store.phoneNumber) : undefined);

/** Emails are kept trimmed and lower-cased, so uniqueness and CSV look-ups ignore case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const MAX_EMAIL_CHARS = 254;

/**
 * The one email rule, for customers (the `Email` schema) and campaign CSV rows alike: at most 254
 * characters, in the shape zod's `z.email()` accepts (its own pattern, compiled once).
 */
export const isValidEmail = (email: string): boolean => email.length <= MAX_EMAIL_CHARS && z.regexes.email.test(email);

/**
 * Search partitions (docs/data-model.md, "Stores and customers"): a term or query is bucketed by
 * its first characters, more for phones so `+1…` does not hold every US and Canadian number:
 * - `+` and digits: 5 (`+1415`: the country code and area code of a NANP number);
 * - digits only (the phone without `+`): 4 (`1415`);
 * - anything else (email, names): 3 (`joh`).
 * A query must be at least its bucket long (shorter would need every bucket it could start), and
 * a term shorter than its bucket is not indexed (no query could reach it).
 */
export const SEARCH_BUCKET_LENGTH = { phone: 5, digits: 4, text: 3 } as const;
/** The shortest query of any kind (names and emails); phone-shaped queries need more (searchBucketLength). */
export const MIN_SEARCH_LENGTH = SEARCH_BUCKET_LENGTH.text;
/** Longer queries match nothing a term could start with, and would only cost a read. */
export const MAX_SEARCH_LENGTH = 100;

/** The characters of a normalised term or query that name its search partition. */
export function searchBucketLength(normalized: string): number {
  if (/^\+\d/.test(normalized)) return SEARCH_BUCKET_LENGTH.phone;
  if (/^\d/.test(normalized)) return SEARCH_BUCKET_LENGTH.digits;
  return SEARCH_BUCKET_LENGTH.text;
}

/** Why a search query is too short to be answered, naming the minimum of its kind; undefined when it is long enough. */
export function searchQueryTooShort(query: string): string | undefined {
  const normalized = normalizeSearchQuery(query);
  const least = searchBucketLength(normalized);
  if (normalized.length >= least) return undefined;
  if (least === SEARCH_BUCKET_LENGTH.phone)
    return `a phone number starting with + needs at least ${least} characters (the country and area code: +1415)`;
  if (least === SEARCH_BUCKET_LENGTH.digits) return `a phone number in digits needs at least ${least} digits (1415)`;
  return `at least ${least} characters`;
}

/** A search query as the search index stores terms: lower-case; a phone keeps only `+` and digits. */
export function normalizeSearchQuery(query: string): string {
  const trimmed = query.trim().toLowerCase();
  if (/^\+?[\d\s().-]+$/.test(trimmed) && /\d/.test(trimmed)) return trimmed.replace(/[^\d+]/g, '');
  return trimmed.replace(/\s+/g, ' ');
}

/** Searches a user may make in one UTC minute (docs/rules.md, "Customers"). */
export const SEARCHES_PER_MINUTE = 60;

/**
 * The fixed one-minute window `now` falls in: its name (`2026-05-04T10:15`, UTC), when it ends
 * (epoch seconds) and the whole seconds until then, at least 1: what `Retry-After` says.
 */
export function searchWindow(now: Date): { minute: string; endsAt: number; retryAfterSeconds: number } {
  const startMs = Math.floor(now.getTime() / 60_000) * 60_000;
  const endMs = startMs + 60_000;
  return {
    minute: new Date(startMs).toISOString().slice(0, 16),
    endsAt: endMs / 1000,
    retryAfterSeconds: Math.max(1, Math.ceil((endMs - now.getTime()) / 1000)),
  };
}

type Searchable = Pick<Customer, 'email' | 'phone' | 'firstName' | 'lastName'>;

/** The customer's normalised terms — email, phone (with and without the leading +), first name, last name, "first last" — that `keep`. */
function termsOf(customer: Searchable, keep: (normalized: string) => boolean): string[] {
  const terms = new Set<string>();
  const add = (term: string | undefined) => {
    const normalized = term ? normalizeSearchQuery(term) : '';
    if (normalized.length > 0 && keep(normalized)) terms.add(normalized);
  };
  add(customer.email);
  add(customer.phone);
  add(customer.phone?.replace(/^\+/, ''));
  add(customer.firstName);
  add(customer.lastName);
  if (customer.firstName && customer.lastName) add(`${customer.firstName} ${customer.lastName}`);
  return [...terms];
}

/**
 * The terms a customer is found by, each matched by prefix: those at least as long as their
 * search bucket (a shorter one could not be found in its partition).
 */
export const searchTerms = (customer: Searchable): string[] =>
  termsOf(customer, (normalized) => normalized.length >= searchBucketLength(normalized));

/**
 * The write units creating a customer costs: its items (the customer, its email and phone look-ups,
 * its search entries: repository/customers.ts customerWrites), 2 units each because they are
 * written in one transaction (items under 1 KB). The bulk loader's budget counts these.
 */
export function customerWriteUnits(input: CustomerInput): number {
  const items = 2 + (input.phone ? 1 : 0) + searchTerms(input).length;
  return items * 2;
}

/** The search partition of a normalised term or query (its first characters, searchBucketLength), so a query reads one partition. */
export const searchBucket = (normalized: string): string => normalized.slice(0, searchBucketLength(normalized));

/** The partition a term was indexed under before the buckets spread (its first two characters), for the re-index. */
export const legacySearchBucket = (normalized: string): string => normalized.slice(0, 2);
/** The terms the old rule indexed (every term of 2 characters or more), for the re-index to delete. */
export const legacySearchTerms = (customer: Searchable): string[] =>
  termsOf(customer, (normalized) => normalized.length >= 2);

// ── midnight schedules ─────────────────────────────────────────────────────────────────────

/** 00:00 every day, read by EventBridge Scheduler in the schedule's own time zone (DST included). */
export const MIDNIGHT_CRON = 'cron(0 0 * * ? *)';

/** What EventBridge Scheduler accepts as a schedule name. */
export const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;

const MIDNIGHT_PREFIX = 'cart-midnight-';

/**
 * The name of a zone's midnight schedule: `Asia/Kolkata` → `cart-midnight-Asia-Kolkata`.
 * Deterministic, so saving a second store in the same zone finds the schedule the first one
 * made. `+` (only in `Etc/GMT+N`) becomes `-plus-`, or `Etc/GMT+5` and `Etc/GMT-5` would share
 * one name; the unit tests check that no two zones this runtime knows collide.
 */
export function zoneScheduleName(timezone: string): string {
  const name = MIDNIGHT_PREFIX + timezone.replaceAll('+', '-plus-').replaceAll('/', '-');
  if (!SCHEDULE_NAME.test(name))
    throw new Error(`No valid schedule name for the time zone ${JSON.stringify(timezone)}`);
  return name;
}

export const SCHEDULED_TIME_PLACEHOLDER = '<aws.scheduler.scheduled-time>';

export function midnightSchedule(timezone: string): MidnightSchedule {
  return {
    name: zoneScheduleName(timezone),
    expression: MIDNIGHT_CRON,
    timezone,
    input: JSON.stringify({ time: SCHEDULED_TIME_PLACEHOLDER, timezone }),
  };
}

/**
 * Whether a stored CSV row whose first cell is this holds the email (an erasure's rewrite of
 * campaign files and exports, docs/rules.md "Compliance"): compared as emails are (trimmed, any
 * case), and also when an export's formula guard put a `'` before it.
 */
export function cellHoldsEmail(cell: string, email: string): boolean {
  const value = normalizeEmail(cell);
  return value === email || (/^'[=+\-@]/.test(value) && value.slice(1) === email);
}
