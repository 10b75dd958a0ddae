/**
 * Stores and customers: the input shapes, checked with zod at the edge (PUT /stores/{id},
 * POST /customers, the customers batch). Apart from rules.ts, which nearly every function
 * imports, so that only the functions that validate a store or a customer build them.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { builtOnFirstCall } from '../shared/first-use';
import { Text } from '../shared/validation';
import { MAX_EMAIL_CHARS, normalizeEmail, normalizeSearchQuery } from './rules';

// Intl's region names and currency list load ICU data (~15 ms): built on first use, not at every
// function's cold start (nearly every function imports this file; few validate a store).
const regionNames = builtOnFirstCall(() => new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }));
const currencies = builtOnFirstCall(() => new Set(Intl.supportedValuesOf('currency')));

export const StoreId = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.regex(
        /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
        'letters, digits, "-" or "_", at most 64, starting with a letter or digit',
      ),
    ),
);

export const E164 = /* @__PURE__ */ droppable(() =>
  z.string().check(z.trim(), z.regex(/^\+[1-9]\d{6,14}$/, 'an E.164 phone number such as +12125550100')),
);

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

export const Timezone = /* @__PURE__ */ droppable(() =>
  z.string().check(z.refine(isTimeZone, 'an IANA time zone such as America/New_York')),
);

/** Intl knows the assigned ISO 3166-1 regions; `of` throws on anything not shaped like a code. */
const isRegion = (code: string): boolean => /^[A-Z]{2}$/.test(code) && regionNames().of(code) !== undefined;

export const Country = /* @__PURE__ */ droppable(() =>
  z.string().check(z.refine(isRegion, 'an ISO 3166-1 alpha-2 code such as US')),
);

export const Currency = /* @__PURE__ */ droppable(() =>
  z.string().check(z.refine((code) => currencies().has(code), 'an ISO 4217 code such as USD')),
);

const ClockTime = /* @__PURE__ */ droppable(() =>
  z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour local time such as 21:00')),
);
export const QuietHours = /* @__PURE__ */ droppable(() =>
  z.strictObject({ start: ClockTime, end: ClockTime }).check(
    z.refine((q) => q.start !== q.end, {
      message: 'start and end must differ (use null to turn quiet hours off)',
      path: ['end'],
    }),
  ),
);
export type QuietHours = z.infer<typeof QuietHours>;

export const CartReminderHours = /* @__PURE__ */ droppable(() =>
  z.number().check(z.int('whole hours'), z.gte(1), z.lte(12)),
);
/**
 * WhatsApp on the store (docs/rules.md, "WhatsApp"): on or off, and the number WhatsApp
 * messages come from and go to (`whatsapp:<sender>`), the store's phone number when absent.
 */
export const StoreWhatsApp = /* @__PURE__ */ droppable(() =>
  z.strictObject({ enabled: z.boolean(), sender: z.optional(E164) }),
);
export type StoreWhatsApp = z.infer<typeof StoreWhatsApp>;

export const StoreInput = /* @__PURE__ */ droppable(() =>
  z.object({
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
  }),
);
export type StoreInput = z.infer<typeof StoreInput>;

export const Email = /* @__PURE__ */ droppable(() =>
  z.pipe(
    z.pipe(z.string().check(z.trim(), z.maxLength(MAX_EMAIL_CHARS)), z.transform(normalizeEmail)),
    z.email('a valid email address'),
  ),
);

export const CustomerInput = /* @__PURE__ */ droppable(() =>
  z.object({
    email: Email,
    phone: z.optional(E164),
    firstName: z.optional(Text(100)),
    lastName: z.optional(Text(100)),
  }),
);
export type CustomerInput = z.infer<typeof CustomerInput>;

/** `PATCH /customers/{id}`: any of the fields; at least one. */
export const CustomerPatch = /* @__PURE__ */ droppable(() =>
  z
    .strictObject(z.partial(CustomerInput).shape)
    .check(
      z.refine((p) => Object.keys(p).length > 0, { message: 'name at least one of email, phone, firstName, lastName' }),
    ),
);
export type CustomerPatch = z.infer<typeof CustomerPatch>;

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
