/**
 * Midnight per store time zone on the local stack: saving a store creates its zone's schedule,
 * `GET /_local/schedules` lists it beside the manifest's rate schedules, and firing it by name
 * at the zone's midnight clears that zone's cart and keeps another zone's.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { api, invocations, request, runSchedule, tokenFor } from '../support/e2e';
import { PAYMENT_GRACE_MS } from '../../functions/carts/rules';

const admin = () => api(tokenFor({ role: 'clienteling-admin', userId: 'zones-admin' }));
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** A store in `timezone`, a customer, their conversation, and a cart with one item. */
async function storeWithCart(timezone: string) {
  const storeId = `zones-${randomUUID().slice(0, 8)}`;
  const saved = await admin().put(`/stores/${storeId}`, {
    name: `Store in ${timezone}`,
    timezone,
    country: 'US',
    phoneNumber: `+1917${digits(7)}`,
    currency: 'USD',
  });
  expect(saved.status).toBe(201);
  const customer = await admin().post('/customers', {
    email: `zones-${randomUUID()}@example.com`,
    phone: `+1646${digits(7)}`,
  });
  expect(customer.status).toBe(201);
  const associate = api(tokenFor({ role: 'associate', storeId, userId: 'zones-assoc' }));
  const conversation = await associate.post('/conversations', { customerId: customer.body.customerId });
  const cartPath = `/conversations/${conversation.body.conversationId}/cart`;
  const cart = await associate.put(`${cartPath}/items/SCARF`, {
    name: 'Silk scarf',
    unitPrice: 9_900,
    quantity: 1,
    fulfillment: 'IN_STORE',
  });
  expect(cart.status).toBe(200);
  return { associate, cartPath, expiresAt: cart.body.expiresAt as string };
}

describe('zone schedules on the local stack', () => {
  it('lists the manifest rate schedules with their expressions', async () => {
    const listed = await request('GET', '/_local/schedules');

    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(
      expect.arrayContaining([
        { name: 'cart-sweeper', expression: 'rate(15 minutes)', timezone: 'UTC' },
        { name: 'conversation-archiver', expression: 'rate(15 minutes)', timezone: 'UTC' },
      ]),
    );
  });

  it("creates the zone's schedule with its store, and firing it after the payment grace clears that zone's cart only", async () => {
    const kolkata = await storeWithCart('Asia/Kolkata');
    const chatham = await storeWithCart('Pacific/Chatham');

    const listed = (await request('GET', '/_local/schedules')).body as Array<{ name: string }>;
    expect(listed).toEqual(
      expect.arrayContaining([
        { name: 'cart-midnight-Asia-Kolkata', expression: 'cron(0 0 * * ? *)', timezone: 'Asia/Kolkata' },
        { name: 'cart-midnight-Pacific-Chatham', expression: 'cron(0 0 * * ? *)', timezone: 'Pacific/Chatham' },
      ]),
    );
    expect(listed.filter((s) => s.name === 'cart-midnight-Asia-Kolkata')).toHaveLength(1);

    const midnight = new Date(kolkata.expiresAt);
    const graceOver = new Date(midnight.getTime() + PAYMENT_GRACE_MS);
    const early = await runSchedule('cart-midnight-Asia-Kolkata', new Date(graceOver.getTime() - 60_000));
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ timezone: 'Asia/Kolkata', deleted: 0 });
    expect((await kolkata.associate.get(kolkata.cartPath)).status).toBe(200);

    const onTime = await runSchedule('cart-midnight-Asia-Kolkata', graceOver);
    expect(onTime.status).toBe(200);
    expect(onTime.body).toMatchObject({ timezone: 'Asia/Kolkata', midnight: midnight.toISOString() });
    expect(onTime.body.deleted).toBeGreaterThanOrEqual(1);
    expect((await kolkata.associate.get(kolkata.cartPath)).status).toBe(404);
    expect((await chatham.associate.get(chatham.cartPath)).status).toBe(200);

    const time = graceOver.toISOString().replace('.000Z', 'Z');
    expect((await invocations()).filter((i) => i.subject === `cart-midnight-Asia-Kolkata @ ${time}`)).toMatchObject([
      { functionId: 'CartSweeper', trigger: 'schedule', outcome: 'ok' },
    ]);
  });
});
