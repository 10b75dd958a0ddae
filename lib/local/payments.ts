/**
 * The local stack's stand-in for a payment provider (never deployed, so it lives here and not in
 * functions/carts/): `GET /_local/pay/{token}` shows a test checkout for the cart, and
 * `POST /_local/pay/{token}` signs a payment notification with the webhook secret and sends it to
 * the real `POST /webhooks/payments` route, so the whole share → pay → receipt flow runs on a
 * laptop. The stack calls `enableLocalCheckout` at start; the `/_local` route table
 * (lib/local/local-routes.ts) serves the two pages, and answers any other method with
 * `methodNotAllowed`. Loaded only once the functions' environment is set: the carts code it
 * calls reads it.
 */
import { randomUUID } from 'node:crypto';
import { paymentWebhookSecret } from '../../functions/shared/secrets';
import { escapeHtml, layout, PAGE_HEADERS, renderLinkProblem } from '../../functions/carts/page';
import { resolveLink } from '../../functions/carts/resolve-link';
import { ShareToken } from '../../functions/carts/model';
import { formatMoney, signPaymentBody, storeLocale } from '../../functions/carts/rules';
import type { HttpAnswer } from './http-api';

/** Makes the cart page's pay button lead to the local checkout, unless a real provider URL is configured. */
export function enableLocalCheckout(baseUrl: string): void {
  process.env.PAYMENT_CHECKOUT_URL ||= `${baseUrl}/_local/pay/{token}?amount={amount}&currency={currency}`;
}

const html = (statusCode: number, body: string): HttpAnswer => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS },
  body: Buffer.from(body),
});

const page = (statusCode: number, title: string, body: string): HttpAnswer =>
  html(statusCode, layout(title, `<h1>${escapeHtml(title)}</h1>\n${body}`));

/** The answer to a method other than GET and POST on `/_local/pay/{token}`. */
export const methodNotAllowed = (): HttpAnswer => page(405, 'Method not allowed', '<p>Use GET or POST.</p>');

async function openCartOf(token: string) {
  if (!ShareToken.safeParse(token).success) return { kind: 'unknown' } as const;
  return resolveLink(token, new Date());
}

/**
 * The open cart behind a link with the amount and currency to pay (as the page showed them,
 * defaulting to the cart's own), or the link's 404/410 page when it is not open.
 */
type OpenCart = Extract<Awaited<ReturnType<typeof openCartOf>>, { kind: 'open' }>;

async function checkoutOf(
  token: string,
  params: URLSearchParams,
): Promise<{ answer: HttpAnswer } | { resolved: OpenCart; amount: number; currency: string }> {
  const resolved = await openCartOf(token);
  if (resolved.kind !== 'open') {
    const problem = renderLinkProblem(resolved.kind);
    return { answer: html(problem.status, problem.body) };
  }
  return {
    resolved,
    amount: Number(params.get('amount') ?? resolved.cart.total),
    currency: params.get('currency') ?? resolved.cart.currency,
  };
}

/**
 * The test checkout. It pays the amount the cart page showed (passed along in the query), not
 * whatever the cart holds at the click, so paying a total that changed meanwhile is refused by
 * the webhook exactly as a real provider's stale payment would be.
 */
export async function localPaymentPage(token: string, query = new URLSearchParams()): Promise<HttpAnswer> {
  const checkout = await checkoutOf(token, query);
  if ('answer' in checkout) return checkout.answer;
  const { resolved, amount, currency } = checkout;
  const shown = escapeHtml(formatMoney(amount, currency, storeLocale(resolved.store?.country)));
  return page(
    200,
    'Local test payment',
    `<p>This is the local stack's stand-in for a payment provider. No money moves.</p>
<form method="post" action="/_local/pay/${encodeURIComponent(token)}">
<input type="hidden" name="amount" value="${escapeHtml(amount)}">
<input type="hidden" name="currency" value="${escapeHtml(currency)}">
<button class="pay" id="confirm-payment" type="submit">Pay ${shown}</button>
</form>`,
  );
}

/** Signs `{token, amount, currency, paymentId, paidAt}` as the provider would and posts it to the real webhook route. */
export async function localPay(token: string, form: URLSearchParams, baseUrl: string): Promise<HttpAnswer> {
  const checkout = await checkoutOf(token, form);
  if ('answer' in checkout) return checkout.answer;
  const { amount, currency } = checkout;
  const paymentId = `local-${randomUUID()}`;
  // The provider signs when the customer paid: a notification that is late still settles within the grace.
  const rawBody = JSON.stringify({ token, amount, currency, paymentId, paidAt: new Date().toISOString() });
  const response = await fetch(`${baseUrl}/webhooks/payments`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': signPaymentBody(rawBody, await paymentWebhookSecret()),
    },
    body: rawBody,
  });
  const answer = (await response.json().catch(() => ({}))) as { detail?: string };
  if (!response.ok) {
    return page(
      response.status,
      'Payment refused',
      `<p id="payment-result">${escapeHtml(answer.detail ?? `The webhook answered ${response.status}.`)}</p>`,
    );
  }
  return page(
    200,
    'Payment accepted',
    `<p id="payment-result">Payment ${escapeHtml(paymentId)} was accepted. A receipt is on its way by text message.</p>
<p><a href="/c/${encodeURIComponent(token)}">Back to the cart link</a></p>`,
  );
}
