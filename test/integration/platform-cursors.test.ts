/**
 * Cursors are opaque, signed and bound to their list (docs/architecture.md, "HTTP API"): on every
 * list route, a cursor that was changed in any way, cut short, padded to 10 KB, taken from
 * another list or from the same list of another store (conversation, campaign, query) is a 400
 * problem+json naming `cursor`, never a 500 or another page; the cursor a page gave out still
 * leads to the next page.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/http-events';
import { invoker, type Answer } from '../support/invoke';
import { customerWrites } from '../support/inbound';
import { useFreshTable } from '../support/table';

await useFreshTable('platform-cursors');
const stores = await import('../../functions/stores/repository');
const conversations = await import('../../functions/conversations/repository');
const campaigns = await import('../../functions/campaigns/repository');
const { recordStaff } = await import('../../functions/shared/staff');
const { principalFromClaims } = await import('../../functions/shared/principal');
const storesApi = invoker((await import('../../functions/stores/api.handler')).handler);
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);
const conversationsApi = invoker((await import('../../functions/conversations/api.handler')).handler);
const campaignsApi = invoker((await import('../../functions/campaigns/api.handler')).handler);

const A = 'cursor-store-a';
const B = 'cursor-store-b';
const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const associate = (storeId: string): Caller => ({ userId: `assoc-${storeId}`, role: 'associate', storeId });

interface Seeded {
  customerId: string;
  conversations: Record<string, string[]>;
  campaignIds: [string, string];
}
let seeded: Seeded;

async function seedStore(storeId: string, phone: string) {
  await stores.putStore(
    storeId,
    { name: storeId, timezone: 'America/New_York', country: 'US', phoneNumber: phone, currency: 'USD' },
    new Date(),
  );
  for (const userId of [`assoc-${storeId}`, `other-${storeId}`]) {
    const claims = { sub: userId, 'cognito:groups': '[associate]', 'custom:store_id': storeId };
    await recordStaff(principalFromClaims(claims), new Date());
  }
}

async function seedCustomer(firstName: string, phone: string) {
  const created = await stores.createCustomer(
    { email: `${firstName}-${randomUUID()}@example.com`, phone, firstName, lastName: 'Lovelace' },
    new Date(),
  );
  if (created.status !== 'created') throw new Error('could not seed the customer');
  return created.customer;
}

/** Two conversations per store, each assigned to the store's associate, with two messages each and a consent change. */
async function seedConversations(storeId: string, customers: Awaited<ReturnType<typeof seedCustomer>>[]) {
  const ids: string[] = [];
  for (const customer of customers) {
    const { conversation } = await conversations.openConversation({ storeId, customer, now: new Date() });
    await conversations.setAssignee(conversation, `assoc-${storeId}`);
    for (const text of ['first', 'second']) await customerWrites(conversation.conversationId, text);
    await conversations.changeOptIn(
      conversation,
      { type: 'keyword', kind: 'opt-in' },
      { source: 'KEYWORD', at: new Date() },
    );
    ids.push(conversation.conversationId);
  }
  return ids;
}

async function seedCampaign(name: string): Promise<string> {
  const campaignId = randomUUID();
  await campaigns.createCampaign({ campaignId, name, now: new Date() });
  const entries = [A, B].flatMap((storeId) =>
    [1, 2].map((n) => ({ campaignId, storeId, customerId: `${storeId}-${n}`, email: `${storeId}-${n}@example.com` })),
  );
  await campaigns.putOutreachEntries(entries);
  await campaigns.putRejections(
    campaignId,
    [2, 3].map((line) => ({ line, email: `bad-${line}`, storeId: A, reason: 'INVALID_EMAIL' as const })),
  );
  await campaigns.finishCampaign(campaignId, { status: 'PARTIALLY_SUCCESSFUL', storeIds: [A, B], now: new Date() });
  const campaign = (await campaigns.getCampaign(campaignId))!;
  await campaigns.putLists(
    campaign,
    new Map([
      [A, 2],
      [B, 2],
    ]),
  );
  await campaigns.setEnabled(campaignId, true);
  return campaignId;
}

beforeAll(async () => {
  await seedStore(A, '+12125550101');
  await seedStore(B, '+12125550102');
  const ada = await seedCustomer('Ada', '+16465550101');
  const adele = await seedCustomer('Adele', '+16465550102');
  seeded = {
    customerId: ada.customerId,
    conversations: { [A]: await seedConversations(A, [ada, adele]), [B]: await seedConversations(B, [ada, adele]) },
    campaignIds: [await seedCampaign('First'), await seedCampaign('Second')],
  };
  // Ada's ledger at store A holds two entries (opt-in, then opt-out), so it has a second page.
  const { conversation } = await conversations.openConversation({ storeId: A, customer: ada, now: new Date() });
  await conversations.changeOptIn(
    conversation,
    { type: 'keyword', kind: 'opt-out' },
    { source: 'KEYWORD', at: new Date() },
  );
});

/**
 * A list route, read for one scope: `own` is store A's (or the first conversation's, campaign's,
 * query's) list, `other` the same list of another store or object, where the route has one.
 */
interface ListRoute {
  name: string;
  read(scope: 'own' | 'other', cursor?: string): Promise<Answer>;
  hasOther: boolean;
}

const page = (cursor: string | undefined) => ({ limit: '1', ...(cursor === undefined ? {} : { cursor }) });
const LISTS: ListRoute[] = [
  {
    name: 'GET /stores',
    hasOther: false,
    read: (_, cursor) => storesApi({ routeKey: 'GET /stores', query: page(cursor), caller: admin }),
  },
  {
    name: 'GET /stores/{storeId}/staff',
    hasOther: true,
    read: (scope, cursor) => {
      const storeId = scope === 'own' ? A : B;
      return storesApi({
        routeKey: 'GET /stores/{storeId}/staff',
        pathParameters: { storeId },
        query: page(cursor),
        caller: associate(storeId),
      });
    },
  },
  {
    name: 'GET /customers',
    hasOther: true,
    read: (scope, cursor) =>
      customersApi({
        routeKey: 'GET /customers',
        query: { query: scope === 'own' ? 'lovelace' : 'ada', ...page(cursor) },
        caller: admin,
      }),
  },
  {
    name: 'GET /customers/{customerId}/consent',
    hasOther: true,
    read: (scope, cursor) =>
      customersApi({
        routeKey: 'GET /customers/{customerId}/consent',
        pathParameters: { customerId: seeded.customerId },
        query: page(cursor),
        caller: associate(scope === 'own' ? A : B),
      }),
  },
  ...(['store', 'mine'] as const).map(
    (scopeName): ListRoute => ({
      name: `GET /inbox?scope=${scopeName}`,
      hasOther: true,
      read: (scope, cursor) =>
        conversationsApi({
          routeKey: 'GET /inbox',
          query: { scope: scopeName, ...page(cursor) },
          caller: associate(scope === 'own' ? A : B),
        }),
    }),
  ),
  {
    name: 'GET /conversations/{conversationId}/messages',
    hasOther: true,
    read: (scope, cursor) =>
      conversationsApi({
        routeKey: 'GET /conversations/{conversationId}/messages',
        pathParameters: { conversationId: seeded.conversations[A]![scope === 'own' ? 0 : 1]! },
        query: page(cursor),
        caller: associate(A),
      }),
  },
  {
    name: 'GET /campaigns',
    hasOther: false,
    read: (_, cursor) => campaignsApi({ routeKey: 'GET /campaigns', query: page(cursor), caller: admin }),
  },
  {
    name: 'GET /campaigns/{campaignId}/rejections',
    hasOther: true,
    read: (scope, cursor) =>
      campaignsApi({
        routeKey: 'GET /campaigns/{campaignId}/rejections',
        pathParameters: { campaignId: seeded.campaignIds[scope === 'own' ? 0 : 1] },
        query: page(cursor),
        caller: admin,
      }),
  },
  {
    name: 'GET /stores/{storeId}/outreach-lists/{campaignId}',
    hasOther: true,
    read: (scope, cursor) => {
      const storeId = scope === 'own' ? A : B;
      return campaignsApi({
        routeKey: 'GET /stores/{storeId}/outreach-lists/{campaignId}',
        pathParameters: { storeId, campaignId: seeded.campaignIds[0] },
        query: page(cursor),
        caller: associate(storeId),
      });
    },
  },
];

/** The first page of `list` (own scope) and its cursor. */
async function firstPage(list: ListRoute) {
  const answer = await list.read('own');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.items).toHaveLength(1);
  expect(typeof answer.body.nextCursor).toBe('string');
  return { items: answer.body.items as unknown[], cursor: answer.body.nextCursor as string };
}

function expectCursorRefused(answer: Answer) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body.errors).toContainEqual(expect.objectContaining({ in: 'query', field: 'cursor' }));
}

/** The signature leads the cursor (43 characters); the rest is the position, base64url JSON. */
const MAC = 43;
const positionOf = (cursor: string) => JSON.parse(Buffer.from(cursor.slice(MAC), 'base64url').toString('utf8'));
const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Every string or number in the position changed: a different sort key, shard or line. */
const shifted = (position: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(position).map(([k, v]) => [k, typeof v === 'number' ? v + 1 : `${String(v)}~`]),
  ) as Record<string, unknown>;

const TAMPERS: Array<[string, (cursor: string) => string]> = [
  ['a byte of the position flipped', (c) => c.slice(0, MAC + 2) + (c[MAC + 2] === 'A' ? 'B' : 'A') + c.slice(MAC + 3)],
  ['a byte of the signature flipped', (c) => (c[0] === 'A' ? 'B' : 'A') + c.slice(1)],
  ['the position changed, re-encoded without a signature', (c) => encoded(shifted(positionOf(c)))],
  ['the position changed under the old signature', (c) => c.slice(0, MAC) + encoded(shifted(positionOf(c)))],
  ['a key added under the old signature', (c) => c.slice(0, MAC) + encoded({ ...positionOf(c), extra: 'x' })],
  ['a key added, re-encoded without a signature', (c) => encoded({ ...positionOf(c), extra: 'x' })],
  ['cut short', (c) => c.slice(0, -4)],
  ['the signature alone', (c) => c.slice(0, MAC)],
  ['10 KB long', (c) => c + 'A'.repeat(10_240 - c.length)],
];

describe('list cursors are signed and bound to their list', () => {
  it.each(LISTS.flatMap((list) => TAMPERS.map(([what, tamper]) => ({ ...list, what, tamper }))))(
    '$name: a cursor with $what is a 400 naming cursor',
    async (list) => {
      const { cursor } = await firstPage(list);
      expectCursorRefused(await list.read('own', list.tamper(cursor)));
    },
  );

  it.each(LISTS.map((list, i) => ({ ...list, from: LISTS[(i + 1) % LISTS.length]! })))(
    '$name: a cursor of another list ($from.name) is a 400 naming cursor',
    async (list) => {
      const { cursor } = await firstPage(list.from);
      expectCursorRefused(await list.read('own', cursor));
    },
  );

  it.each(LISTS.filter((list) => list.hasOther))(
    '$name: a cursor of the same list of another store or object is a 400 naming cursor',
    async (list) => {
      const { cursor } = await firstPage(list);
      expectCursorRefused(await list.read('other', cursor));
    },
  );

  it.each(LISTS)('$name: the cursor a page gave out leads to the next page', async (list) => {
    const first = await firstPage(list);
    let next = await list.read('own', first.cursor);
    // A filtered list (a store's view of a ledger) may give an empty page with a cursor: follow it.
    while (next.status === 200 && next.body.items.length === 0 && next.body.nextCursor)
      next = await list.read('own', next.body.nextCursor);
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.items[0]).not.toEqual(first.items[0]);
  });

  it('GET /stores for a store user, a one-item list that gives out no cursor, refuses any cursor', async () => {
    const { cursor } = await firstPage(LISTS[0]!);
    const answer = await storesApi({ routeKey: 'GET /stores', query: { cursor }, caller: associate(A) });
    expectCursorRefused(answer);
  });
});
