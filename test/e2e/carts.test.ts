/**
 * Remote carts over the local stack, as an associate and a customer live them: build a cart, share
 * it, open the link in headless Chromium, edit it, reload and see the new total, pay through the
 * local payment page, find the receipt in the outbox and the cart gone; product images beside the
 * lines on a 414 px phone (one that loads, one that cannot), under the page's policy; then a
 * midnight sweep.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient, type ApiClient } from '../support/api-client';
import { baseUrl, drain, outbox, runSchedule, tokenFor } from '../support/e2e';
import { signedTwilioForm } from '../../lib/local/carrier';
import { launchChromium } from '../support/browser';
import { PAYMENT_GRACE_MS } from '../../functions/carts/rules';

/** A 1×1 PNG: what the stand-in CDN serves for the image that loads. */
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const admin = () => apiClient(tokenFor({ role: 'clienteling-admin', userId: 'carts-admin' }));
type Item = { name: string; unitPrice: number; quantity: number; fulfillment: 'IN_STORE' | 'SHIP'; imageUrl?: string };
/** Adds or replaces one cart line as the associate; answers the HTTP status. */
const putItem = async (associate: ApiClient, conversationId: string, sku: string, body: Item) =>
  (
    await associate.PUT('/conversations/{conversationId}/cart/items/{sku}', {
      params: { path: { conversationId, sku } },
      body,
    })
  ).response.status;

/** A store, a customer with a phone, the store's conversation with them, and the customer's signed "YES". */
async function openedConversation(store: { timezone: string; currency: string; country: string }) {
  const storeId = `carts-${randomUUID().slice(0, 8)}`;
  const storePhone = `+1917${digits(7)}`;
  const customerPhone = `+1646${digits(7)}`;
  const created = await admin().PUT('/stores/{storeId}', {
    params: { path: { storeId } },
    body: { name: 'Fifth & Main', phoneNumber: storePhone, quietHours: null, ...store },
  });
  expect(created.response.status).toBe(201);
  const customer = await admin().POST('/customers', {
    body: { email: `carts-${randomUUID()}@example.com`, phone: customerPhone, firstName: 'Grace' },
  });
  expect(customer.response.status).toBe(201);
  const associate = apiClient(tokenFor({ role: 'associate', storeId, userId: 'assoc-e2e' }));
  const conversation = await associate.POST('/conversations', { body: { customerId: customer.data!.customerId } });
  expect([200, 201]).toContain(conversation.response.status);

  const form = {
    MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    AccountSid: 'AC_local',
    From: customerPhone,
    To: storePhone,
    Body: 'YES',
    NumMedia: 0,
  };
  // A form carries every value as text, and Twilio signs the text.
  const fields = Object.fromEntries(Object.entries(form).map(([name, value]) => [name, String(value)]));
  const signed = signedTwilioForm(`${baseUrl()}/webhooks/twilio/sms`, fields);
  const optIn = await apiClient().POST('/webhooks/twilio/sms', {
    body: form,
    bodySerializer: () => signed.body,
    headers: signed.headers,
    parseAs: 'text',
  });
  expect(optIn.response.status).toBe(200);
  await drain(); // the inbound worker applies the YES behind the queue
  const conversationId = conversation.data!.conversationId;
  return { associate, customerPhone, conversationId, cart: { params: { path: { conversationId } } } };
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium(['--disable-quic']);
});
afterAll(async () => {
  await browser?.close();
});

/** Runs browser steps in a phone-sized page (390 px wide unless told); on failure keeps a screenshot in test-results/ before failing. */
async function inBrowser(name: string, steps: (page: Page) => Promise<void>, width = 390): Promise<void> {
  const context = await browser.newContext({ viewport: { width, height: 844 }, isMobile: true });
  const page = await context.newPage();
  try {
    await steps(page);
  } catch (error) {
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: `test-results/${name}-${Date.now()}.png`, fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

describe('remote cart, end to end', () => {
  it('builds, shares, shows the live total, takes the payment, sends the receipt and clears the cart', async () => {
    const { associate, customerPhone, conversationId, cart } = await openedConversation({
      timezone: 'America/New_York',
      currency: 'USD',
      country: 'US',
    });
    expect(
      await putItem(associate, conversationId, 'SHIRT', {
        name: 'Oxford shirt',
        unitPrice: 4_500,
        quantity: 2,
        fulfillment: 'IN_STORE',
      }),
    ).toBe(200);
    expect(
      await putItem(associate, conversationId, 'BOOTS', {
        name: 'Chelsea boots',
        unitPrice: 19_900,
        quantity: 1,
        fulfillment: 'SHIP',
      }),
    ).toBe(200);
    const delivery = await associate.PUT('/conversations/{conversationId}/cart/delivery', {
      ...cart,
      body: { address: '350 Fifth Ave\nNew York, NY 10118', shippingOption: 'Standard' },
    });
    expect(delivery.response.status).toBe(200);
    const share = await associate.POST('/conversations/{conversationId}/cart/share', cart);
    expect(share.response.status).toBe(200);
    const shareUrl = share.data!.url;
    expect(shareUrl).toMatch(new RegExp(`^${baseUrl()}/c/[A-Za-z0-9_-]{43}$`));
    expect((await outbox()).some((m) => m.to === customerPhone && m.body.includes(shareUrl))).toBe(true);

    await inBrowser('carts-e2e-pay', async (page) => {
      const first = await page.goto(shareUrl);
      expect(first?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toContain('Fifth & Main');
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('#cart-total').innerText()).toBe('$289.00');
      expect(await page.locator('#shipping-option').innerText()).toBe('Standard');
      expect(await page.locator('#cart-shipping').innerText()).toBe('Included');
      expect(await page.locator('#store-contact').innerText()).toMatch(/^Fifth & Main · \(\d{3}\) \d{3}-\d{4}$/);

      expect(
        await putItem(associate, conversationId, 'SHIRT', {
          name: 'Oxford shirt',
          unitPrice: 4_500,
          quantity: 3,
          fulfillment: 'IN_STORE',
        }),
      ).toBe(200);
      await page.reload();
      expect(await page.locator('#cart-total').innerText()).toBe('$334.00');

      await page.getByRole('link', { name: 'Pay $334.00' }).click();
      await page.waitForURL(/\/_local\/pay\//);
      await page.locator('#confirm-payment').click();
      await page.locator('#payment-result').waitFor();
      expect(await page.locator('#payment-result').innerText()).toMatch(/accepted/);

      const after = await page.goto(shareUrl);
      expect(after?.status()).toBe(410);
      expect(await page.locator('h1').innerText()).toMatch(/has been paid/);
    });

    const receipt = (await outbox()).filter((m) => m.to === customerPhone).at(-1)!;
    expect(receipt.body).toContain('3 x Oxford shirt $135.00');
    expect(receipt.body).toContain('Total paid: $334.00');
    expect((await associate.GET('/conversations/{conversationId}/cart', cart)).response.status).toBe(404);
    const chat = await associate.GET('/conversations/{conversationId}/messages', cart);
    expect(chat.data?.items.some((m) => m.text === 'customer paid via remote checkout link')).toBe(true);
  });

  it("shows each line's https image beside it on a 414 px phone, and reads as well when an image cannot load", async () => {
    const { associate, conversationId, cart } = await openedConversation({
      timezone: 'America/Chicago',
      currency: 'USD',
      country: 'US',
    });
    // One image the browser is given (the route below stands in for the CDN), one it cannot
    // reach on this closed network (.invalid never resolves), and a line without any.
    const served = 'https://cdn.example.com/products/oxford-shirt.png?w=128';
    const unreachable = 'https://images.example.invalid/products/wool-scarf.jpg';
    for (const [sku, item] of [
      ['SHIRT', { name: 'Oxford shirt', unitPrice: 4_500, quantity: 2, fulfillment: 'IN_STORE', imageUrl: served }],
      ['SCARF', { name: 'Wool scarf', unitPrice: 3_900, quantity: 1, fulfillment: 'IN_STORE', imageUrl: unreachable }],
      ['SOCKS', { name: 'Merino socks', unitPrice: 1_600, quantity: 3, fulfillment: 'IN_STORE' }],
    ] as const)
      expect(await putItem(associate, conversationId, sku, item)).toBe(200);
    const refused = await associate.PUT('/conversations/{conversationId}/cart/items/{sku}', {
      params: { path: { conversationId, sku: 'HAT' } },
      body: {
        name: 'Hat',
        unitPrice: 1,
        quantity: 1,
        fulfillment: 'IN_STORE',
        imageUrl: 'http://cdn.example.com/h.png',
      },
    });
    expect(refused.response.status).toBe(400);
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(['imageUrl']);
    const { url } = (await associate.POST('/conversations/{conversationId}/cart/share', cart)).data!;

    await inBrowser(
      'carts-e2e-images',
      async (page) => {
        const imageRequests: Array<Record<string, string>> = [];
        await page.route('https://cdn.example.com/**', async (route) => {
          imageRequests.push(route.request().headers());
          await route.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(PNG_1X1, 'base64') });
        });
        const answer = await page.goto(url, { waitUntil: 'domcontentloaded' });
        expect(answer?.status()).toBe(200);
        expect(answer?.headers()['content-security-policy']).toBe(
          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; img-src https:",
        );
        // Both images settle: one loaded, one broken.
        // (Page-side code is given as text, evaluated over the DevTools protocol: the tests compile
        // without the DOM's types, and the page's policy forbids eval, which waitForFunction needs.)
        await expect
          .poll(() => page.evaluate<boolean>('[...document.images].every((image) => image.complete)'), {
            timeout: 30_000,
          })
          .toBe(true);

        const rows = page.locator('tbody tr');
        expect(await rows.count()).toBe(3);
        const shirt = page.getByRole('img', { name: 'Oxford shirt' });
        const scarf = page.getByRole('img', { name: 'Wool scarf' });
        expect(await page.locator('img').count()).toBe(2);
        for (const [image, src] of [
          [shirt, served],
          [scarf, unreachable],
        ] as const) {
          expect(await image.getAttribute('src')).toBe(src);
          expect(await image.getAttribute('width')).toBe('64');
          expect(await image.getAttribute('height')).toBe('64');
          expect(await image.getAttribute('loading')).toBe('lazy');
          expect(await image.getAttribute('referrerpolicy')).toBe('no-referrer');
          // The box is the same whether the image came or not: the layout does not jump.
          expect(await image.boundingBox()).toMatchObject({ width: 64, height: 64 });
        }
        const naturalWidth = (alt: string) =>
          page.evaluate<number>(`document.querySelector('img[alt="${alt}"]').naturalWidth`);
        expect(await naturalWidth('Oxford shirt')).toBe(1);
        expect(await naturalWidth('Wool scarf')).toBe(0);
        expect(imageRequests).toHaveLength(1);
        expect(imageRequests[0]).not.toHaveProperty('referer');

        // The broken image's line still reads: its name, its figures, the totals and the pay button.
        expect(await rows.nth(1).innerText()).toMatch(/Wool scarf[\s\S]*1[\s\S]*\$39\.00[\s\S]*\$39\.00/);
        expect(await rows.nth(2).innerText()).toMatch(/Merino socks[\s\S]*3[\s\S]*\$16\.00[\s\S]*\$48\.00/);
        expect(await page.locator('#cart-subtotal').innerText()).toBe('$177.00');
        expect(await page.locator('#cart-total').innerText()).toBe('$177.00');
        expect(await page.getByRole('link', { name: 'Pay $177.00' }).isVisible()).toBe(true);
        // Nothing is wider than the phone, and each thumbnail sits beside its name, not above it.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(414);
        const name = await rows.nth(0).locator('th .line > span').boundingBox();
        const thumb = await shirt.boundingBox();
        expect(name!.x).toBeGreaterThanOrEqual(thumb!.x + thumb!.width);
        expect(name!.y).toBeLessThan(thumb!.y + thumb!.height);

        // The policy lets https images in and nothing else: an image from the page's own http origin is refused.
        const blocked = await page.evaluate<string>(`new Promise((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true });
          const image = document.createElement('img');
          image.src = location.origin + '/favicon.png';
          document.body.append(image);
        })`);
        expect(blocked).toBe('img-src');
      },
      414,
    );
  });

  it('refuses to take the total a customer saw before the associate changed the cart', async () => {
    const { associate, conversationId, cart } = await openedConversation({
      timezone: 'Asia/Kolkata',
      currency: 'INR',
      country: 'IN',
    });
    await putItem(associate, conversationId, 'SAREE', {
      name: 'Silk saree',
      unitPrice: 1_250_000,
      quantity: 1,
      fulfillment: 'IN_STORE',
    });
    const { url } = (await associate.POST('/conversations/{conversationId}/cart/share', cart)).data!;
    const token = url.split('/c/')[1];

    await inBrowser('carts-e2e-stale', async (page) => {
      await page.goto(url);
      await page.locator('#pay').click();
      await page.waitForURL(/\/_local\/pay\//);
      await putItem(associate, conversationId, 'SAREE', {
        name: 'Silk saree',
        unitPrice: 1_250_000,
        quantity: 2,
        fulfillment: 'IN_STORE',
      });
      const refused = page.waitForResponse(
        (r) => r.url().includes(`/_local/pay/${token}`) && r.request().method() === 'POST',
      );
      await page.locator('#confirm-payment').click();
      expect((await refused).status()).toBe(409);
      expect(await page.locator('#payment-result').innerText()).toMatch(/current total is 2500000/);
    });
    expect((await associate.GET('/conversations/{conversationId}/cart', cart)).data?.total).toBe(2_500_000);
  });

  it("clears the cart when a sweep runs 2 hours past the store's midnight (the payment grace)", async () => {
    const { associate, conversationId, cart } = await openedConversation({
      timezone: 'Australia/Adelaide',
      currency: 'AUD',
      country: 'AU',
    });
    await putItem(associate, conversationId, 'HAT', {
      name: 'Akubra hat',
      unitPrice: 24_000,
      quantity: 1,
      fulfillment: 'IN_STORE',
    });
    const { url, expiresAt } = (await associate.POST('/conversations/{conversationId}/cart/share', cart)).data!;
    expect((await associate.GET('/conversations/{conversationId}/cart', cart)).response.status).toBe(200);

    const swept = await runSchedule('cart-sweeper', new Date(Date.parse(expiresAt) + PAYMENT_GRACE_MS + 60_000));

    expect(swept.status).toBe(200);
    expect(swept.body.deleted).toBeGreaterThanOrEqual(1);
    expect((await associate.GET('/conversations/{conversationId}/cart', cart)).response.status).toBe(404);
    const token = new URL(url).pathname.split('/c/')[1]!;
    expect(
      (await apiClient().GET('/c/{token}', { params: { path: { token } }, parseAs: 'text' })).response.status,
    ).toBe(410);
  });
});
