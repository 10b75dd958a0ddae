/**
 * The remote carts capability's types: what a cart, its items and delivery, a shared link and a
 * settled payment are, and the shapes the HTTP API and the payment webhook accept (the zod
 * schemas are the types).
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { CHANNEL_NAMES, type ChannelName } from '../conversations/channels';
import { Id, parseOptionalJsonBody, Text } from '../shared/validation';

export const FULFILLMENTS = ['IN_STORE', 'SHIP'] as const;

/** Keeps every total a safe integer: 100 lines × 99 × this stays below 2^53. */
export const MAX_UNIT_PRICE = 100_000_000_000;

export const Sku = /* @__PURE__ */ droppable(() =>
  z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-", at most 64')),
);

export const CartParams = /* @__PURE__ */ droppable(() => z.object({ conversationId: Id }));
export const CartItemParams = /* @__PURE__ */ droppable(() => z.extend(CartParams, { sku: Sku }));

/**
 * The longest image URL a cart line keeps: longer than any CDN's, and a full cart of them
 * (100 × 2,000 characters, with the names) still fits DynamoDB's 400 KB item, as its payment does.
 */
export const MAX_IMAGE_URL_LENGTH = 2_000;

/**
 * Why `value` cannot be a cart line's image, or undefined when it can. The cart page shows it to
 * the customer under a policy that allows https images only (docs/rules.md, "The cart page"), so
 * anything else is refused here: another scheme (http, data:, javascript:), a relative or
 * host-less URL, a backslash (which browsers read as a slash), credentials (user:pass@) a page
 * must never carry, and a URL longer than 2,000 characters. Only printable ASCII is taken (the
 * form URL.href has: no white space or control characters, the rest percent-encoded), so 2,000
 * characters are 2,000 bytes in the item.
 */
function imageUrlProblem(value: string): string | undefined {
  if (value.length > MAX_IMAGE_URL_LENGTH) return `at most ${MAX_IMAGE_URL_LENGTH} characters`;
  if (!value.startsWith('https://'))
    return 'an absolute https:// URL (http, data:, javascript: and relative URLs are refused)';
  if (!/^[\x21-\x7e]*$/.test(value))
    return 'printable ASCII only, no white space: percent-encode other characters (ü as %C3%BC), a host in punycode';
  if (value.includes('\\')) return 'no backslashes';
  if (/^https:\/\/[/?#]/.test(value)) return 'a URL with a host, e.g. https://cdn.example.com/shirt.jpg';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.username !== '' || url.password !== '') return 'no credentials (user:password@) in the URL';
  return undefined;
}

/** A cart line's product image: an absolute https URL the cart page shows beside the line. */
export const ImageUrl = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.superRefine((value, ctx) => {
        const problem = imageUrlProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .register(z.globalRegistry, {
      format: 'uri',
      pattern: '^https://[!-~]+$',
      maxLength: MAX_IMAGE_URL_LENGTH,
      description:
        'The product image shown beside the line on the cart page: an absolute https URL in printable ASCII (other characters percent-encoded), without credentials, at most 2,000 characters',
      example: 'https://cdn.example.com/products/oxford-shirt.jpg',
    }),
);

export const ItemInput = /* @__PURE__ */ droppable(() =>
  z.object({
    name: Text(200),
    unitPrice: z.number().check(z.int('integer minor units, e.g. 1999 for 19.99'), z.gte(0), z.lte(MAX_UNIT_PRICE)),
    quantity: z.number().check(z.int(), z.gte(1), z.lte(99)),
    fulfillment: z.enum(FULFILLMENTS),
    imageUrl: z.optional(ImageUrl),
  }),
);
export type ItemInput = z.infer<typeof ItemInput>;

const AddressLines = /* @__PURE__ */ droppable(() =>
  z.object({
    line1: Text(200),
    line2: z.optional(Text(200)),
    city: Text(100),
    region: z.optional(Text(100)),
    postalCode: z.optional(Text(20)),
    country: z.optional(z.string().check(z.trim(), z.regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as US'))),
  }),
);

/** The address is free text (one string, lines separated by newlines) or structured lines. */
export const DeliveryInput = /* @__PURE__ */ droppable(() =>
  z.object({
    address: z.union([Text(500), AddressLines]),
    shippingOption: Text(100),
  }),
);
export type DeliveryInput = z.infer<typeof DeliveryInput>;

export interface CartItem extends ItemInput {
  sku: string;
  lineTotal: number;
}

export interface Cart {
  /** Identifies this cart instance: a link shows only the cart it was made for, never a later one. */
  cartId: string;
  conversationId: string;
  storeId: string;
  customerId: string;
  currency: string;
  items: CartItem[];
  subtotal: number;
  total: number;
  delivery?: DeliveryInput;
  version: number;
  /** The store-local midnight after the cart was started: the cart is gone from then on. */
  expiresAt: string;
  /** The store's time zone when the cart was started (expiresAt is a midnight there): that zone's midnight schedule clears it. Absent on carts saved before zone schedules. */
  timezone?: string;
  createdAt: string;
  updatedAt: string;
  sharedUrl?: string;
  sharedBy?: string;
  sharedAt?: string;
  paidAt?: string;
  paymentId?: string;
}

/**
 * `POST /conversations/{id}/cart/share`'s optional body: the channel the link goes on (default
 * SMS; WhatsApp outside its window sends the approved CART template) and whether the customer
 * gets the one reminder before midnight (default yes), on the same channel.
 */
export const ShareInput = /* @__PURE__ */ droppable(() =>
  z
    .object({
      channel: z.optional(z.enum(CHANNEL_NAMES)).register(z.globalRegistry, {
        description:
          'The channel the link (and its reminder) goes on: sms (the default) or whatsapp (outside the 24-hour window: the APPROVED `CART` template)',
      }),
      remind: z.optional(z.boolean()).register(z.globalRegistry, {
        description:
          'Send one reminder with the link `store.cartReminderHours` before midnight if still unpaid (default true)',
      }),
    })
    .register(z.globalRegistry, { id: 'CartShareInput' }),
);
export type ShareInput = z.infer<typeof ShareInput>;

/**
 * The one reminder of a cart's latest share (docs/rules.md, "Remote carts"): which share (its link's
 * SHA-256, never the token), who shared it (the reminder is their message), and when it is due.
 */
export interface CartReminder {
  conversationId: string;
  /** The cart's key: its expiry midnight. */
  expiresAt: string;
  cartId: string;
  storeId: string;
  tokenHash: string;
  sharedBy: string;
  remindAt: string;
  /** The channel the cart was shared on, where the reminder goes; absent on reminders older than WhatsApp: `sms`. */
  channel?: ChannelName;
}

/** 256 random bits, URL-safe (rules.ts newShareToken): unguessable, and unique to the customer it is sent to. */
export const ShareToken = /* @__PURE__ */ droppable(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/)));

export const PaymentNotification = /* @__PURE__ */ droppable(() =>
  z.object({
    token: ShareToken,
    amount: z.number().check(z.int(), z.gte(0)),
    currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    paymentId: Id,
    /**
     * When the customer paid, as the provider signed it (the signature covers the raw body). A
     * payment made before the link's expiry is settled even if it arrives after midnight, within
     * the 2-hour grace (rules.ts, latePaymentRefusal).
     */
    paidAt: z.optional(z.iso.datetime({ offset: true })).register(z.globalRegistry, {
      description:
        "When the customer paid (ISO 8601), signed with the body: a payment made before the link's midnight is settled up to 2 hours after it",
    }),
  }),
);
export type PaymentNotification = z.infer<typeof PaymentNotification>;

/** A shared link to one cart instance. Only the token's SHA-256 is stored (repository/keys.ts). */
export interface CartLink {
  token: string;
  conversationId: string;
  storeId: string;
  cartId: string;
  /** The cart's key: its expiry midnight. The link ends with it. */
  expiresAt: string;
  sharedBy: string;
  sharedAt: string;
  status: 'ACTIVE' | 'PAID';
  paymentId?: string;
}

/** A settled payment: the order, its attribution, and which follow-ups are done. */
export interface PaymentRecord {
  paymentId: string;
  /** SHA-256 of the share token the customer paid through (the token itself is never stored). */
  tokenHash: string;
  conversationId: string;
  storeId: string;
  customerId: string;
  cartId: string;
  cartExpiresAt: string;
  items: CartItem[];
  amount: number;
  currency: string;
  /** The associate who shared the link the customer paid through (attribution). */
  sharedBy: string;
  paidAt: string;
  status: 'SETTLING' | 'COMPLETED';
  noteMessageId?: string;
  /** The receipt's fate; the send itself is exactly-once through its idempotency key. */
  receiptState?: 'SENT' | 'SKIPPED';
  receiptMessageId?: string;
  receiptSkippedBecause?: string;
  completedAt?: string;
}

/**
 * The share's optional JSON body (ShareInput above): none, or an empty one, means the
 * defaults, so clients that share without a body keep working; anything else is checked as any
 * body is (400 naming the field).
 */
export const parseShareBody = (raw: string): ShareInput => parseOptionalJsonBody(raw, ShareInput);
