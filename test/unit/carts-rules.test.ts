import { describe, expect, it } from 'vitest';
import {
  latePaymentRefusal,
  MAX_CART_LINES,
  PAYMENT_GRACE_MS,
  sweepBefore,
  formatMoney,
  isValidPaymentSignature,
  newShareToken,
  parseIfMatch,
  paymentMismatch,
  receiptMessage,
  requireVersion,
  shareBlocker,
  signPaymentBody,
  withItem,
  withoutItem,
} from '../../functions/carts/rules';
import { formatLocalTime, nextLocalMidnight } from '../../functions/carts/local-time';
import { DateTime } from 'luxon';
import { ShareToken, type CartItem } from '../../functions/carts/model';
import { addressLines, displayPhone } from '../../functions/carts/address';
import { checkoutHref, escapeHtml, renderCartPage, renderLinkProblem } from '../../functions/carts/page';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../../functions/shared/errors';

describe('nextLocalMidnight', () => {
  it.each([
    // zone, now (UTC), expected next local midnight (UTC), why
    [
      'America/New_York',
      '2025-03-09T04:30:00Z',
      '2025-03-09T05:00:00Z',
      'spring-forward eve, 23:30 EST: midnight is still EST',
    ],
    [
      'America/New_York',
      '2025-03-09T16:00:00Z',
      '2025-03-10T04:00:00Z',
      'spring-forward day (23 h): next midnight is EDT',
    ],
    [
      'America/New_York',
      '2025-03-09T06:59:59Z',
      '2025-03-10T04:00:00Z',
      'spring-forward day, 01:59:59 EST just before the jump',
    ],
    [
      'America/New_York',
      '2025-11-02T03:00:00Z',
      '2025-11-02T04:00:00Z',
      'fall-back eve, 23:00 EDT: midnight is still EDT',
    ],
    [
      'America/New_York',
      '2025-11-02T04:00:00Z',
      '2025-11-03T05:00:00Z',
      'fall-back day (25 h) from its own midnight: the next is EST',
    ],
    ['America/New_York', '2025-11-02T05:30:00Z', '2025-11-03T05:00:00Z', 'fall-back day, inside the first 01:30 (EDT)'],
    [
      'America/New_York',
      '2025-11-02T06:30:00Z',
      '2025-11-03T05:00:00Z',
      'fall-back day, inside the repeated 01:30 (EST)',
    ],
    ['Asia/Kolkata', '2025-06-15T18:00:00Z', '2025-06-15T18:30:00Z', 'half-hour zone, 23:30 IST'],
    [
      'Asia/Kolkata',
      '2025-06-15T18:30:00Z',
      '2025-06-16T18:30:00Z',
      'half-hour zone, exactly at midnight: the next one',
    ],
    ['Australia/Adelaide', '2025-04-05T14:00:00Z', '2025-04-06T14:30:00Z', 'DST ends (+10:30 -> +9:30) that day'],
    ['Australia/Adelaide', '2025-10-04T15:00:00Z', '2025-10-05T13:30:00Z', 'DST starts (+9:30 -> +10:30) that day'],
    [
      'Pacific/Chatham',
      '2025-07-01T10:00:00Z',
      '2025-07-01T11:15:00Z',
      'quarter-hour zone in winter (+12:45), 22:45 local',
    ],
    ['Pacific/Chatham', '2025-01-15T00:00:00Z', '2025-01-15T10:15:00Z', 'quarter-hour zone in summer (+13:45)'],
    [
      'Asia/Tokyo',
      '2025-06-15T14:59:00Z',
      '2025-06-15T15:00:00Z',
      'east of UTC, one minute before midnight: UTC is mid-afternoon',
    ],
    ['Asia/Tokyo', '2025-06-15T15:00:00Z', '2025-06-16T15:00:00Z', 'east of UTC, exactly at midnight'],
    [
      'America/Los_Angeles',
      '2025-06-16T06:59:00Z',
      '2025-06-16T07:00:00Z',
      'west of UTC, 23:59 local while the UTC date is already the next day',
    ],
    ['Pacific/Honolulu', '2025-06-16T09:30:00Z', '2025-06-16T10:00:00Z', 'far west of UTC, 23:30 local'],
    [
      'America/Santiago',
      '2025-09-06T16:00:00Z',
      '2025-09-07T04:00:00Z',
      'DST skips midnight itself: the day starts at 01:00',
    ],
    ['UTC', '2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z', 'year end'],
  ])('%s at %s -> %s (%s)', async (zone, now, expected) => {
    expect((await nextLocalMidnight(new Date(now), zone)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('rejects an unknown time zone', async () => {
    await expect(nextLocalMidnight(new Date(), 'Mars/Olympus_Mons')).rejects.toThrow(/time zone/);
  });
});

const shirt = { name: 'Shirt', unitPrice: 2_500, quantity: 2, fulfillment: 'IN_STORE' } as const;
const boots = { name: 'Boots', unitPrice: 12_999, quantity: 1, fulfillment: 'SHIP' } as const;

describe('cart edits and totals', () => {
  it('prices a new line and totals the cart', () => {
    const cart = withItem([], 'SKU-1', shirt);
    expect(cart.items).toEqual([{ sku: 'SKU-1', ...shirt, lineTotal: 5_000 }]);
    expect(cart.subtotal).toBe(5_000);
    expect(cart.total).toBe(5_000);
  });

  it('replaces the line of the same SKU in place and keeps the order', () => {
    const two = withItem(withItem([], 'A', shirt).items, 'B', boots).items;
    const cart = withItem(two, 'A', { ...shirt, quantity: 3 });
    expect(cart.items.map((i) => [i.sku, i.quantity])).toEqual([
      ['A', 3],
      ['B', 1],
    ]);
    expect(cart.total).toBe(3 * 2_500 + 12_999);
  });

  it('removes a line and re-totals', () => {
    const two = withItem(withItem([], 'A', shirt).items, 'B', boots).items;
    expect(withoutItem(two, 'A')).toMatchObject({ total: 12_999, items: [{ sku: 'B' }] });
  });

  it('refuses to remove a SKU the cart does not hold with a 404', () => {
    expect(() => withoutItem([], 'NOPE')).toThrow(NotFoundError);
  });

  it('refuses a new line beyond the maximum number of lines', () => {
    const full: CartItem[] = Array.from({ length: MAX_CART_LINES }, (_, i) => ({
      sku: `S${i}`,
      ...shirt,
      lineTotal: 5_000,
    }));
    expect(() => withItem(full, 'ONE-MORE', shirt)).toThrow(RuleViolationError);
    expect(withItem(full, 'S0', { ...shirt, quantity: 1 }).items).toHaveLength(MAX_CART_LINES);
  });
});

describe('shareBlocker', () => {
  it.each([
    ['an empty cart', { items: [] }, /empty/],
    ['a shipped item without delivery', { items: withItem([], 'B', boots).items }, /delivery/],
    ['in-store items only', { items: withItem([], 'A', shirt).items }, undefined],
    [
      'a shipped item with delivery',
      { items: withItem([], 'B', boots).items, delivery: { address: '1 Main St', shippingOption: 'Standard' } },
      undefined,
    ],
  ])('%s', (_, cart, expected) => {
    const blocker = shareBlocker(cart);
    if (expected) expect(blocker).toMatch(expected);
    else expect(blocker).toBeUndefined();
  });
});

describe('If-Match and versions', () => {
  it.each([
    ['"3"', 3],
    ['W/"12"', 12],
    ['7', 7],
    [' "4" ', 4],
    [undefined, undefined],
    ['*', undefined],
  ])('reads %j as version %j', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it.each(['"abc"', '"1", "2"', '-1'])('refuses %j with a 400', (header) => {
    expect(() => parseIfMatch(header)).toThrow(ValidationError);
  });

  it('accepts the current version and no version, refuses a stale one with a 409', () => {
    expect(() => requireVersion({ version: 4 }, 4)).not.toThrow();
    expect(() => requireVersion({ version: 4 }, undefined)).not.toThrow();
    expect(() => requireVersion({ version: 4 }, 3)).toThrow(ConflictError);
    expect(() => requireVersion(undefined, 3)).toThrow(ConflictError);
  });
});

describe('share tokens and payment signatures', () => {
  it('makes 256-bit URL-safe tokens that differ every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, newShareToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(ShareToken.safeParse(token).success).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  const body = '{"token":"t","amount":100,"currency":"USD","paymentId":"p1"}';
  it('accepts the hex HMAC-SHA256 of the raw body, in either letter case', () => {
    const signature = signPaymentBody(body, 'secret');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(isValidPaymentSignature(body, signature, 'secret')).toBe(true);
    expect(isValidPaymentSignature(body, signature.toUpperCase(), 'secret')).toBe(true);
  });

  it.each([
    ['a missing signature', undefined],
    ['a signature with another secret', signPaymentBody(body, 'other')],
    ['a signature of another body', signPaymentBody(body.replace('100', '1'), 'secret')],
    ['a truncated signature', signPaymentBody(body, 'secret').slice(0, 63)],
    ['a non-hex signature', 'z'.repeat(64)],
  ])('refuses %s', (_, signature) => {
    expect(isValidPaymentSignature(body, signature, 'secret')).toBe(false);
  });

  it.each([
    [{ amount: 5_000, currency: 'USD' }, undefined],
    [{ amount: 4_999, currency: 'USD' }, /current total is 5000/],
    [{ amount: 5_000, currency: 'EUR' }, /EUR/],
  ])('checks a payment of %j against a 5000 USD cart', (payment, expected) => {
    const mismatch = paymentMismatch(payment, { total: 5_000, currency: 'USD' });
    if (expected) expect(mismatch).toMatch(expected);
    else expect(mismatch).toBeUndefined();
  });
});

describe('money', () => {
  it.each([
    [1999, 'USD', 'en-US', '$19.99'],
    [1999, 'JPY', 'en-JP', '¥1,999'],
    [1500, 'KWD', 'en', 'KWD 1.500'],
    [0, 'EUR', 'en-IE', '€0.00'],
  ])('formats %d minor units of %s', (minor, currency, locale, expected) => {
    expect(formatMoney(minor, currency, locale).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('lists each item and the total in the receipt', () => {
    const items = withItem(withItem([], 'A', shirt).items, 'B', boots).items;
    const text = receiptMessage({
      storeName: 'SoHo',
      items,
      total: 17_999,
      currency: 'USD',
      paymentId: 'pay_1',
      locale: 'en-US',
    });
    expect(text).toContain('2 x Shirt $50.00');
    expect(text).toContain('1 x Boots $129.99');
    expect(text).toContain('Total paid: $179.99');
    expect(text).toContain('pay_1');
  });
});

describe('cart page', () => {
  const store = {
    storeId: 's1',
    name: 'Store <One>',
    timezone: 'America/New_York',
    country: 'US',
    phoneNumber: '+12125550100',
    currency: 'USD',
    quietHours: null,
    cartReminderHours: null,
    createdAt: '',
    updatedAt: '',
  };
  const cartWith = (name: string) => ({
    cartId: 'c1',
    conversationId: 'conv',
    storeId: 's1',
    customerId: 'cust',
    currency: 'USD',
    ...withItem([], 'A', { ...shirt, name }),
    delivery: { address: '1 Main St\n<b>Apt 2</b>', shippingOption: 'Express "fast"' },
    version: 1,
    expiresAt: '2025-06-16T04:00:00.000Z',
    createdAt: '',
    updatedAt: '',
  });

  it('escapes every string from the cart and the store', () => {
    const page = renderCartPage({
      cart: cartWith('<script>alert(1)</script>'),
      store,
      checkoutUrl: 'https://pay.example/?a=1&b="2"',
    });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>Apt 2</b>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('Store &lt;One&gt;');
    expect(page).toContain('Express &quot;fast&quot;');
    expect(page).toContain('href="https://pay.example/?a=1&amp;b=&quot;2&quot;"');
  });

  it('shows the language, the viewport, the figures and the delivery', () => {
    const page = renderCartPage({ cart: cartWith('Shirt'), store, checkoutUrl: 'https://pay.example/x' });
    expect(page).toMatch(/<html lang="en">/);
    expect(page).toContain('name="viewport"');
    expect(page).toMatch(/<main>[\s\S]*<h1>/);
    expect(page).toContain('<td class="num" id="cart-total">$50.00</td>');
    expect(page).toContain('1 Main St<br>&lt;b&gt;Apt 2&lt;/b&gt;');
    expect(page).toContain('Pay $50.00');
    expect(page).toContain('<td class="num" id="cart-shipping">Included</td>');
  });

  it('names the store and its number, as a link to text it', () => {
    const page = renderCartPage({ cart: cartWith('Shirt'), store, checkoutUrl: undefined });
    expect(page).toMatch(
      /<p class="note" id="store-contact">Store &lt;One&gt; · <a href="sms:\+1\d{10}">\(\d{3}\) \d{3}-\d{4}<\/a><\/p>/,
    );
  });

  it('disables the pay button and says why when no checkout is configured', () => {
    const page = renderCartPage({ cart: cartWith('Shirt'), store, checkoutUrl: undefined });
    expect(page).toMatch(/<button[^>]*disabled[^>]*aria-describedby="pay-unavailable"/);
    expect(page).toContain('Online payment is not available');
  });

  it('fills the checkout URL template with the token, amount and currency', () => {
    expect(
      checkoutHref(
        'https://p.example/c/{token}?amount={amount}&currency={currency}',
        { total: 5_000, currency: 'USD' },
        'a-b_c',
      ),
    ).toBe('https://p.example/c/a-b_c?amount=5000&currency=USD');
    expect(checkoutHref(undefined, { total: 1, currency: 'USD' }, 't')).toBeUndefined();
  });

  it.each([
    ['paid', 410, /has been paid/],
    ['expired', 410, /expired/],
    ['gone', 410, /no longer available/],
    ['unknown', 404, /not found/i],
  ] as const)('answers a %s link with %d and a clear page', (kind, status, text) => {
    const page = renderLinkProblem(kind);
    expect(page.status).toBe(status);
    expect(page.body).toMatch(text);
  });

  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`a&b<'">`)).toBe('a&amp;b&lt;&#39;&quot;&gt;');
  });
});

describe("formatLocalTime (the cart page's expiry, on the store's clock)", () => {
  it.each([
    ['2026-12-03T14:15:00Z', 'America/Chicago', 'en-US'],
    ['2026-07-01T22:59:00Z', 'Europe/London', 'en-GB'],
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', 'en-DE'],
    ['2026-11-01T06:45:00Z', 'America/New_York', 'en-US'],
    ['2026-05-04T03:30:00Z', 'Asia/Kolkata', 'en-IN'],
    ['2026-01-15T12:00:00Z', 'Australia/Adelaide', 'en-AU'],
    ['2026-02-20T18:05:00Z', 'America/Toronto', 'en-CA'],
  ])('prints %s in %s (%s) exactly as luxon does', (instant, zone, locale) => {
    const luxon = DateTime.fromISO(instant, { zone }).setLocale(locale).toLocaleString(DateTime.DATETIME_MED);
    expect(formatLocalTime(instant, zone, locale)).toBe(luxon);
  });
});

describe('the payment grace after midnight', () => {
  const link = { expiresAt: '2026-03-15T04:00:00.000Z' };
  const at = (minutesAfterExpiry: number) => new Date(Date.parse(link.expiresAt) + minutesAfterExpiry * 60_000);
  it.each([
    ['before the expiry, no paidAt', undefined, -5, undefined],
    ['before the expiry, paid before', at(-10).toISOString(), -5, undefined],
    ['1 h after, paid before', at(-1).toISOString(), 60, undefined],
    ['exactly 2 h after, paid before', at(-1).toISOString(), 120, undefined],
    ['1 h after, paid at the expiry', link.expiresAt, 60, /expired at 2026-03-15T04:00:00.000Z, before the payment at/],
    ['1 h after, no paidAt', undefined, 60, /before this payment arrived at 2026-03-15T05:00:00.000Z/],
    ['3 h after, paid before', at(-1).toISOString(), 180, /could be settled until 2026-03-15T06:00:00.000Z/],
    ['before the expiry, a paidAt after it', at(5).toISOString(), -5, /before the payment at/],
  ])('%s', (_, paidAt, arrivesAfter, refusal) => {
    const answer = latePaymentRefusal(link, paidAt, at(arrivesAfter));
    if (refusal) expect(answer).toMatch(refusal);
    else expect(answer).toBeUndefined();
  });

  it('keeps carts 2 hours past their expiry', () => {
    expect(PAYMENT_GRACE_MS).toBe(2 * 3_600_000);
    expect(sweepBefore(at(120)).toISOString()).toBe(link.expiresAt);
  });
});

describe('addressLines (the cart page, docs/rules.md "The cart page")', () => {
  const street = { line1: '233 S Wacker Dr', line2: 'Suite 400' };
  it.each([
    [
      'US',
      { ...street, city: 'Chicago', region: 'IL', postalCode: '60611' },
      ['233 S Wacker Dr', 'Suite 400', 'Chicago, IL 60611'],
    ],
    [
      'CA',
      { line1: '1 Yonge St', city: 'Toronto', region: 'ON', postalCode: 'M5E 1E5' },
      ['1 Yonge St', 'Toronto, ON M5E 1E5'],
    ],
    [
      'AU',
      { line1: '1 George St', city: 'Sydney', region: 'NSW', postalCode: '2000' },
      ['1 George St', 'Sydney NSW 2000'],
    ],
    ['GB', { line1: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA' }, ['10 Downing St', 'London', 'SW1A 2AA']],
    ['FR', { line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001' }, ['1 Rue de Rivoli', '75001 Paris']],
    ['US', { line1: '1 Main St', city: 'Springfield' }, ['1 Main St', 'Springfield']],
  ] as const)('writes a %s store’s address as its post does', (storeCountry, address, lines) => {
    expect(addressLines(address, storeCountry)).toEqual(lines);
  });

  it('orders by the address’s own country and names it when it is not the store’s', () => {
    expect(addressLines({ line1: '1 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' }, 'US')).toEqual(
      ['1 Rue de Rivoli', '75001 Paris', 'France'],
    );
    expect(
      addressLines({ line1: '1 Main St', city: 'Chicago', region: 'IL', postalCode: '60611', country: 'US' }, 'US'),
    ).toEqual(['1 Main St', 'Chicago, IL 60611']);
  });

  it('keeps free text as its lines', () => {
    expect(addressLines(' 350 Fifth Ave \n\nNew York, NY 10118', 'US')).toEqual([
      '350 Fifth Ave',
      'New York, NY 10118',
    ]);
  });
});

describe('displayPhone', () => {
  it.each([
    ['+12125550100', '(212) 555-0100'],
    ['+442071234567', '+442071234567'],
  ])('shows %s as %s', (e164, shown) => {
    expect(displayPhone(e164)).toBe(shown);
  });
});
