/** Remote carts for associates: items, delivery, sharing, deleting. Every write is conditional on the cart version. */
import { httpApi, noContent, ok, route } from '../shared/http';
import { STORE_ROLES } from '../shared/principal';
import { changeCart, deleteOpenCart, getOpenCart, putItem } from './edit-cart';
import { shareCart } from './share-cart';
import { type Cart, CartItemParams, CartParams, DeliveryInput, ItemInput, parseShareBody } from './model';
import { cartView, etagOf, parseIfMatch, withItem, withoutItem } from './rules';

const answer = (cart: Cart) => ok(cartView(cart), { etag: etagOf(cart.version) });
const edit = (
  principal: Parameters<typeof getOpenCart>[0],
  conversationId: string,
  headers: Readonly<Record<string, string | undefined>>,
) => ({
  principal,
  conversationId,
  ifMatch: parseIfMatch(headers['if-match']),
  now: new Date(),
});

export const handler = httpApi({
  'GET /conversations/{conversationId}/cart': route(
    { roles: STORE_ROLES, params: CartParams },
    async ({ principal, params }) => answer(await getOpenCart(principal, params.conversationId, new Date())),
  ),

  'PUT /conversations/{conversationId}/cart/items/{sku}': route(
    { roles: STORE_ROLES, params: CartItemParams, body: ItemInput },
    async ({ principal, params, body, headers }) =>
      answer(
        await putItem(edit(principal, params.conversationId, headers), (current) =>
          withItem(current?.items ?? [], params.sku, body),
        ),
      ),
  ),

  'DELETE /conversations/{conversationId}/cart/items/{sku}': route(
    { roles: STORE_ROLES, params: CartItemParams },
    async ({ principal, params, headers }) =>
      answer(
        await changeCart(edit(principal, params.conversationId, headers), (current) =>
          withoutItem(current.items, params.sku),
        ),
      ),
  ),

  'PUT /conversations/{conversationId}/cart/delivery': route(
    { roles: STORE_ROLES, params: CartParams, body: DeliveryInput },
    async ({ principal, params, body, headers }) =>
      answer(
        await changeCart(edit(principal, params.conversationId, headers), (current) => ({
          ...current,
          delivery: body,
        })),
      ),
  ),

  'POST /conversations/{conversationId}/cart/share': route(
    { roles: STORE_ROLES, params: CartParams },
    async ({ principal, params, headers, rawBody }) => {
      const { remind, channel } = parseShareBody(rawBody);
      return ok(
        await shareCart({
          ...edit(principal, params.conversationId, headers),
          ...(remind === undefined ? {} : { remind }),
          ...(channel === undefined ? {} : { channel }),
        }),
      );
    },
  ),

  'DELETE /conversations/{conversationId}/cart': route(
    { roles: STORE_ROLES, params: CartParams },
    async ({ principal, params, headers }) => {
      await deleteOpenCart(edit(principal, params.conversationId, headers));
      return noContent();
    },
  ),
});
