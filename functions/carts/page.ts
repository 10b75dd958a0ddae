/**
 * The customer's cart page as HTML: small, accessible, mobile-first, no script. Every string from
 * the cart, the store or a client is escaped; nothing about the customer beyond the cart is shown.
 */
import type { Store } from '../stores/model';
import { addressLines, displayPhone } from './address';
import type { Cart, CartItem } from './model';
import { formatLocalTime } from './local-time';
import { formatMoney, storeLocale } from './rules';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** The policy every page behind a link starts from: nothing loads, no script runs, only inline styles. */
const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Headers for every page behind a link: the token is in the URL, so no referrer leaks it and no
 * cache keeps it; no script may run, and the page cannot be framed.
 */
export const PAGE_HEADERS: Record<string, string> = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
  'content-security-policy': PAGE_POLICY,
};

/**
 * The cart page's headers: PAGE_HEADERS, and its policy lets exactly one more thing load, the
 * items' https images (docs/rules.md, "The cart page"). Pages without images keep PAGE_HEADERS.
 */
export const CART_PAGE_HEADERS: Record<string, string> = {
  ...PAGE_HEADERS,
  'content-security-policy': `${PAGE_POLICY}; img-src https:`,
};

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; }
  body { margin: 0; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 0.25rem; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: 0.5rem 0.25rem; border-bottom: 1px solid GrayText; text-align: left; vertical-align: top; }
  td.num, th.num { text-align: right; white-space: nowrap; }
  tfoot th, tfoot td { font-weight: 700; border-bottom: none; }
  .note { font-size: 0.9rem; }
  .pay { display: block; width: 100%; box-sizing: border-box; margin: 1.5rem 0 0.5rem; padding: 0.9rem; border: 0; border-radius: 0.5rem;
         font-size: 1.1rem; font-weight: 700; text-align: center; text-decoration: none; background: #0b57d0; color: #fff; }
  .pay:focus-visible { outline: 3px solid #f9ab00; outline-offset: 2px; }
  .pay[aria-disabled="true"], .pay:disabled { background: GrayText; }
  .line { display: flex; gap: 0.5rem; align-items: flex-start; }
  .line > span { min-width: 0; overflow-wrap: anywhere; }
  .thumb { flex: none; width: 64px; height: 64px; object-fit: cover; border-radius: 0.25rem; overflow: hidden;
           background: color-mix(in srgb, GrayText 15%, transparent); font-size: 0.7rem; font-weight: 400; color: GrayText; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

const FULFILLMENT_LABEL = { IN_STORE: 'Pick up in store', SHIP: 'Shipped to you' } as const;

/**
 * Where the pay button leads: PAYMENT_CHECKOUT_URL with `{token}`, `{amount}` and `{currency}`
 * filled in (URL-encoded). Without one, the button is shown disabled with the reason, rather than
 * leading nowhere.
 */
export function checkoutHref(
  template: string | undefined,
  cart: Pick<Cart, 'total' | 'currency'>,
  token: string,
): string | undefined {
  if (!template) return undefined;
  return template
    .replaceAll('{token}', encodeURIComponent(token))
    .replaceAll('{amount}', encodeURIComponent(String(cart.total)))
    .replaceAll('{currency}', encodeURIComponent(cart.currency));
}

/**
 * A line's name and fulfillment, with its product image beside them when it has one: a 64 px
 * thumbnail sized by its attributes, so the row keeps its shape while the image loads and when
 * it never does (the alt text, the item's name, stands in its box). It loads lazily and sends no
 * referrer, so the image host never learns the link's token.
 */
function itemCell(item: CartItem): string {
  const text = `${escapeHtml(item.name)}<br><span class="note">${FULFILLMENT_LABEL[item.fulfillment]}</span>`;
  if (!item.imageUrl) return text;
  const image = `<img class="thumb" src="${escapeHtml(item.imageUrl)}" alt="${escapeHtml(item.name)}" width="64" height="64" loading="lazy" decoding="async" referrerpolicy="no-referrer">`;
  return `<span class="line">${image}<span>${text}</span></span>`;
}

export function renderCartPage(input: {
  cart: Cart;
  store: Store | undefined;
  checkoutUrl: string | undefined;
}): string {
  const { cart, store } = input;
  const locale = storeLocale(store?.country);
  const money = (minor: number) => escapeHtml(formatMoney(minor, cart.currency, locale));
  const storeName = store?.name ?? 'your store';
  const rows = cart.items
    .map(
      (item) => `<tr>
<th scope="row">${itemCell(item)}</th>
<td class="num">${item.quantity}</td>
<td class="num">${money(item.unitPrice)}</td>
<td class="num">${money(item.lineTotal)}</td>
</tr>`,
    )
    .join('\n');
  const delivery = cart.delivery
    ? `<section aria-labelledby="delivery-heading">
<h2 id="delivery-heading">Delivery</h2>
<p id="delivery-address">${addressLines(cart.delivery.address, store?.country).map(escapeHtml).join('<br>')}</p>
<p>Shipping: <span id="shipping-option">${escapeHtml(cart.delivery.shippingOption)}</span>, included in the total</p>
</section>`
    : '';
  // Shipping options carry no price of their own (rules.ts, priced): shipping is in the total.
  const shipping = cart.delivery
    ? `<tr><th scope="row" colspan="3">Shipping</th><td class="num" id="cart-shipping">Included</td></tr>`
    : '';
  const contact = store
    ? `<p class="note" id="store-contact">${escapeHtml(store.name)} · <a href="sms:${escapeHtml(store.phoneNumber)}">${escapeHtml(displayPhone(store.phoneNumber))}</a></p>`
    : '';
  const validUntil = store
    ? `<p class="note">This link works until midnight tonight, store time (<time datetime="${escapeHtml(cart.expiresAt)}">${escapeHtml(
        formatLocalTime(cart.expiresAt, store.timezone, locale),
      )}</time>).</p>`
    : '';
  const pay = input.checkoutUrl
    ? `<a class="pay" id="pay" href="${escapeHtml(input.checkoutUrl)}">Pay ${money(cart.total)}</a>`
    : `<button class="pay" id="pay" type="button" disabled aria-describedby="pay-unavailable">Pay ${money(cart.total)}</button>
<p class="note" id="pay-unavailable">Online payment is not available right now. Reply to the text message and your associate will help you pay.</p>`;

  return layout(
    `Your cart from ${storeName}`,
    `<h1>Your cart from ${escapeHtml(storeName)}</h1>
${validUntil}
<table>
<caption class="visually-hidden">Items in your cart, with quantity and price</caption>
<thead><tr><th scope="col">Item</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Price</th><th scope="col" class="num">Amount</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>
<tr><th scope="row" colspan="3">Subtotal</th><td class="num" id="cart-subtotal">${money(cart.subtotal)}</td></tr>
${shipping}
<tr><th scope="row" colspan="3">Total</th><td class="num" id="cart-total">${money(cart.total)}</td></tr>
</tfoot>
</table>
${delivery}
${pay}
<p class="note">Want to change something? Reply to the text message and your associate will update the cart.</p>
${contact}`,
  );
}

export type LinkProblem = 'paid' | 'expired' | 'gone' | 'unknown';

const LINK_PROBLEMS: Record<LinkProblem, { status: number; title: string; text: string }> = {
  paid: {
    status: 410,
    title: 'This cart has been paid',
    text: 'Thank you! This cart has been paid and a receipt was sent to you by text message.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Cart links work until midnight, store time. Reply to the text message and your associate will send you a new one.',
  },
  gone: {
    status: 410,
    title: 'This cart is no longer available',
    text: 'The store has closed this cart. Reply to the text message if you would like a new one.',
  },
  unknown: {
    status: 404,
    title: 'Cart not found',
    text: 'This link does not lead to a cart. Please check that you opened the whole link from the text message.',
  },
};

export function renderLinkProblem(problem: LinkProblem): { status: number; body: string } {
  const { status, title, text } = LINK_PROBLEMS[problem];
  return { status, body: layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`) };
}
