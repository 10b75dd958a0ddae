/**
 * Every bad input answers a clear 4xx problem+json naming what is wrong, never a 5xx or a hang
 * (docs/architecture.md, "HTTP API"): bodies over 1 MB, JSON nested 10,000 deep, a JSON body
 * sent as something else, NUL and unpaired surrogates in every free-text field, an SMS over
 * 1,600 characters, bad phone numbers and zones, absurd limits, prices and quantities, SKUs and
 * media keys that would be paths, and a 10 KB cursor.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/http-events';
import { invoker, type Answer } from '../support/invoke';
import { useFreshTable } from '../support/table';

await useFreshTable('platform-inputs');
const stores = await import('../../functions/stores/repository');
const conversations = await import('../../functions/conversations/repository');
const { MAX_BODY_BYTES } = await import('../../functions/shared/http');
const storesApi = invoker((await import('../../functions/stores/api.handler')).handler);
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);
const conversationsApi = invoker((await import('../../functions/conversations/api.handler')).handler);
const campaignsApi = invoker((await import('../../functions/campaigns/api.handler')).handler);
const cartsApi = invoker((await import('../../functions/carts/api.handler')).handler);

const STORE = 'inputs-store';
const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const associate: Caller = { userId: 'assoc-1', role: 'associate', storeId: STORE };
const store = {
  name: 'Inputs',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550199',
  currency: 'USD',
};
let conversationId: string;

beforeAll(async () => {
  await stores.putStore(STORE, store, new Date());
  const created = await stores.createCustomer(
    { email: `inputs-${randomUUID()}@example.com`, phone: '+16465550199', firstName: 'Ada' },
    new Date(),
  );
  if (created.status !== 'created') throw new Error('could not seed the customer');
  const { conversation } = await conversations.openConversation({
    storeId: STORE,
    customer: created.customer,
    now: new Date(),
  });
  conversationId = conversation.conversationId;
  // Opted in, so a send reaches the checks of its content (a media key) instead of the opt-in rule.
  await conversations.changeOptIn(
    conversation,
    { type: 'keyword', kind: 'opt-in' },
    { source: 'KEYWORD', at: new Date() },
  );
});

type Call = () => Promise<Answer>;
const item = { name: 'Shirt', unitPrice: 4_500, quantity: 1, fulfillment: 'IN_STORE' };
const routes = {
  putStore: (body: unknown, rawBody?: string, headers?: Record<string, string>) =>
    storesApi({
      routeKey: 'PUT /stores/{storeId}',
      pathParameters: { storeId: STORE },
      body,
      rawBody,
      headers,
      caller: admin,
    }),
  createCustomer: (body: unknown, rawBody?: string, headers?: Record<string, string>) =>
    customersApi({ routeKey: 'POST /customers', body, rawBody, headers, caller: admin }),
  batch: (rawBody: string) => customersApi({ routeKey: 'POST /customers/batch', rawBody, caller: admin }),
  send: (body: unknown, rawBody?: string) =>
    conversationsApi({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId },
      body,
      rawBody,
      caller: associate,
    }),
  putItem: (body: unknown, sku = 'SKU-1') =>
    cartsApi({
      routeKey: 'PUT /conversations/{conversationId}/cart/items/{sku}',
      pathParameters: { conversationId, sku },
      body,
      caller: associate,
    }),
  delivery: (body: unknown) =>
    cartsApi({
      routeKey: 'PUT /conversations/{conversationId}/cart/delivery',
      pathParameters: { conversationId },
      body,
      caller: associate,
    }),
  campaign: (body: unknown) => campaignsApi({ routeKey: 'POST /campaigns', body, caller: admin }),
};

const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const overLimit = (bytes: number) =>
  JSON.stringify({ customers: [{ email: 'a@example.com', note: 'x'.repeat(bytes) }] });

/** [what, the call, the status, where, the field named] */
const CASES: Array<[string, Call, number, string, string]> = [
  ['a body of 1 MB and one byte', () => routes.batch(overLimit(MAX_BODY_BYTES)), 413, 'body', 'body'],
  ['a body of 11 MB', () => routes.batch(overLimit(11 * 1024 * 1024)), 413, 'body', 'body'],
  [
    'JSON nested 10,000 deep (arrays)',
    () => routes.send(undefined, `{"text":${deepArray(10_000)}}`),
    400,
    'body',
    'text',
  ],
  ['JSON nested 10,000 deep (objects)', () => routes.putStore(undefined, deepObject(10_000)), 400, 'body', 'name'],
  [
    'a JSON body sent as text/plain',
    () => routes.createCustomer(undefined, '{"email":"a@example.com"}', { 'content-type': 'text/plain' }),
    415,
    'header',
    'content-type',
  ],
  [
    'a JSON body sent with no content type',
    () => routes.createCustomer(undefined, '{"email":"a@example.com"}', { 'content-type': '' }),
    415,
    'header',
    'content-type',
  ],
  [
    'a JSON body sent as form data',
    () => routes.putStore(undefined, JSON.stringify(store), { 'content-type': 'application/x-www-form-urlencoded' }),
    415,
    'header',
    'content-type',
  ],
  ['an SMS of 1,601 characters', () => routes.send({ text: 'a'.repeat(1601) }), 400, 'body', 'text'],
  [
    'a store phone number without +',
    () => routes.putStore({ ...store, phoneNumber: '2125550199' }),
    400,
    'body',
    'phoneNumber',
  ],
  [
    'a customer phone with letters',
    () => routes.createCustomer({ email: 'e@example.com', phone: '+1212CALLNOW' }),
    400,
    'body',
    'phone',
  ],
  ['an unknown time zone', () => routes.putStore({ ...store, timezone: 'Mars/Olympus_Mons' }), 400, 'body', 'timezone'],
  ['a UTC offset as a time zone', () => routes.putStore({ ...store, timezone: '+05:00 ' }), 400, 'body', 'timezone'],
  [
    'limit=1e9 on a list',
    () => campaignsApi({ routeKey: 'GET /campaigns', query: { limit: '1e9' }, caller: admin }),
    400,
    'query',
    'limit',
  ],
  [
    'limit=1e9 on the inbox',
    () => conversationsApi({ routeKey: 'GET /inbox', query: { limit: '1e9' }, caller: associate }),
    400,
    'query',
    'limit',
  ],
  [
    'a 10 KB cursor',
    () => campaignsApi({ routeKey: 'GET /campaigns', query: { cursor: 'A'.repeat(10_240) }, caller: admin }),
    400,
    'query',
    'cursor',
  ],
  ['a negative price', () => routes.putItem({ ...item, unitPrice: -1 }), 400, 'body', 'unitPrice'],
  ['quantity 0', () => routes.putItem({ ...item, quantity: 0 }), 400, 'body', 'quantity'],
  ['quantity 10^9', () => routes.putItem({ ...item, quantity: 1e9 }), 400, 'body', 'quantity'],
  ['a SKU with /', () => routes.putItem(item, 'a/b'), 400, 'path', 'sku'],
  ['a SKU with #', () => routes.putItem(item, 'a#b'), 400, 'path', 'sku'],
  [
    'a media key with ..',
    () => routes.send({ mediaKey: `outbound/${STORE}/../other-store/x.jpg` }),
    400,
    'body',
    'mediaKey',
  ],
];

/** Every free-text field, each with the value under test in it and nothing else wrong. */
const TEXT_FIELDS: Array<[string, (text: string) => Call]> = [
  ['the message text', (text) => () => routes.send({ text })],
  ['a template variable', (text) => () => routes.send({ templateId: 'opt-in', variables: { name: text } })],
  ['the store name', (name) => () => routes.putStore({ ...store, name })],
  ['the store help text', (helpText) => () => routes.putStore({ ...store, helpText })],
  ['a customer first name', (firstName) => () => routes.createCustomer({ email: 'f@example.com', firstName })],
  ['a customer last name', (lastName) => () => routes.createCustomer({ email: 'l@example.com', lastName })],
  ['a cart item name', (name) => () => routes.putItem({ ...item, name })],
  ['a delivery address', (address) => () => routes.delivery({ address, shippingOption: 'Standard' })],
  [
    'an address line',
    (line1) => () => routes.delivery({ address: { line1, city: 'New York' }, shippingOption: 'Standard' }),
  ],
  ['a shipping option', (shippingOption) => () => routes.delivery({ address: '1 Main St', shippingOption })],
  ['a campaign name', (name) => () => routes.campaign({ name })],
];
const FIELD_NAMES: Record<string, string> = {
  'the message text': 'text',
  'a template variable': 'variables.name',
  'the store name': 'name',
  'the store help text': 'helpText',
  'a customer first name': 'firstName',
  'a customer last name': 'lastName',
  'a cart item name': 'name',
  'a delivery address': 'address',
  'an address line': 'address',
  'a shipping option': 'shippingOption',
  'a campaign name': 'name',
};
const BAD_TEXT = [
  ['a NUL', 'Ada\u0000'],
  ['an unpaired high surrogate', 'Ada \ud83d'],
  ['an unpaired low surrogate', '\ude00 Ada'],
  ['an escape character', 'Ada\u001b[2J'],
] as const;

function expectProblem(answer: Answer, status: number, where: string, field: string) {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body.errors).toContainEqual(expect.objectContaining({ in: where, field }));
}

describe('bad input is a 4xx problem naming the field', () => {
  it.each(CASES.map(([what, call, status, where, field]) => ({ what, call, status, where, field })))(
    '$what → $status naming $field',
    async ({ call, status, where, field }) => {
      expectProblem(await call(), status, where, field);
    },
  );

  it.each(TEXT_FIELDS.flatMap(([what, call]) => BAD_TEXT.map(([bad, value]) => ({ what, bad, call: call(value) }))))(
    '$what with $bad → 400 naming it',
    async ({ what, call }) => {
      const answer = await call();
      expect(answer.status, JSON.stringify(answer.body).slice(0, 500)).toBe(400);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      const fields = (answer.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(
        fields.some((f) => f.startsWith(FIELD_NAMES[what]!)),
        fields.join(', '),
      ).toBe(true);
    },
  );

  it('still takes what these rules allow: emoji, tabs and line breaks, a charset', async () => {
    const customer = await routes.createCustomer(
      { email: `ok-${randomUUID()}@example.com`, firstName: 'Zoë 😀', lastName: "O'Brien" },
      undefined,
      { 'content-type': 'application/json; charset=UTF-8' },
    );
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    expect((await routes.putItem(item)).status).toBe(200);
    const address = await routes.delivery({ address: '1 Main St\r\nApt 2\tRear', shippingOption: 'Standard' });
    expect(address.status, JSON.stringify(address.body)).toBe(200);
    const campaign = await routes.campaign({ name: 'a'.repeat(200) });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
  });
});
