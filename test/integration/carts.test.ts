import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CART_PREFIX, cartPk, LINK_PREFIX, linkKeyOfHash } from '../../functions/carts/repository/keys';
import { scheduledEvent } from '../../lib/lambda-events';
import { lambdaContext } from '../support/http-events';
import { invoker } from '../support/invoke';
import { captureLogs } from '../support/logs';
import {
  associate,
  boots,
  cartCalls,
  customerWrites,
  delivery,
  documentClient,
  itemsWithPrefix,
  messagesOf,
  NYC,
  openPage,
  outboxTo,
  QUIET,
  seedConversation,
  seedStores,
  shirt,
  tokenOf,
  TOKYO,
} from './carts-fixtures';

const { nextLocalMidnight } = await import('../../functions/carts/local-time');
const { PAYMENT_GRACE_MS } = await import('../../functions/carts/rules');
const { handler: sweep } = await import('../../functions/carts/sweeper.handler');
const repository = await import('../../functions/carts/repository');
const unknownRoutes = invoker((await import('../../functions/shared/unknown-route.handler')).handler);

beforeAll(seedStores);
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('cart API', () => {
  it('creates the cart with the first item, prices it on the server in the store currency, and tags version 1', async () => {
    const { conversationId } = await seedConversation();
    const res = await cartCalls(conversationId).putItem('SKU-1', shirt);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({
      conversationId,
      storeId: NYC.storeId,
      currency: 'USD',
      items: [{ sku: 'SKU-1', ...shirt, lineTotal: 9_000 }],
      subtotal: 9_000,
      total: 9_000,
      version: 1,
      expiresAt: (await nextLocalMidnight(new Date(), NYC.timezone)).toISOString(),
    });
  });

  it('answers 404 for a conversation without a cart, and the cart with its ETag once there is one', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    expect((await cart.get()).status).toBe(404);
    await cart.putItem('A', shirt);
    const res = await cart.get();
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.items).toHaveLength(1);
  });

  it('uses the currency of a store with no minor unit', async () => {
    const { conversationId } = await seedConversation(TOKYO.storeId);
    const res = await cartCalls(conversationId, associate(TOKYO.storeId)).putItem('T1', { ...shirt, unitPrice: 5_000 });
    expect(res.body).toMatchObject({ currency: 'JPY', total: 10_000 });
  });

  it('refuses a stale If-Match with 409 and accepts the current one', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    await cart.putItem('B', boots, '"1"');

    const stale = await cart.putItem('A', { ...shirt, quantity: 5 }, '"1"');
    expect(stale.status).toBe(409);
    expect(stale.headers['content-type']).toBe('application/problem+json');

    const current = await cart.putItem('A', { ...shirt, quantity: 5 }, '"2"');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: 3, total: 5 * 4_500 + 19_900 });
  });

  it('refuses a stale If-Match on delivery, item removal, share and delete alike', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    await cart.putItem('B', shirt);
    expect((await cart.setDelivery(delivery, '"1"')).status).toBe(409);
    expect((await cart.deleteItem('A', '"1"')).status).toBe(409);
    expect((await cart.share('"1"')).status).toBe(409);
    expect((await cart.delete('"1"')).status).toBe(409);
    expect((await cart.get()).body.items).toHaveLength(2);
  });

  it('lands two concurrent edits without If-Match one after the other', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const results = await Promise.all([cart.putItem('B', shirt), cart.putItem('C', boots)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const final = await cart.get();
    expect(final.body.items.map((i: { sku: string }) => i.sku).sort()).toEqual(['A', 'B', 'C']);
    expect(final.body.version).toBe(3);
  });

  it('removes an item and re-totals; removing an item the cart does not hold is a 404', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    await cart.putItem('B', boots);
    const res = await cart.deleteItem('B');
    expect(res.body).toMatchObject({ total: 9_000, version: 3 });
    expect((await cart.deleteItem('B')).status).toBe(404);
  });

  it('deletes the cart with 204', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    expect((await cart.delete('"1"')).status).toBe(204);
    expect((await cart.get()).status).toBe(404);
    expect((await cart.delete()).status).toBe(404);
  });

  it.each([
    ['a quantity of 0', { ...shirt, quantity: 0 }],
    ['a quantity of 100', { ...shirt, quantity: 100 }],
    ['a price with decimals', { ...shirt, unitPrice: 45.5 }],
    ['a negative price', { ...shirt, unitPrice: -1 }],
    ['an unknown fulfillment', { ...shirt, fulfillment: 'DRONE' }],
    ['no name', { ...shirt, name: '' }],
  ])('refuses %s with 400 naming the field', async (_, body) => {
    const { conversationId } = await seedConversation();
    const res = await cartCalls(conversationId).putItem('A', body);
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('refuses a malformed If-Match with 400', async () => {
    const { conversationId } = await seedConversation();
    expect((await cartCalls(conversationId).putItem('A', shirt, 'yesterday')).status).toBe(400);
  });

  it("answers 404 to another store's associate, and 403 to an admin", async () => {
    const { conversationId } = await seedConversation();
    await cartCalls(conversationId).putItem('A', shirt);
    expect((await cartCalls(conversationId, associate(TOKYO.storeId)).get()).status).toBe(404);
    expect((await cartCalls(conversationId, associate(TOKYO.storeId)).putItem('B', shirt)).status).toBe(404);
    expect((await cartCalls(conversationId, { userId: 'admin', role: 'clienteling-admin' }).get()).status).toBe(403);
    expect((await cartCalls('no-such-conversation').get()).status).toBe(404);
  });
});

describe('product images on cart lines (docs/rules.md, "The cart page")', () => {
  const imageUrl = 'https://cdn.example.com/products/oxford-shirt.jpg?w=128&h=128';

  it('stores the imageUrl with the line, returns it, and drops it when the line is put again without one', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    const put = await cart.putItem('SHIRT', { ...shirt, imageUrl });
    expect(put.status).toBe(200);
    expect(put.body.items).toEqual([{ sku: 'SHIRT', ...shirt, imageUrl, lineTotal: 9_000 }]);
    const [stored] = await itemsWithPrefix(cartPk(conversationId));
    expect(stored?.items).toEqual([{ sku: 'SHIRT', ...shirt, imageUrl, lineTotal: 9_000 }]);
    expect((await cart.get()).body.items[0].imageUrl).toBe(imageUrl);

    await cart.putItem('BOOTS', boots);
    const replaced = await cart.putItem('SHIRT', { ...shirt, quantity: 1 });
    expect(replaced.body.items.map((i: Record<string, unknown>) => 'imageUrl' in i)).toEqual([false, false]);
  });

  it.each([
    ['http', 'http://cdn.example.com/shirt.jpg'],
    ['a data: URL', 'data:image/png;base64,iVBORw0KGgo='],
    ['a javascript: URL', 'javascript:alert(document.cookie)'],
    ['a relative URL', '/img/shirt.jpg'],
    ['credentials', 'https://user:pass@cdn.example.com/shirt.jpg'],
    ['2,001 characters', `https://cdn.example.com/${'a'.repeat(2_001 - 24)}`],
    ['a number', 42],
  ])('refuses an imageUrl that is %s with 400 naming imageUrl, and stores nothing', async (_, bad) => {
    const { conversationId } = await seedConversation();
    const res = await cartCalls(conversationId).putItem('SHIRT', { ...shirt, imageUrl: bad });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors).toEqual([{ in: 'body', field: 'imageUrl', detail: expect.any(String) }]);
    expect(res.body.detail).toContain('imageUrl');
    expect(await itemsWithPrefix(cartPk(conversationId))).toEqual([]);
  });

  it('shows the image on the shared page, under a policy that adds img-src https: and nothing else', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('SHIRT', { ...shirt, imageUrl });
    await cart.putItem('HAT', { ...shirt, name: 'Flat cap' });
    const page = await openPage(tokenOf((await cart.share()).body.url));
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; img-src https:",
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain(
      '<img class="thumb" src="https://cdn.example.com/products/oxford-shirt.jpg?w=128&amp;h=128" alt="Oxford shirt" width="64" height="64"',
    );
    expect(page.body.match(/<img /g)).toHaveLength(1);
    // A link page without a cart keeps the stricter policy: nothing at all loads there.
    const unknown = await openPage('x'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-security-policy']).not.toContain('img-src');
  });
});

describe('sharing', () => {
  it('refuses to share a cart with shipped items before delivery is set (422), then shares it', async () => {
    const { conversationId, phone } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('B', boots);
    const refused = await cart.share();
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/delivery/);

    await cart.setDelivery(delivery);
    const shared = await cart.share();
    expect(shared.status).toBe(200);
    expect(shared.body.url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/c\/[A-Za-z0-9_-]{43}$/);
    expect(shared.body.expiresAt).toBe((await nextLocalMidnight(new Date(), NYC.timezone)).toISOString());
    const sms = await outboxTo(phone);
    expect(sms.at(-1)?.body).toContain(shared.body.url);
    const messages = await messagesOf(conversationId);
    expect(
      messages.some((m) => m.direction === 'outbound' && m.text.includes(shared.body.url) && m.sentBy === 'assoc-1'),
    ).toBe(true);
  });

  it('refuses an empty cart with 422', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    await cart.deleteItem('A');
    expect((await cart.share()).status).toBe(422);
  });

  it('gives a different link at every share, and keeps the version so the next edit with the same If-Match works', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const first = await cart.share('"1"');
    const second = await cart.share('"1"');
    expect(tokenOf(first.body.url)).not.toBe(tokenOf(second.body.url));
    expect((await cart.putItem('A', { ...shirt, quantity: 1 }, '"1"')).status).toBe(200);
    expect((await cart.get()).body.sharedUrl).toBe(second.body.url);
  });

  it('propagates the opt-in refusal (422) and leaves no usable link when the customer has not opted in', async () => {
    const { conversationId, phone } = await seedConversation(NYC.storeId, false);
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const linksBefore = (await itemsWithPrefix(LINK_PREFIX)).length;
    const res = await cart.share();
    expect(res.status).toBe(422);
    expect(res.body.type).toMatch(/not-opted-in/);
    expect(await itemsWithPrefix(LINK_PREFIX)).toHaveLength(linksBefore);
    expect(await outboxTo(phone)).toHaveLength(0);
  });
});

describe('sharing in quiet hours', () => {
  it('refuses with 422 quiet-hours and the time they end when the customer has not written for 24 hours, and leaves no link', async () => {
    const { conversationId, phone } = await seedConversation(QUIET.storeId);
    const cart = cartCalls(conversationId, associate(QUIET.storeId));
    await cart.putItem('A', shirt);
    const linksBefore = (await itemsWithPrefix(LINK_PREFIX)).length;
    const res = await cart.share();
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.type).toMatch(/quiet-hours$/);
    const end = new Date(res.body.quietHoursEnd);
    // The window's end in the store's zone, within the two hours after the suite started.
    expect(end.getTime()).toBeGreaterThan(Date.now());
    expect(end.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 3600_000);
    expect(DateTime.fromJSDate(end, { zone: QUIET.timezone }).toFormat('HH:mm')).toBe(QUIET.quietHours.end);
    expect(res.body.detail).toContain(end.toISOString());
    expect(await itemsWithPrefix(LINK_PREFIX)).toHaveLength(linksBefore);
    expect(await outboxTo(phone)).toHaveLength(0);
    expect((await messagesOf(conversationId)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
  });

  it("sends the link at once within 24 hours of the customer's message", async () => {
    const { conversationId, phone } = await seedConversation(QUIET.storeId);
    await customerWrites(conversationId);
    const cart = cartCalls(conversationId, associate(QUIET.storeId));
    await cart.putItem('A', shirt);
    const res = await cart.share();
    expect(res.status).toBe(200);
    expect((await outboxTo(phone)).at(-1)?.body).toContain(res.body.url);
  });
});

describe('the cart page', () => {
  it('shows the live cart: an edit after sharing shows the new total through the same link', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);

    const before = await openPage(token);
    expect(before.status).toBe(200);
    expect(before.headers['content-type']).toMatch(/text\/html/);
    expect(before.headers['referrer-policy']).toBe('no-referrer');
    expect(before.body).toContain('<td class="num" id="cart-total">$90.00</td>');
    expect(before.body).toContain('Fifth Avenue');
    expect(before.body).not.toMatch(/Ada|Lovelace|\+1646/);

    await cart.putItem('A', { ...shirt, quantity: 3 });
    expect((await openPage(token)).body).toContain('<td class="num" id="cart-total">$135.00</td>');
  });

  it('leaks nothing: no email or phone in the page, no referrer, and the token in no log line', async () => {
    const { conversationId, phone } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);
    const logged = captureLogs();

    const page = await openPage(token);
    expect(page.status).toBe(200);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).not.toMatch(/@example\.com/);
    expect(page.body).not.toContain(phone.slice(2));
    // A path under the link that no route serves is refused without the token in its logged detail.
    const stray = await unknownRoutes({ routeKey: 'GET /c/{token}/receipt', path: `/c/${token}/receipt` });
    expect(stray.status).toBe(404);
    expect(stray.body.detail).toBe('No route GET /c/{token}/receipt.');
    await cart.delete();
    expect((await openPage(token)).status).toBe(410);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(token);
  });

  it('stores the share link under the SHA-256 of its token, and the token nowhere in the link item', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);
    const links = await itemsWithPrefix(linkKeyOfHash(createHash('sha256').update(token).digest('hex')).pk);
    expect(links).toHaveLength(1);
    expect(JSON.stringify(links[0])).not.toContain(token);
    expect(await itemsWithPrefix(`CARTLINK#${token}`)).toEqual([]);
    expect((await openPage(token)).status).toBe(200);
  });

  it('escapes what associates typed', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('X', { ...shirt, name: '<img src=x onerror=alert(1)>' });
    const page = await openPage(tokenOf((await cart.share()).body.url));
    expect(page.body).not.toContain('<img');
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('answers 404 for an unknown or malformed token and 410 once the cart is deleted', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);
    expect((await openPage('A'.repeat(43))).status).toBe(404);
    expect((await openPage('../../etc/passwd')).status).toBe(404);
    await cart.delete();
    const gone = await openPage(token);
    expect(gone.status).toBe(410);
    expect(gone.body).toMatch(/no longer available/);
  });

  it('never shows a new cart started after the shared one was deleted', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);
    await cart.delete();
    await cart.putItem('B', boots);
    expect((await openPage(token)).status).toBe(410);
  });
});

describe('midnight', () => {
  it('treats a cart past its store-local midnight as gone before any sweep: the API 404s, the link 410s', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('A', shirt);
    const token = tokenOf((await cart.share()).body.url);
    const midnight = await nextLocalMidnight(new Date(), NYC.timezone);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(midnight.getTime() + 1_000));
    expect((await cart.get()).status).toBe(404);
    const page = await openPage(token);
    expect(page.status).toBe(410);
    expect(page.body).toMatch(/expired/);
    // A new day starts a new cart; yesterday's stays untouched until the sweeper removes it.
    expect((await cart.putItem('B', boots)).body).toMatchObject({ version: 1, items: [{ sku: 'B' }] });
  });

  it("the sweeper deletes the carts whose store's midnight is 2 hours behind and keeps the others", async () => {
    const nyc = await seedConversation(NYC.storeId);
    const tokyo = await seedConversation(TOKYO.storeId);
    await cartCalls(nyc.conversationId).putItem('A', shirt);
    await cartCalls(tokyo.conversationId, associate(TOKYO.storeId)).putItem('A', shirt);
    const nycMidnight = await nextLocalMidnight(new Date(), NYC.timezone);
    const tokyoMidnight = await nextLocalMidnight(new Date(), TOKYO.timezone);
    const [first, second] = nycMidnight < tokyoMidnight ? [nyc, tokyo] : [tokyo, nyc];
    const firstMidnight = nycMidnight < tokyoMidnight ? nycMidnight : tokyoMidnight;
    // Kept for the payment grace (a payment made before midnight may still arrive), though every read treats it as gone.
    await sweep(scheduledEvent('cart-sweeper', new Date(firstMidnight.getTime() + 60_000)), lambdaContext());
    expect((await itemsWithPrefix(CART_PREFIX)).map((i) => i.conversationId)).toContain(first.conversationId);
    const between = new Date(firstMidnight.getTime() + PAYMENT_GRACE_MS + 60_000);

    const result = await sweep(scheduledEvent('cart-sweeper', between), lambdaContext());
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    const remaining = (await itemsWithPrefix(CART_PREFIX)).map((i) => i.conversationId);
    expect(remaining).not.toContain(first.conversationId);
    expect(remaining).toContain(second.conversationId);
  });

  it('sweeps any volume in pages and batches, retrying unprocessed deletes', async () => {
    // Expiry an hour ahead of the real clock, swept as if two hours later, so DynamoDB's own TTL never races the sweep.
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const carts = Array.from({ length: 140 }, (_, i) => ({
      cartId: `bulk-${i}`,
      conversationId: `bulk-conv-${i}`,
      storeId: NYC.storeId,
      customerId: `bulk-cust-${i}`,
      currency: 'USD',
      items: [],
      subtotal: 0,
      total: 0,
      version: 1,
      expiresAt,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    }));
    for (const cart of carts) await repository.saveCart(cart, undefined);

    // The first BatchWriteItem leaves its last two deletes unprocessed, as a throttled table does.
    const send = documentClient.send.bind(documentClient);
    let throttled = false;
    vi.spyOn(documentClient, 'send').mockImplementation((async (command: any) => {
      const output: any = await send(command);
      if (!throttled && command.constructor.name === 'BatchWriteCommand') {
        throttled = true;
        const table = Object.keys(command.input.RequestItems)[0]!;
        const requests = command.input.RequestItems[table];
        // Put the last two back so the retry really has to delete them.
        for (const r of requests.slice(-2))
          await repository.saveCart(carts.find((c) => cartPk(c.conversationId) === r.DeleteRequest.Key.pk)!, undefined);
        return { ...output, UnprocessedItems: { [table]: requests.slice(-2) } };
      }
      return output;
    }) as any);

    const deleted = await repository.deleteExpiredCarts(new Date(Date.now() + 7_200_000), { pageSize: 7 });
    expect(throttled).toBe(true);
    expect(deleted).toBeGreaterThanOrEqual(140);
    expect((await itemsWithPrefix(cartPk('bulk-'))).length).toBe(0);
  });
});
