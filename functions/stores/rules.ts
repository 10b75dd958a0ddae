/**
 * Stores and customers: the input shapes and normalisation rules, pure (no AWS, no I/O). The
 * stored types are in model.ts.
 */
import * as z from 'zod/mini';
import type { Customer, MidnightSchedule } from './model';
import { Text } from '../shared/validation';

// The stored types, where other capabilities have always read them.
export type { Customer, Store } from './model';

// Intl's region names and currency list load ICU data (~15 ms): built on first use, not at every
// function's cold start (nearly every function imports this file; few validate a store).
const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
};
const regionNames = once(() => new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }));
const currencies = once(() => new Set(Intl.supportedValuesOf('currency')));

export const StoreId = z
  .string()
  .check(
    z.regex(
      /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
      'letters, digits, "-" or "_", at most 64, starting with a letter or digit',
    ),
  );

export const E164 = z
  .string()
  .check(z.trim(), z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +12125550100'));

/**
 * A zone Intl can format in: the check luxon's IANAZone.isValidZone makes, without loading luxon
 * (70 KB) into every function that validates a store (README, "Measured").
 */
const isTimeZone = (zone: string): boolean => {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone }).format();
    return true;
  } catch {
    return false;
  }
};

export const Timezone = z.string().check(z.refine(isTimeZone, 'an IANA time zone such as America/New_York'));

/** Intl knows the assigned ISO 3166-1 regions; `of` throws on anything not shaped like a code. */
const isRegion = (code: string): boolean => /^[A-Z]{2}$/.test(code) && regionNames().of(code) !== undefined;

export const Country = z.string().check(z.refine(isRegion, 'an ISO 3166-1 alpha-2 code such as US'));

export const Currency = z.string().check(z.refine((code) => currencies().has(code), 'an ISO 4217 code such as USD'));

const ClockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour local time such as 21:00'));
export const QuietHours = z.strictObject({ start: ClockTime, end: ClockTime }).check(
  z.refine((q) => q.start !== q.end, {
    message: 'start and end must differ (use null to turn quiet hours off)',
    path: ['end'],
  }),
);
export type QuietHours = z.infer<typeof QuietHours>;

/** Quiet hours when a store names none: 21:00 to 08:00 store-local (the usual TCPA window). */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };

/** Hours before a shared cart's midnight that its one reminder goes out (docs/rules.md, "Remote carts"): 3 when a store names none. */
export const DEFAULT_CART_REMINDER_HOURS = 3;
export const CartReminderHours = z.number().check(z.int('whole hours'), z.gte(1), z.lte(12));
/**
 * WhatsApp on the store (docs/rules.md, "WhatsApp"): on or off, and the number WhatsApp
 * messages come from and go to (`whatsapp:<sender>`), the store's phone number when absent.
 */
export const StoreWhatsApp = z.strictObject({ enabled: z.boolean(), sender: z.optional(E164) });
export type StoreWhatsApp = z.infer<typeof StoreWhatsApp>;

/** The number a store's WhatsApp messages travel on, or undefined when WhatsApp is off. */
export const whatsAppSenderOf = (store: {
  phoneNumber: string;
  whatsapp?: StoreWhatsApp | null;
}): string | undefined => (store.whatsapp?.enabled ? (store.whatsapp.sender ?? store.phoneNumber) : undefined);

export const StoreInput = z.object({
  name: Text(200),
  timezone: Timezone,
  country: Country,
  phoneNumber: E164,
  currency: Currency,
  helpText: z.optional(Text(320)),
  /** Store-local hours in which messages are held; `null` turns them off, absent means the default. */
  quietHours: z.optional(z.nullable(QuietHours)),
  /** Hours before a shared cart's midnight to remind the customer, 1–12; `null`: no reminders; absent: the default (3). */
  cartReminderHours: z.optional(z.nullable(CartReminderHours)),
  /** WhatsApp as a second channel; absent or null: SMS only. */
  whatsapp: z.optional(z.nullable(StoreWhatsApp)),
});
export type StoreInput = z.infer<typeof StoreInput>;

/** Emails are kept trimmed and lower-cased, so uniqueness and CSV look-ups ignore case. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const MAX_EMAIL_CHARS = 254;

/**
 * The one email rule, for customers (the `Email` schema) and campaign CSV rows alike: at most 254
 * characters, in the shape zod's `z.email()` accepts (its own pattern, compiled once).
 */
export const isValidEmail = (email: string): boolean => email.length <= MAX_EMAIL_CHARS && z.regexes.email.test(email);

export const Email = z.pipe(
  z.pipe(z.string().check(z.trim(), z.maxLength(MAX_EMAIL_CHARS)), z.transform(normalizeEmail)),
  z.email('a valid email address'),
);

export const CustomerInput = z.object({
  email: Email,
  phone: z.optional(E164),
  firstName: z.optional(Text(100)),
  lastName: z.optional(Text(100)),
});
export type CustomerInput = z.infer<typeof CustomerInput>;

/** `PATCH /customers/{id}`: any of the fields; at least one. */
export const CustomerPatch = z
  .strictObject(z.partial(CustomerInput).shape)
  .check(
    z.refine((p) => Object.keys(p).length > 0, { message: 'name at least one of email, phone, firstName, lastName' }),
  );
export type CustomerPatch = z.infer<typeof CustomerPatch>;

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

/**
 * What a store user's search may find over every customer, not only their store's (a walk-in):
 * the query taken whole as an email, or as a full E.164 phone. Undefined for anything else.
 */
export function exactLookupOf(query: string): { email: string } | { phone: string } | undefined {
  const normalized = normalizeSearchQuery(query);
  if (Email.safeParse(normalized).success) return { email: normalized };
  if (E164.safeParse(normalized).success) return { phone: normalized };
  return undefined;
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
