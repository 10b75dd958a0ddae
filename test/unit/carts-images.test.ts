/**
 * Product images on cart lines (docs/rules.md, "The cart page"): which image URLs a line takes,
 * how the line keeps and shows it, the page's HTML for it, and the one thing the page's content
 * security policy adds for it.
 */
import { describe, expect, it } from 'vitest';
import { ImageUrl, ItemInput, MAX_IMAGE_URL_LENGTH } from '../../functions/carts/model';
import { CART_PAGE_HEADERS, PAGE_HEADERS, renderCartPage } from '../../functions/carts/page';
import { cartView, withItem } from '../../functions/carts/rules';
import type { Store } from '../../functions/stores/model';

const shirt = { name: 'Oxford shirt', unitPrice: 4_500, quantity: 2, fulfillment: 'IN_STORE' } as const;
const longUrl = (length: number) => {
  const base = 'https://cdn.example.com/p/';
  return base + 'a'.repeat(length - base.length);
};

describe('ImageUrl', () => {
  it.each([
    ['a plain https URL', 'https://cdn.example.com/products/shirt.jpg'],
    ['a query and a fragment', 'https://cdn.example.com/i?id=42&w=128#x'],
    ['a port and an IP host', 'https://203.0.113.7:8443/shirt.png'],
    ['a host only', 'https://cdn.example.com'],
    ['an international host and path, encoded', 'https://xn--bcher-kva.example/hemd-gr%C3%BCn.jpg'],
    ['an @ in the path, not the authority', 'https://cdn.example.com/@brand/shirt.jpg'],
    [`exactly ${MAX_IMAGE_URL_LENGTH} characters`, longUrl(MAX_IMAGE_URL_LENGTH)],
  ])('takes %s', (_, url) => {
    expect(ImageUrl.safeParse(url)).toEqual({ success: true, data: url });
  });

  it.each([
    ['http', 'http://cdn.example.com/shirt.jpg', /https:\/\//],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo=', /https:\/\//],
    ['a javascript: URL', 'javascript:alert(1)', /https:\/\//],
    ['a relative path', '/images/shirt.jpg', /https:\/\//],
    ['a protocol-relative URL', '//cdn.example.com/shirt.jpg', /https:\/\//],
    ['an upper-case scheme', 'HTTPS://cdn.example.com/shirt.jpg', /https:\/\//],
    ['a leading space', ' https://cdn.example.com/shirt.jpg', /https:\/\//],
    ['no host', 'https:///shirt.jpg', /host/],
    ['a query where the host should be', 'https://?x=1', /host/],
    ['a backslash', 'https://cdn.example.com\\@evil.example/x.jpg', /backslash/],
    ['a space inside', 'https://cdn.example.com/my shirt.jpg', /no white space/],
    ['a line break', 'https://cdn.example.com/\nshirt.jpg', /no white space/],
    ['a NUL', 'https://cdn.example.com/\u0000.jpg', /printable ASCII/],
    ['characters not percent-encoded', 'https://bücher.example/hemd-grün.jpg', /percent-encode/],
    ['user and password', 'https://user:pass@cdn.example.com/shirt.jpg', /credentials/],
    ['a user name alone', 'https://user@cdn.example.com/shirt.jpg', /credentials/],
    ['a password alone', 'https://:pass@cdn.example.com/shirt.jpg', /credentials/],
    ['a port out of range', 'https://cdn.example.com:99999/shirt.jpg', /not a valid URL/],
    [`${MAX_IMAGE_URL_LENGTH + 1} characters`, longUrl(MAX_IMAGE_URL_LENGTH + 1), /at most 2000 characters/],
  ])('refuses %s with one clear reason', (_, url, reason) => {
    const result = ImageUrl.safeParse(url);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.message).toMatch(reason);
  });

  it('names imageUrl when an item body carries a bad one, and leaves it optional', () => {
    const refused = ItemInput.safeParse({ ...shirt, imageUrl: 'http://cdn.example.com/shirt.jpg' });
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([['imageUrl']]);
    expect(ItemInput.safeParse(shirt).success).toBe(true);
  });
});

describe('a line with an image', () => {
  const imageUrl = 'https://cdn.example.com/products/shirt.jpg';

  it('keeps the image with the line and shows it to associates; a line put again without one has none', () => {
    const withImage = withItem([], 'SHIRT', { ...shirt, imageUrl });
    expect(withImage.items).toEqual([{ sku: 'SHIRT', ...shirt, imageUrl, lineTotal: 9_000 }]);
    const cart = { ...cartOf(withImage), version: 1 };
    expect(cartView(cart).items[0]).toEqual({ sku: 'SHIRT', ...shirt, imageUrl, lineTotal: 9_000 });

    const replaced = withItem(withImage.items, 'SHIRT', { ...shirt, quantity: 1 });
    expect(replaced.items[0]).not.toHaveProperty('imageUrl');
    expect(cartView(cartOf(replaced)).items[0]).not.toHaveProperty('imageUrl');
  });
});

describe('the cart page with images', () => {
  const page = (items: ReturnType<typeof withItem>) =>
    renderCartPage({ cart: cartOf(items), store, checkoutUrl: undefined });

  it('shows a 64 px lazy thumbnail beside the line, its alt text the name, sending no referrer', () => {
    const html = page(withItem([], 'SHIRT', { ...shirt, imageUrl: 'https://cdn.example.com/shirt.jpg' }));
    expect(html).toContain(
      '<img class="thumb" src="https://cdn.example.com/shirt.jpg" alt="Oxford shirt" width="64" height="64" loading="lazy" decoding="async" referrerpolicy="no-referrer">',
    );
    expect(html).toMatch(/<th scope="row"><span class="line"><img [^>]+><span>Oxford shirt<br>/);
  });

  it('escapes the URL and the name in the attributes', () => {
    const imageUrl = 'https://cdn.example.com/i.jpg?a=1&b="><script>alert(1)</script>\'';
    expect(ImageUrl.safeParse(imageUrl).success).toBe(true);
    const html = page(withItem([], 'X', { ...shirt, name: 'Tee "<b>" & co', imageUrl }));
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      'src="https://cdn.example.com/i.jpg?a=1&amp;b=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;"',
    );
    expect(html).toContain('alt="Tee &quot;&lt;b&gt;&quot; &amp; co"');
  });

  it('shows a line without an image as before, with no img at all', () => {
    const mixed = withItem(
      withItem([], 'SHIRT', { ...shirt, imageUrl: 'https://cdn.example.com/a.jpg' }).items,
      'HAT',
      {
        ...shirt,
        name: 'Hat',
      },
    );
    const html = page(mixed);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).toContain('<th scope="row">Hat<br><span class="note">Pick up in store</span></th>');
  });
});

describe("the cart page's headers", () => {
  it('adds exactly img-src https: to the policy every link page has, and changes nothing else', () => {
    expect(CART_PAGE_HEADERS['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; img-src https:",
    );
    const { 'content-security-policy': cartPolicy, ...cartRest } = CART_PAGE_HEADERS;
    const { 'content-security-policy': pagePolicy, ...pageRest } = PAGE_HEADERS;
    expect(cartRest).toEqual(pageRest);
    expect(cartPolicy).toBe(`${pagePolicy}; img-src https:`);
    expect(pagePolicy).not.toContain('img-src');
    expect(pageRest['referrer-policy']).toBe('no-referrer');
  });
});

const store: Store = {
  storeId: 's1',
  name: 'Fifth & Main',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
  quietHours: null,
  cartReminderHours: null,
  createdAt: '',
  updatedAt: '',
};

function cartOf(contents: ReturnType<typeof withItem>) {
  return {
    cartId: 'c1',
    conversationId: 'conv',
    storeId: 's1',
    customerId: 'cust',
    currency: 'USD',
    ...contents,
    version: 1,
    expiresAt: '2025-06-16T04:00:00.000Z',
    createdAt: '',
    updatedAt: '',
  };
}
