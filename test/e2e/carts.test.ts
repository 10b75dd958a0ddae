/**
 * Remote carts over the local stack, as an associate and a customer live them: build a cart, share
 * it, open the link in headless Chromium, edit it, reload and see the new total, pay through the
 * local payment page, find the receipt in the outbox and the cart gone; then a midnight sweep.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import twilio from 'twilio';
import { api, baseUrl, outbox, runSchedule, tokenFor, drain } from '../support/e2e';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const admin = () => api(tokenFor({ role: 'clienteling-admin', userId: 'carts-admin' }));

/** A store, a customer with a phone, the store's conversation with them, and the customer's signed "YES". */
async function openedConversation(store: { timezone: string; currency: string; country: string }) {
  const storeId = `carts-${randomUUID().slice(0, 8)}`;
  const storePhone = `+1917${digits(7)}`;
  const customerPhone = `+1646${digits(7)}`;
  expect((await admin().put(`/stores/${storeId}`, { name: 'Fifth & Main', phoneNumber: storePhone, quietHours: null, ...store })).status).toBe(201);
  const customer = await admin().post('/customers', { email: `carts-${randomUUID()}@example.com`, phone: customerPhone, firstName: 'Grace' });
  expect(customer.status).toBe(201);
  const associate = api(tokenFor({ role: 'associate', storeId, userId: 'assoc-e2e' }));
  const conversation = await associate.post('/conversations', { customerId: customer.body.customerId });
  expect([200, 201]).toContain(conversation.status);

  const form = { MessageSid: `SM${randomUUID().replace(/-/g, '')}`, AccountSid: 'AC_local', From: customerPhone, To: storePhone, Body: 'YES', NumMedia: '0' };
  const signature = twilio.getExpectedTwilioSignature('local-twilio-token', `${baseUrl()}/webhooks/twilio/sms`, form);
  const optIn = await api().post('/webhooks/twilio/sms', undefined, {
    rawBody: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  });
  expect(optIn.status).toBe(200);
  await drain(); // the inbound worker applies the YES behind the queue
  return { associate, customerPhone, cartPath: `/conversations/${conversation.body.conversationId}/cart` };
}

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** Runs browser steps; on failure keeps a screenshot in test-results/ before failing. */
async function inBrowser(name: string, steps: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
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
    const { associate, customerPhone, cartPath } = await openedConversation({ timezone: 'America/New_York', currency: 'USD', country: 'US' });
    expect((await associate.put(`${cartPath}/items/SHIRT`, { name: 'Oxford shirt', unitPrice: 4_500, quantity: 2, fulfillment: 'IN_STORE' })).status).toBe(200);
    expect((await associate.put(`${cartPath}/items/BOOTS`, { name: 'Chelsea boots', unitPrice: 19_900, quantity: 1, fulfillment: 'SHIP' })).status).toBe(200);
    expect((await associate.put(`${cartPath}/delivery`, { address: '350 Fifth Ave\nNew York, NY 10118', shippingOption: 'Standard' })).status).toBe(200);
    const share = await associate.post(`${cartPath}/share`);
    expect(share.status).toBe(200);
    expect(share.body.url).toMatch(new RegExp(`^${baseUrl()}/c/[A-Za-z0-9_-]{43}$`));
    expect((await outbox()).some((m) => m.to === customerPhone && m.body.includes(share.body.url))).toBe(true);

    await inBrowser('carts-e2e-pay', async (page) => {
      const first = await page.goto(share.body.url);
      expect(first?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toContain('Fifth & Main');
      expect(await page.locator('tbody tr').count()).toBe(2);
      expect(await page.locator('#cart-total').innerText()).toBe('$289.00');
      expect(await page.locator('#shipping-option').innerText()).toBe('Standard');

      expect((await associate.put(`${cartPath}/items/SHIRT`, { name: 'Oxford shirt', unitPrice: 4_500, quantity: 3, fulfillment: 'IN_STORE' })).status).toBe(200);
      await page.reload();
      expect(await page.locator('#cart-total').innerText()).toBe('$334.00');

      await page.getByRole('link', { name: 'Pay $334.00' }).click();
      await page.waitForURL(/\/_local\/pay\//);
      await page.locator('#confirm-payment').click();
      await page.locator('#payment-result').waitFor();
      expect(await page.locator('#payment-result').innerText()).toMatch(/accepted/);

      const after = await page.goto(share.body.url);
      expect(after?.status()).toBe(410);
      expect(await page.locator('h1').innerText()).toMatch(/has been paid/);
    });

    const receipt = (await outbox()).filter((m) => m.to === customerPhone).at(-1)!;
    expect(receipt.body).toContain('3 x Oxford shirt $135.00');
    expect(receipt.body).toContain('Total paid: $334.00');
    expect((await associate.get(cartPath)).status).toBe(404);
    const chat = await associate.get(`${cartPath.replace(/\/cart$/, '')}/messages`);
    expect(chat.body.items.some((m: { text: string }) => m.text === 'customer paid via remote checkout link')).toBe(true);
  });

  it('refuses to take the total a customer saw before the associate changed the cart', async () => {
    const { associate, cartPath } = await openedConversation({ timezone: 'Asia/Kolkata', currency: 'INR', country: 'IN' });
    await associate.put(`${cartPath}/items/SAREE`, { name: 'Silk saree', unitPrice: 1_250_000, quantity: 1, fulfillment: 'IN_STORE' });
    const { url } = (await associate.post(`${cartPath}/share`)).body;
    const token = url.split('/c/')[1];

    await inBrowser('carts-e2e-stale', async (page) => {
      await page.goto(url);
      await page.locator('#pay').click();
      await page.waitForURL(/\/_local\/pay\//);
      await associate.put(`${cartPath}/items/SAREE`, { name: 'Silk saree', unitPrice: 1_250_000, quantity: 2, fulfillment: 'IN_STORE' });
      const refused = page.waitForResponse((r) => r.url().includes(`/_local/pay/${token}`) && r.request().method() === 'POST');
      await page.locator('#confirm-payment').click();
      expect((await refused).status()).toBe(409);
      expect(await page.locator('#payment-result').innerText()).toMatch(/current total is 2500000/);
    });
    expect((await associate.get(cartPath)).body.total).toBe(2_500_000);
  });

  it("clears the cart when a sweep runs past the store's midnight", async () => {
    const { associate, cartPath } = await openedConversation({ timezone: 'Australia/Adelaide', currency: 'AUD', country: 'AU' });
    await associate.put(`${cartPath}/items/HAT`, { name: 'Akubra hat', unitPrice: 24_000, quantity: 1, fulfillment: 'IN_STORE' });
    const { url, expiresAt } = (await associate.post(`${cartPath}/share`)).body;
    expect((await associate.get(cartPath)).status).toBe(200);

    const swept = await runSchedule('cart-sweeper', new Date(Date.parse(expiresAt) + 60_000));

    expect(swept.status).toBe(200);
    expect(swept.body.deleted).toBeGreaterThanOrEqual(1);
    expect((await associate.get(cartPath)).status).toBe(404);
    expect((await api().get(new URL(url).pathname)).status).toBe(410);
  });
});
