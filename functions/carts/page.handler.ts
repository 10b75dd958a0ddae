/**
 * GET /c/{token}: the cart page behind a shared link. Public: the unguessable token is the only
 * credential, and it shows only the cart it was made for.
 */
import * as z from 'zod/mini';
import { html, httpApi, publicRoute } from '../shared/http';
import { CART_PAGE_HEADERS, checkoutHref, PAGE_HEADERS, renderCartPage, renderLinkProblem } from './page';
import { resolveLink } from './resolve-link';
import { ShareToken } from './model';

/**
 * The payment provider's checkout URL template (optional), e.g.
 * `https://pay.example.com/checkout?ref={token}&amount={amount}&currency={currency}`.
 * Read on first use: the local stack sets it to its own payment page when it starts.
 */
let checkoutTemplate: string | undefined | null = null;
const checkoutUrlTemplate = (): string | undefined => {
  if (checkoutTemplate === null)
    checkoutTemplate = z
      .optional(z.string().check(z.minLength(1)))
      .parse(process.env.PAYMENT_CHECKOUT_URL || undefined);
  return checkoutTemplate;
};

export const handler = httpApi({
  'GET /c/{token}': publicRoute({ params: z.object({ token: z.string() }) }, async ({ params }) => {
    // A token of the wrong shape cannot exist: answer it like any unknown link, without a look-up.
    const resolved = ShareToken.safeParse(params.token).success
      ? await resolveLink(params.token, new Date())
      : ({ kind: 'unknown' } as const);
    if (resolved.kind !== 'open') {
      const page = renderLinkProblem(resolved.kind);
      return html(page.status, page.body, PAGE_HEADERS);
    }
    const checkoutUrl = checkoutHref(checkoutUrlTemplate(), resolved.cart, params.token);
    return html(200, renderCartPage({ cart: resolved.cart, store: resolved.store, checkoutUrl }), CART_PAGE_HEADERS);
  }),
});
