/**
 * Shared arrangement for the carts integration tests: a fresh table, a local outbox file, stores,
 * opted-in (or not) conversations seeded through the stores and conversations repositories, and
 * invokers for the carts handlers. Import it first (it sets TABLE_NAME before any handler loads).
 */
import { settledOutbox } from '../support/sender-queue';
export { customerWrites } from '../support/inbound';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import type { Caller } from '../support/http-events';

export const tableName = await useFreshTable('carts');
process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'carts-outbox-')), 'outbox.jsonl');

const stores = await import('../../functions/stores/repository');
const conversations = await import('../../functions/conversations/repository');
export const { documentClient } = await import('../../functions/shared/clients');
export const cartsApi = invoker((await import('../../functions/carts/api.handler')).handler);
export const cartPage = invoker((await import('../../functions/carts/page.handler')).handler);
export const paymentWebhook = invoker((await import('../../functions/carts/payment-webhook.handler')).handler);
export const { signPaymentBody } = await import('../../functions/carts/rules');

export const NYC = {
  storeId: 'nyc-5th',
  name: 'Fifth Avenue',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
  // Shares must not depend on the hour the suite runs at: QUIET below is the store in quiet hours.
  quietHours: null,
};
export const TOKYO = {
  storeId: 'tokyo-ginza',
  name: 'Ginza',
  timezone: 'Asia/Tokyo',
  country: 'JP',
  phoneNumber: '+81355550100',
  currency: 'JPY',
  quietHours: null,
};

const localHHmm = (at: Date, timezone: string) => DateTime.fromJSDate(at, { zone: timezone }).toFormat('HH:mm');
/** A store whose quiet hours began an hour before the suite started and end two hours after it. */
export const QUIET = {
  storeId: 'auckland-quiet',
  name: 'Ponsonby',
  timezone: 'Pacific/Auckland',
  country: 'NZ',
  phoneNumber: '+6495550100',
  currency: 'NZD',
  quietHours: {
    start: localHHmm(new Date(Date.now() - 3600_000), 'Pacific/Auckland'),
    end: localHHmm(new Date(Date.now() + 2 * 3600_000), 'Pacific/Auckland'),
  },
};

export async function seedStores(): Promise<void> {
  for (const { storeId, ...input } of [NYC, TOKYO, QUIET]) await stores.putStore(storeId, input, new Date());
}

export const associate = (storeId = NYC.storeId, userId = 'assoc-1'): Caller => ({
  userId,
  role: 'associate',
  storeId,
});

let phoneCounter = 100;
/** A new customer with a phone and the store's conversation with them, opted in unless told otherwise. */
export async function seedConversation(storeId = NYC.storeId, optedIn = true) {
  const phone = `+1646555${String(phoneCounter++).padStart(4, '0')}`;
  const created = await stores.createCustomer(
    { email: `c-${randomUUID()}@example.com`, phone, firstName: 'Ada', lastName: 'Lovelace' },
    new Date(),
  );
  if (created.status !== 'created') throw new Error('could not seed the customer');
  const { conversation } = await conversations.openConversation({
    storeId,
    customer: created.customer,
    now: new Date(),
  });
  if (optedIn)
    await conversations.changeOptIn(
      conversation,
      { type: 'keyword', kind: 'opt-in' },
      { source: 'KEYWORD', at: new Date() },
    );
  return { conversationId: conversation.conversationId, phone };
}

export const messagesOf = async (conversationId: string) =>
  (await conversations.listMessages(conversationId, 200)).items;

export interface OutboxEntry {
  to: string;
  body: string;
}
export async function outboxTo(phone: string): Promise<OutboxEntry[]> {
  return (await settledOutbox()).filter((entry) => entry.to === phone) as OutboxEntry[];
}

/** Every item of the table whose key starts with this prefix (test inspection only). */
export async function itemsWithPrefix(prefix: string): Promise<Record<string, unknown>[]> {
  const out = await documentClient.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': prefix },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

const cartRoute = (suffix = '') => `/conversations/{conversationId}/cart${suffix}`;
export function cartCalls(conversationId: string, caller: Caller = associate()) {
  const at = (method: string, suffix: string, extra: { sku?: string; body?: unknown; ifMatch?: string } = {}) =>
    cartsApi({
      routeKey: `${method} ${cartRoute(suffix)}`,
      pathParameters: { conversationId, ...(extra.sku ? { sku: extra.sku } : {}) },
      body: extra.body,
      headers: extra.ifMatch ? { 'if-match': extra.ifMatch } : {},
      caller,
    });
  return {
    get: () => at('GET', ''),
    putItem: (sku: string, body: unknown, ifMatch?: string) => at('PUT', '/items/{sku}', { sku, body, ifMatch }),
    deleteItem: (sku: string, ifMatch?: string) => at('DELETE', '/items/{sku}', { sku, ifMatch }),
    setDelivery: (body: unknown, ifMatch?: string) => at('PUT', '/delivery', { body, ifMatch }),
    share: (ifMatch?: string) => at('POST', '/share', { ifMatch }),
    delete: (ifMatch?: string) => at('DELETE', '', { ifMatch }),
  };
}

export const tokenOf = (url: string): string => url.split('/c/')[1]!;
export const openPage = (token: string) => cartPage({ routeKey: 'GET /c/{token}', pathParameters: { token } });

export function pay(
  body: { token: string; amount: number; currency: string; paymentId: string; paidAt?: string },
  secret = 'local-payment-secret',
) {
  const rawBody = JSON.stringify(body);
  return paymentWebhook({
    routeKey: 'POST /webhooks/payments',
    rawBody,
    headers: { 'x-signature': signPaymentBody(rawBody, secret) },
  });
}

export const shirt = { name: 'Oxford shirt', unitPrice: 4_500, quantity: 2, fulfillment: 'IN_STORE' } as const;
export const boots = { name: 'Chelsea boots', unitPrice: 19_900, quantity: 1, fulfillment: 'SHIP' } as const;
export const delivery = { address: '350 Fifth Ave\nNew York, NY 10118', shippingOption: 'Standard (3-5 days)' };

/** An opted-in conversation with a shared cart of 2 shirts and boots to ship: 28,900 USD minor units. */
export async function sharedCart() {
  const { conversationId, phone } = await seedConversation();
  const cart = cartCalls(conversationId);
  await cart.putItem('SHIRT', shirt);
  await cart.putItem('BOOTS', boots);
  await cart.setDelivery(delivery);
  const token = tokenOf((await cart.share()).body.url);
  return { conversationId, phone, cart, token };
}

export const paymentId = () => `pay_${Math.random().toString(36).slice(2)}`;
