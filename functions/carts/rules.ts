/**
 * Remote carts: the pure rules (no AWS, no I/O) — the cart as associates see it, totals, what
 * blocks sharing, If-Match parsing, the payment webhook signature, and the texts sent to the
 * customer. The shapes are in model.ts; the store-local midnight a cart and its link expire at,
 * and times shown in the store's zone, are in local-time.ts (luxon, loaded only where needed).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../shared/errors';
import { minorUnitDigits } from '../shared/money';
import type { Cart, CartItem, CartLink, ItemInput, PaymentNotification } from './model';

/** At most this many lines, so a cart stays far below DynamoDB's 400 KB item limit. */
export const MAX_CART_LINES = 100;

/** The cart as the HTTP API shows it to associates (docs/architecture.md, "HTTP API"). */
export function cartView(cart: Cart) {
  return {
    conversationId: cart.conversationId,
    storeId: cart.storeId,
    customerId: cart.customerId,
    currency: cart.currency,
    items: cart.items.map(({ sku, name, unitPrice, quantity, fulfillment, imageUrl, lineTotal }) => ({
      sku,
      name,
      unitPrice,
      quantity,
      fulfillment,
      ...(imageUrl ? { imageUrl } : {}),
      lineTotal,
    })),
    subtotal: cart.subtotal,
    total: cart.total,
    ...(cart.delivery ? { delivery: cart.delivery } : {}),
    version: cart.version,
    ...(cart.sharedUrl ? { sharedUrl: cart.sharedUrl } : {}),
    expiresAt: cart.expiresAt,
    createdAt: cart.createdAt,
    updatedAt: cart.updatedAt,
  };
}

export const isExpired = (cart: Pick<Cart, 'expiresAt'>, now: Date): boolean =>
  Date.parse(cart.expiresAt) <= now.getTime();

/**
 * How long after its expiry an expired cart (and its link) is kept for a payment the customer
 * made while the link was valid (docs/rules.md, "Remote carts"): the sweeps delete a cart only
 * once its expiry is this far behind, while every read treats it as gone from its expiry on.
 */
export const PAYMENT_GRACE_MS = 2 * 60 * 60 * 1000;

/** The moment up to which a cart that expired at or before it may still be deleted by a sweep running at `now`. */
export const sweepBefore = (now: Date): Date => new Date(now.getTime() - PAYMENT_GRACE_MS);

/**
 * Whether a payment notification arriving at `now` may settle a link that expires at
 * `expiresAt`, judged by the provider's signed `paidAt` when it has one; the refusal's detail
 * when not. Before the expiry anything goes (a `paidAt` after the expiry excepted); after it,
 * only a payment made before the expiry, and only within the grace.
 */
export function latePaymentRefusal(
  link: Pick<CartLink, 'expiresAt'>,
  paidAt: string | undefined,
  now: Date,
): string | undefined {
  const expiry = Date.parse(link.expiresAt);
  if (paidAt !== undefined && Date.parse(paidAt) >= expiry)
    return `The link expired at ${link.expiresAt}, before the payment at ${paidAt}; the cart can no longer be paid.`;
  if (now.getTime() < expiry) return undefined;
  if (paidAt === undefined)
    return `The link expired at ${link.expiresAt}, before this payment arrived at ${now.toISOString()} (no paidAt says it was made before); the cart can no longer be paid.`;
  const graceEnds = new Date(expiry + PAYMENT_GRACE_MS).toISOString();
  if (now.getTime() > expiry + PAYMENT_GRACE_MS)
    return `The link expired at ${link.expiresAt}; a payment made before then (at ${paidAt}) could be settled until ${graceEnds}, and this one arrived at ${now.toISOString()}.`;
  return undefined;
}

// ── edits and totals ───────────────────────────────────────────────────────────────────────

/** Line totals, subtotal and total, always computed here and never taken from a client. */
export function priceCart(
  items: ReadonlyArray<ItemInput & { sku: string }>,
): Pick<Cart, 'items' | 'subtotal' | 'total'> {
  const priced = items.map((item) => ({ ...item, lineTotal: item.unitPrice * item.quantity }));
  const subtotal = priced.reduce((sum, item) => sum + item.lineTotal, 0);
  // Shipping options carry no price of their own yet, so the total is the subtotal.
  return { items: priced, subtotal, total: subtotal };
}

/** Adds the line, or replaces the line with the same SKU where it was. */
export function withItem(
  items: readonly CartItem[],
  sku: string,
  input: ItemInput,
): Pick<Cart, 'items' | 'subtotal' | 'total'> {
  const line = {
    sku,
    name: input.name,
    unitPrice: input.unitPrice,
    quantity: input.quantity,
    fulfillment: input.fulfillment,
    // A line put without an image has none, even if the line it replaces had one.
    ...(input.imageUrl ? { imageUrl: input.imageUrl } : {}),
  };
  const at = items.findIndex((item) => item.sku === sku);
  if (at === -1 && items.length >= MAX_CART_LINES) {
    throw new RuleViolationError(`A cart holds at most ${MAX_CART_LINES} different items.`, 'cart-full');
  }
  const next = at === -1 ? [...items, line] : items.map((item, i) => (i === at ? line : item));
  return priceCart(next);
}

export function withoutItem(items: readonly CartItem[], sku: string): Pick<Cart, 'items' | 'subtotal' | 'total'> {
  if (!items.some((item) => item.sku === sku)) throw new NotFoundError(`The cart has no item ${sku}.`);
  return priceCart(items.filter((item) => item.sku !== sku));
}

/** Why this cart cannot be shared yet, or undefined when it can. */
export function shareBlocker(cart: Pick<Cart, 'items' | 'delivery'>): string | undefined {
  if (cart.items.length === 0) return 'The cart is empty; add an item before sharing it.';
  if (cart.items.some((item) => item.fulfillment === 'SHIP') && !cart.delivery) {
    return 'The cart has items to ship: set the delivery address and shipping option before sharing it.';
  }
  return undefined;
}

// ── concurrency ────────────────────────────────────────────────────────────────────────────

/**
 * The version an `If-Match` header asks for: `"3"`, `W/"3"` or a bare `3`. Absent or `*` means
 * "whatever is current". Anything else is a 400, so a typo is never mistaken for a match.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '' || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) {
    throw new ValidationError('If-Match must carry the cart version, e.g. "3".', [
      { in: 'header', field: 'if-match', detail: 'not a cart version' },
    ]);
  }
  return Number(match[1]);
}

export const etagOf = (version: number): string => `"${version}"`;

/** The version check every cart write makes before it writes (the write itself is conditional too). */
export function requireVersion(cart: Pick<Cart, 'version'> | undefined, expected: number | undefined): void {
  if (expected === undefined) return;
  if (!cart) throw new ConflictError(`The cart you edited (version ${expected}) no longer exists.`);
  if (cart.version !== expected) {
    throw new ConflictError(
      `The cart changed: you sent If-Match version ${expected}, the current version is ${cart.version}. Reload it and try again.`,
    );
  }
}

// ── links and payments ─────────────────────────────────────────────────────────────────────

/** 256 random bits, URL-safe: unguessable, and unique to the customer it is sent to (model.ts ShareToken). */
export const newShareToken = (): string => randomBytes(32).toString('base64url');

/** HMAC-SHA256 over the body's bytes as sent (a string is taken as its UTF-8 bytes). */
export const signPaymentBody = (rawBody: string | Uint8Array, secret: string): string =>
  createHmac('sha256', secret)
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');

/** Constant-time comparison, so the signature cannot be guessed byte by byte from response times. */
export function isValidPaymentSignature(
  rawBody: string | Uint8Array,
  signature: string | undefined,
  secret: string,
): boolean {
  if (!signature || !/^[0-9a-fA-F]{64}$/.test(signature.trim())) return false;
  const expected = Buffer.from(signPaymentBody(rawBody, secret), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.trim(), 'hex'));
}

/** Why a payment cannot settle this cart, or undefined when it matches the current total exactly. */
export function paymentMismatch(
  payment: Pick<PaymentNotification, 'amount' | 'currency'>,
  cart: Pick<Cart, 'total' | 'currency'>,
): string | undefined {
  if (payment.currency !== cart.currency)
    return `The payment is in ${payment.currency}, the cart is in ${cart.currency}.`;
  if (payment.amount !== cart.total)
    return `The payment is for ${payment.amount}, the cart's current total is ${cart.total} (minor units).`;
  return undefined;
}

// ── money and texts ────────────────────────────────────────────────────────────────────────

export function formatMoney(minorUnits: number, currency: string, locale = 'en'): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minorUnits / 10 ** digits);
}

/** A locale for showing a store's money and times: English as spoken in the store's country. */
export const storeLocale = (country: string | undefined): string => (country ? `en-${country}` : 'en');

export function shareMessage(input: {
  storeName: string;
  url: string;
  total: number;
  currency: string;
  locale: string;
}): string {
  return `${input.storeName}: your cart is ready (${formatMoney(input.total, input.currency, input.locale)}). Review and pay here: ${input.url} — the link works until midnight tonight.`;
}

/**
 * The values a WhatsApp `CART` template may declare (docs/rules.md, "WhatsApp"): `url` (the link),
 * `total` (formatted in the store's locale) and `storeName`; `firstName`/`lastName` come from the
 * customer. Outside the window the share and its reminder go as that template, filled with these.
 */
export function cartTemplateValues(input: Parameters<typeof shareMessage>[0]): Record<string, string> {
  return {
    url: input.url,
    total: formatMoney(input.total, input.currency, input.locale),
    storeName: input.storeName,
  };
}

export function receiptMessage(input: {
  storeName: string;
  items: readonly CartItem[];
  total: number;
  currency: string;
  paymentId: string;
  locale: string;
}): string {
  const lines = input.items.map(
    (item) => `${item.quantity} x ${item.name} ${formatMoney(item.lineTotal, input.currency, input.locale)}`,
  );
  return [
    `${input.storeName} receipt`,
    ...lines,
    `Total paid: ${formatMoney(input.total, input.currency, input.locale)}`,
    `Payment ref: ${input.paymentId}`,
    'Thank you!',
  ].join('\n');
}

export const PAID_NOTE = 'customer paid via remote checkout link';
