/**
 * Who sees which customer (docs/rules.md, "Customers"): the role × store matrix of search and
 * read, the per-user search limit, and the search log that never holds the query.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { countRequests } from '../support/requests';
import { captureLogs } from '../support/logs';
import type { Caller } from '../support/http-events';

await useFreshTable('exposure');
const { handler } = await import('../../functions/customers/api.handler');
const conversations = await import('../../functions/conversations/repository');
const campaigns = await import('../../functions/campaigns/repository');
const { searchCustomersAs } = await import('../../functions/customers/customer-access');
const call = invoker(handler);

const admin: Caller = { userId: 'exp-admin', role: 'clienteling-admin' };
const managerA: Caller = { userId: 'exp-manager-a', role: 'manager', storeId: 'store-a' };
const associateA: Caller = { userId: 'exp-associate-a', role: 'associate', storeId: 'store-a' };
const associateB: Caller = { userId: 'exp-associate-b', role: 'associate', storeId: 'store-b' };

/** Three customers one prefix finds ("zephyr"): linked to store A by a conversation, by an outreach entry, and not at all. */
const people = {
  talked: { email: 'zephyr.talked@example.com', phone: '+14155550101', firstName: 'Tal', lastName: 'Zephyrine' },
  listed: { email: 'zephyr.listed@example.com', phone: '+14155550102', firstName: 'Lis', lastName: 'Zephyrine' },
  stranger: { email: 'zephyr.stranger@example.com', phone: '+14155550103', firstName: 'Str', lastName: 'Zephyrine' },
};
type Person = keyof typeof people;
const ids = {} as Record<Person, string>;
const nameOf = (customerId: string) => (Object.keys(ids) as Person[]).find((p) => ids[p] === customerId);

const search = async (caller: Caller, query: string, limit?: number) => {
  const res = await call({
    routeKey: 'GET /customers',
    query: { query, ...(limit ? { limit: String(limit) } : {}) },
    caller,
  });
  expect(res.status, `${caller.userId} searching ${query}`).toBe(200);
  return (res.body.items as { customerId: string }[]).map((c) => nameOf(c.customerId)).sort();
};
const read = async (caller: Caller, person: Person) =>
  (await call({ routeKey: 'GET /customers/{customerId}', pathParameters: { customerId: ids[person] }, caller })).status;

beforeAll(async () => {
  for (const person of Object.keys(people) as Person[]) {
    const res = await call({ routeKey: 'POST /customers', body: people[person], caller: admin });
    expect(res.status).toBe(201);
    ids[person] = res.body.customerId;
  }
  const talked = { customerId: ids.talked, ...people.talked, createdAt: new Date().toISOString() };
  await conversations.openConversation({ storeId: 'store-a', customer: talked, now: new Date() });
  await campaigns.addToOpenOutreach([{ campaignId: 'exp-campaign', storeId: 'store-a', customerId: ids.listed }]);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('customer search and read, by role and store', () => {
  const everyone: Person[] = ['listed', 'stranger', 'talked'];
  const storeA: Person[] = ['listed', 'talked'];

  it.each([
    ['admin', admin, everyone],
    ["store A's manager", managerA, storeA],
    ["store A's associate", associateA, storeA],
    ["store B's associate", associateB, []],
  ] as const)('a prefix search by %s finds only the customers it may see', async (_, caller, expected) => {
    expect(await search(caller, 'zephyr')).toEqual(expected);
    expect(await search(caller, 'zephyrine')).toEqual(expected);
    expect(await search(caller, '+1415555010')).toEqual(expected);
  });

  it.each([
    ['admin', admin],
    ["store A's associate", associateA],
    ["store B's associate", associateB],
  ] as const)('an exact email or full phone finds a walk-in for %s', async (_, caller) => {
    expect(await search(caller, 'Zephyr.Stranger@example.com')).toEqual(['stranger']);
    expect(await search(caller, '+1 (415) 555-0103')).toEqual(['stranger']);
    // The walk-in is found beside the store's own, never instead of them.
    expect(await search(caller, '+14155550101')).toEqual(['talked']);
  });

  it('answers the walk-in alone when the page has room for one', async () => {
    expect(await search(associateB, 'zephyr.stranger@example.com', 1)).toEqual(['stranger']);
  });

  it.each([
    ['admin', admin, { talked: 200, listed: 200, stranger: 200 }],
    ["store A's manager", managerA, { talked: 200, listed: 200, stranger: 404 }],
    ["store A's associate", associateA, { talked: 200, listed: 200, stranger: 404 }],
    ["store B's associate", associateB, { talked: 404, listed: 404, stranger: 404 }],
  ] as const)('reading a customer by id as %s: 200 where linked, else 404', async (_, caller, expected) => {
    for (const person of Object.keys(expected) as Person[])
      expect(await read(caller, person), person).toBe(expected[person]);
  });

  it("answers an unlinked customer's 404 exactly like an unknown id's", async () => {
    const unknown = await call({
      routeKey: 'GET /customers/{customerId}',
      pathParameters: { customerId: 'no-such-customer' },
      caller: associateB,
    });
    const unlinked = await call({
      routeKey: 'GET /customers/{customerId}',
      pathParameters: { customerId: ids.stranger },
      caller: associateB,
    });
    expect(unlinked.status).toBe(404);
    expect(unlinked.body.type).toBe(unknown.body.type);
    expect(unlinked.body.title).toBe(unknown.body.title);
  });

  it('hides the consent ledger of an unlinked customer from a store user with the same 404', async () => {
    const consent = (caller: Caller, person: Person) =>
      call({ routeKey: 'GET /customers/{customerId}/consent', pathParameters: { customerId: ids[person] }, caller });
    expect((await consent(associateA, 'talked')).status).toBe(200);
    expect((await consent(associateA, 'stranger')).status).toBe(404);
    expect((await consent(admin, 'stranger')).status).toBe(200);
  });
});

describe('the search limit and the search log', () => {
  it('refuses the 61st search of a minute with a 429 problem and Retry-After, and lets the next minute in', async () => {
    const user = { userId: 'exp-limit-1', role: 'associate', storeId: 'store-a' } as const;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-05-04T10:15:20.500Z'));
    for (let i = 0; i < 60; i++) expect(await search(user, 'zephyr')).toEqual(['listed', 'talked']);
    const refused = await call({ routeKey: 'GET /customers', query: { query: 'zephyr' }, caller: user });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['retry-after']).toBe('40');
    expect(refused.body).toMatchObject({ status: 429, type: expect.stringMatching(/too-many-requests$/) });
    // Another user is not held back by this one.
    expect(await search({ ...user, userId: 'exp-limit-2' }, 'zephyr')).toEqual(['listed', 'talked']);
    vi.setSystemTime(new Date('2026-05-04T10:16:00.000Z'));
    expect(await search(user, 'zephyr')).toEqual(['listed', 'talked']);
  });

  it('counts with an injected clock: 60 in one minute, then none until it ends', async () => {
    const principal = {
      userId: 'exp-limit-3',
      storeId: undefined,
      roles: ['clienteling-admin'],
      isAdmin: true,
    } as const;
    const at = (iso: string) => () => new Date(iso);
    for (let i = 0; i < 60; i++)
      await searchCustomersAs(principal, { query: 'zephyr', limit: 50 }, at('2026-05-04T10:15:59.000Z'));
    await expect(
      searchCustomersAs(principal, { query: 'zephyr', limit: 50 }, at('2026-05-04T10:15:59.900Z')),
    ).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    const next = await searchCustomersAs(principal, { query: 'zephyr', limit: 50 }, at('2026-05-04T10:16:00.000Z'));
    expect(next.items).toHaveLength(3);
  });

  it('logs each search with the user and a hash of the query, never the query', async () => {
    const lines = captureLogs();
    const query = 'Zephyr.Talked@Example.com';
    expect(await search(associateA, query)).toEqual(['talked']);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(query.toLowerCase()).digest('hex');
    const logged = lines.join('\n');
    expect(logged.toLowerCase()).not.toContain('zephyr');
    const entry = lines.find((l) => l.startsWith('["customer search"'));
    expect(JSON.parse(entry!)[1]).toMatchObject({ userId: associateA.userId, queryHash: hash, scope: 'store' });
  });
});

describe('what a search costs (docs/architecture.md, "Budgets")', () => {
  it('a store user: the counter, the walk-in look-up, the candidates, one batch read of their links', async () => {
    await search(associateA, 'zephyr'); // the day's staff record is written on a user's first request
    const prefix = await countRequests(() => search(associateA, 'zephyr'));
    expect(prefix.calls).toEqual(['UpdateItem SEARCHRATE', 'Query CUSTSEARCH', 'BatchGetItem']);
    const exact = await countRequests(() => search(associateA, '+14155550101'));
    expect(exact.calls).toEqual(['UpdateItem SEARCHRATE', 'GetItem CUSTPHONE', 'Query CUSTSEARCH', 'BatchGetItem']);
  });

  it('an admin: the counter and the candidates; a read by id of a store user: the customer and its links', async () => {
    const searched = await countRequests(() => search(admin, 'zephyr'));
    expect(searched.calls).toEqual(['UpdateItem SEARCHRATE', 'Query CUSTSEARCH']);
    await read(managerA, 'talked');
    const byId = await countRequests(() => read(managerA, 'talked'));
    expect(byId.total).toBe(2);
  });
});
