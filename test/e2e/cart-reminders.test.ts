/**
 * Cart reminders over the local stack (docs/rules.md, "Remote carts"): an associate shares a cart, the
 * `task-reminders` schedule is fired with the reminder's time, and the reminder appears in the
 * conversation as the associate's outbound message and reaches the local carrier, once; a paid
 * cart gets none; a share with `remind: false` plans none. The client checks every answer
 * against docs/openapi.json.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, drain, outbox, runSchedule, tokenFor } from '../support/e2e';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** A fixed-offset zone where it is morning now, so the reminder (3 hours before midnight) is ahead. */
function morningZone(): string {
  for (let offset = -12; offset <= 14; offset++) {
    const zone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    if (DateTime.now().setZone(zone).hour >= 9 && DateTime.now().setZone(zone).hour < 12) return zone;
  }
  throw new Error('no zone is in its morning');
}

const storeId = `remind-${randomUUID().slice(0, 8)}`;
const storePhone = `+1332${digits(7)}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'remind-admin' }));
const associate = api(tokenFor({ role: 'associate', storeId, userId: 'remind-ana' }));
const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

/** A customer who texted YES, their conversation with a one-line cart, and the share's answer. */
async function sharedCart(shareBody?: Record<string, unknown>) {
  const phone = `+1646${digits(7)}`;
  const customer = await admin.post('/customers', { email: `remind-${randomUUID()}@example.com`, phone });
  expect(customer.status).toBe(201);
  const conversation = await associate.post('/conversations', { customerId: customer.body.customerId });
  const conversationId = conversation.body.conversationId as string;
  expect((await api().post('/_local/sms', { from: phone, to: storePhone, body: 'YES' })).status).toBe(200);
  await drain();
  const cartPath = `/conversations/${conversationId}/cart`;
  const line = { name: 'Cashmere scarf', unitPrice: 12_000, quantity: 1, fulfillment: 'IN_STORE' };
  expect((await associate.put(`${cartPath}/items/SCARF`, line)).status).toBe(200);
  const share = await associate.post(`${cartPath}/share`, shareBody);
  expect(share.status).toBe(200);
  return { phone, conversationId, share: share.body as { url: string; expiresAt: string; reminderAt?: string } };
}

const remindersTo = async (phone: string) =>
  (await outbox()).filter((m) => m.to === phone && m.body.includes('a reminder'));
const chatOf = async (conversationId: string) =>
  (await associate.get(`/conversations/${conversationId}/messages`)).body.items as Array<{
    direction: string;
    text?: string;
    sentBy?: string;
    status: string;
  }>;

beforeAll(async () => {
  const store = { name: 'Reminders', phoneNumber: storePhone, timezone: morningZone(), country: 'US', currency: 'USD' };
  const created = await admin.put(`/stores/${storeId}`, { ...store, quietHours: null, cartReminderHours: 2 });
  expect(created.status).toBe(201);
  expect(created.body.cartReminderHours).toBe(2);
});

describe('cart reminders, end to end', () => {
  it('fires with the schedule at its time: the sharer’s outbound message, through the local carrier, once', async () => {
    const { phone, conversationId, share } = await sharedCart();
    expect(share.reminderAt).toBe(at(share.expiresAt, -2 * 3600).toISOString());
    const reminderAt = share.reminderAt!;

    expect((await runSchedule('task-reminders', at(reminderAt, -60))).status).toBe(200);
    expect(await remindersTo(phone)).toEqual([]);

    const run = await runSchedule('task-reminders', at(reminderAt, 30));
    expect(run.status).toBe(200);
    expect(run.body.cartReminders.sent).toBeGreaterThanOrEqual(1);
    const delivered = await remindersTo(phone);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.from).toBe(storePhone);
    expect(delivered[0]!.body).toContain(share.url);
    const reminder = (await chatOf(conversationId)).filter((m) => m.text?.includes('a reminder'));
    expect(reminder).toEqual([
      expect.objectContaining({ direction: 'outbound', sentBy: 'remind-ana', status: expect.any(String) }),
    ]);
    expect(reminder[0]!.status).not.toBe('failed');

    await runSchedule('task-reminders', at(reminderAt, 90));
    expect(await remindersTo(phone)).toHaveLength(1);
  });

  it('is cancelled by the payment, and not planned with remind: false', async () => {
    const { phone, share } = await sharedCart();
    expect(share.reminderAt).toBeDefined();
    const token = share.url.split('/c/')[1]!;
    const paid = await api().post(`/_local/pay/${token}`, undefined, {
      rawBody: 'amount=12000&currency=USD',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(paid.status).toBe(200);
    await drain();
    expect((await runSchedule('task-reminders', at(share.reminderAt!, 30))).status).toBe(200);
    expect(await remindersTo(phone)).toEqual([]);

    const declined = await sharedCart({ remind: false });
    expect(declined.share).not.toHaveProperty('reminderAt');
    await runSchedule('task-reminders', at(declined.share.expiresAt, -2 * 3600 + 30));
    expect(await remindersTo(declined.phone)).toEqual([]);
  });
});
