import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker, type Answer } from '../support/invoke';
import { useLocalScheduler } from '../support/zone-schedules';
import type { Caller } from '../support/http-events';

await useFreshTable('stores');
await useLocalScheduler();
const { handler } = await import('../../functions/stores/api.handler');
const call = invoker(handler);
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const nycAssociate: Caller = { userId: 'assoc-1', role: 'associate', storeId: 'nyc-5th' };
const nyc = {
  name: 'Fifth Avenue',
  timezone: 'America/New_York',
  country: 'US',
  phoneNumber: '+12125550100',
  currency: 'USD',
};

const putStore = (storeId: string, body: unknown, caller = admin) =>
  call({ routeKey: 'PUT /stores/{storeId}', pathParameters: { storeId }, body, caller });

describe('stores', () => {
  beforeAll(async () => {
    expect((await putStore('nyc-5th', nyc)).status).toBe(201);
  });

  it('lets an admin replace a store and answers 200 with the new fields', async () => {
    const res = await putStore('nyc-5th', { ...nyc, helpText: 'Fifth Ave store, 9-5' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ storeId: 'nyc-5th', helpText: 'Fifth Ave store, 9-5' });
  });

  it('shows a store to its own associate', async () => {
    const res = await call({
      routeKey: 'GET /stores/{storeId}',
      pathParameters: { storeId: 'nyc-5th' },
      caller: nycAssociate,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ storeId: 'nyc-5th', timezone: 'America/New_York', phoneNumber: '+12125550100' });
  });

  it("refuses another store's associate with 403", async () => {
    const res = await call({
      routeKey: 'GET /stores/{storeId}',
      pathParameters: { storeId: 'nyc-5th' },
      caller: { ...nycAssociate, storeId: 'london-soho' },
    });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it('refuses an associate writing a store with 403', async () => {
    expect((await putStore('nyc-5th', nyc, nycAssociate)).status).toBe(403);
  });

  it('answers 404 for a store nobody registered', async () => {
    const res = await call({
      routeKey: 'GET /stores/{storeId}',
      pathParameters: { storeId: 'nowhere' },
      caller: admin,
    });
    expect(res.status).toBe(404);
  });

  it('names every invalid field in a 400 problem', async () => {
    const res: Answer = await putStore('bad-store', { ...nyc, timezone: 'Mars/Base', phoneNumber: '555' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['phoneNumber', 'timezone']);
  });

  it('finds a store by its Twilio number, and moves the number with the store', async () => {
    const { findStoreIdByPhone } = await import('../../functions/stores/repository');
    await putStore('boston', { ...nyc, name: 'Boston', phoneNumber: '+16175550100' });
    expect(await findStoreIdByPhone('+16175550100')).toBe('boston');
    await putStore('boston', { ...nyc, name: 'Boston', phoneNumber: '+16175550199' });
    expect(await findStoreIdByPhone('+16175550100')).toBeUndefined();
    expect(await findStoreIdByPhone('+16175550199')).toBe('boston');
  });

  it('refuses a number that another store already uses with 409', async () => {
    const res = await putStore('copycat', { ...nyc, name: 'Copycat' });
    expect(res.status).toBe(409);
  });
});

describe('customers', () => {
  it('creates a customer with the email normalised, and 409s a second one with the same email in another case', async () => {
    const first = await customersApi({
      routeKey: 'POST /customers',
      body: { email: ' Grace@Example.com ', firstName: 'Grace', lastName: 'Hopper', phone: '+12125550111' },
      caller: admin,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ customerId: expect.any(String), email: 'grace@example.com' });
    const again = await customersApi({
      routeKey: 'POST /customers',
      body: { email: 'GRACE@example.com' },
      caller: admin,
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(first.body.customerId);
  });

  it('creates a batch, counting existing emails and listing invalid entries by index', async () => {
    const res = await customersApi({
      routeKey: 'POST /customers/batch',
      body: {
        customers: [
          { email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
          { email: 'not-an-email' },
          { email: 'grace@example.com' },
          { email: 'ALAN@example.com' },
          { email: 'edsger@example.com', phone: 'nope' },
          { email: 'barbara@example.com', firstName: 'Barbara', lastName: 'Liskov' },
        ],
      },
      caller: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 2, existing: 2 });
    expect(res.body.errors.map((e: { index: number }) => e.index)).toEqual([1, 4]);
    expect(res.body.errors[1].detail).toContain('phone');
    const byIndex = (i: number) => res.body.customers.find((c: { index: number }) => c.index === i);
    expect(byIndex(3)).toMatchObject({ status: 'existing', customerId: byIndex(0).customerId });
  });

  it('refuses a batch over 500 entries with a 400 naming customers', async () => {
    const customers = Array.from({ length: 501 }, (_, i) => ({ email: `c${i}@example.com` }));
    const res = await customersApi({ routeKey: 'POST /customers/batch', body: { customers }, caller: admin });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('customers');
  });

  it('searches by email, phone and name prefix for admins', async () => {
    const search = (query: string) => customersApi({ routeKey: 'GET /customers', query: { query }, caller: admin });
    expect((await search('grace@')).body.items.map((c: { email: string }) => c.email)).toEqual(['grace@example.com']);
    expect((await search('+1212555011')).body.items).toHaveLength(1);
    expect((await search('Turi')).body.items[0]).toMatchObject({ firstName: 'Alan', lastName: 'Turing' });
    expect((await search('barbara li')).body.items[0]).toMatchObject({ email: 'barbara@example.com' });
  });

  it('pages search results with a cursor and refuses a tampered one', async () => {
    const batch = Array.from({ length: 5 }, (_, i) => ({ email: `pager${i}@example.com` }));
    await customersApi({ routeKey: 'POST /customers/batch', body: { customers: batch }, caller: admin });
    const first = await customersApi({
      routeKey: 'GET /customers',
      query: { query: 'pager', limit: '2' },
      caller: admin,
    });
    expect(first.body.items).toHaveLength(2);
    const second = await customersApi({
      routeKey: 'GET /customers',
      query: { query: 'pager', limit: '2', cursor: first.body.nextCursor },
      caller: admin,
    });
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].email).not.toBe(first.body.items[0].email);
    const forged = Buffer.from(JSON.stringify({ pk: 'CUSTSEARCH#gr', sk: 'x' })).toString('base64url');
    expect(
      (await customersApi({ routeKey: 'GET /customers', query: { query: 'pager', cursor: forged }, caller: admin }))
        .status,
    ).toBe(400);
  });

  it('refuses a search shorter than its bucket with a 400 naming query and the minimum', async () => {
    const search = (query: string) => customersApi({ routeKey: 'GET /customers', query: { query }, caller: admin });
    for (const [query, minimum] of [
      ['a', /at least 3 characters/],
      ['gr', /at least 3 characters/],
      ['+1 41', /at least 5 characters/],
      ['141', /at least 4 digits/],
    ] as const) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ in: 'query', field: 'query', detail: expect.stringMatching(minimum) });
    }
    expect((await search('gra')).status).toBe(200);
    expect((await search('+1212')).status).toBe(200);
  });

  it('spreads search entries: a phone under its country and area code, other terms under 3 characters', async () => {
    const { searchKey } = await import('../../functions/stores/repository/keys');
    expect(searchKey('+12125550111', 'c1').pk).toBe('CUSTSEARCH#+1212');
    expect(searchKey('12125550111', 'c1').pk).toBe('CUSTSEARCH#1212');
    expect(searchKey('grace@example.com', 'c1').pk).toBe('CUSTSEARCH#gra');
    // Two New York numbers and one in San Francisco: the +1 numbers no longer share one partition.
    const phones = ['+12125550111', '+12125550112', '+14155550113'];
    expect(new Set(phones.map((p) => searchKey(p, 'x').pk))).toEqual(new Set(['CUSTSEARCH#+1212', 'CUSTSEARCH#+1415']));
    const res = await customersApi({ routeKey: 'GET /customers', query: { query: '+1 212 555 01' }, caller: admin });
    expect(res.status).toBe(200);
    expect(res.body.items.every((c: { phone?: string }) => c.phone?.startsWith('+121255501'))).toBe(true);
  });

  it('re-indexes customers written under the old two-character buckets: found again, old entries gone', async () => {
    const { documentClient } = await import('../../functions/shared/clients');
    const { PutCommand, DeleteCommand, GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { legacySearchKey, searchKey } = await import('../../functions/stores/repository/keys');
    const { legacySearchTerms, searchTerms } = await import('../../functions/stores/rules');
    const { reindexCustomerSearch } = await import('../../functions/stores/repository/search-index');
    const { TokenBucket } = await import('../../functions/shared/token-bucket');
    const TableName = process.env.TABLE_NAME!;
    const made = await customersApi({
      routeKey: 'POST /customers',
      body: { email: 'reindexed@example.com', phone: '+13125550177', firstName: 'Mary', lastName: 'Reindexed' },
      caller: admin,
    });
    const customer = made.body;
    // As the old code wrote it: entries under the first two characters only.
    for (const term of searchTerms(customer))
      await documentClient.send(new DeleteCommand({ TableName, Key: searchKey(term, customer.customerId) }));
    for (const term of legacySearchTerms(customer))
      await documentClient.send(
        new PutCommand({ TableName, Item: { ...legacySearchKey(term, customer.customerId), ...customer } }),
      );
    const find = async (query: string) =>
      (await customersApi({ routeKey: 'GET /customers', query: { query }, caller: admin })).body.items.map(
        (c: { customerId: string }) => c.customerId,
      );
    expect(await find('reindexed')).toEqual([]);

    const totals = await reindexCustomerSearch(new TokenBucket(10_000));
    expect(totals.customers).toBeGreaterThan(0);
    expect(await find('reindexed')).toEqual([customer.customerId]);
    expect(await find('+1312555')).toEqual([customer.customerId]);
    const old = await documentClient.send(
      new GetCommand({ TableName, Key: legacySearchKey('reindexed', customer.customerId) }),
    );
    expect(old.Item).toBeUndefined();
  });

  it('creates one phone-only customer when two texts race from a new number', async () => {
    const { ensureCustomerByPhone } = await import('../../functions/stores/repository');
    const [a, b] = await Promise.all([
      ensureCustomerByPhone('+15005550006', new Date()),
      ensureCustomerByPhone('+15005550006', new Date()),
    ]);
    expect(a.customerId).toBe(b.customerId);
    expect(a.email).toBeUndefined();
  });

  it('creates the customer when its first transaction is cancelled by a conflict (another writer held an item)', async () => {
    const { createCustomer, findCustomerByEmail } = await import('../../functions/stores/repository');
    const { documentClient } = await import('../../functions/shared/clients');
    const { TransactWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { TransactionCanceledException } = await import('@aws-sdk/client-dynamodb');
    const send = documentClient.send.bind(documentClient);
    let conflicts = 0;
    const spy = vi.spyOn(documentClient, 'send').mockImplementation((async (command: unknown) => {
      if (command instanceof TransactWriteCommand && conflicts++ === 0)
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
        });
      return send(command as never);
    }) as never);
    try {
      const outcome = await createCustomer({ email: 'conflict@example.com', phone: '+15005550077' }, new Date());
      expect(outcome.status).toBe('created');
    } finally {
      spy.mockRestore();
    }
    expect(conflicts).toBe(2);
    expect(await findCustomerByEmail('conflict@example.com')).toMatchObject({ phone: '+15005550077' });
  });
});

describe('errors', () => {
  it('answers malformed JSON with a 400 problem', async () => {
    const res = await customersApi({ routeKey: 'POST /customers', rawBody: '{"email":', caller: admin });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'body' });
  });

  it('answers a request without claims with 401', async () => {
    const res = await customersApi({ routeKey: 'GET /customers', query: { query: 'ab' } });
    expect(res.status).toBe(401);
  });
});

describe('customer basics', () => {
  const create = async (body: Record<string, unknown>) =>
    (await customersApi({ routeKey: 'POST /customers', body, caller: admin })).body as { customerId: string };
  const patch = (customerId: string, body: unknown) =>
    customersApi({ routeKey: 'PATCH /customers/{customerId}', pathParameters: { customerId }, body, caller: admin });
  const search = async (query: string) =>
    (await customersApi({ routeKey: 'GET /customers', query: { query }, caller: admin })).body.items.map(
      (c: { customerId: string }) => c.customerId,
    );

  it('shows a customer by id, and 404s an unknown one (store users: test/integration/customer-exposure.test.ts)', async () => {
    const { customerId } = await create({ email: 'ada@example.com', firstName: 'Ada', phone: '+12125550170' });
    const res = await customersApi({
      routeKey: 'GET /customers/{customerId}',
      pathParameters: { customerId },
      caller: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId, email: 'ada@example.com', firstName: 'Ada', phone: '+12125550170' });
    expect(
      (
        await customersApi({
          routeKey: 'GET /customers/{customerId}',
          pathParameters: { customerId: 'nobody' },
          caller: admin,
        })
      ).status,
    ).toBe(404);
  });

  it('moves the email and phone look-ups and the search entries with a PATCH', async () => {
    const { customerId } = await create({
      email: 'kat@example.com',
      firstName: 'Katherine',
      lastName: 'Johnson',
      phone: '+12125550171',
    });
    const res = await patch(customerId, { email: 'KJ@Example.com', phone: '+12125550172', lastName: 'Goble' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customerId,
      email: 'kj@example.com',
      phone: '+12125550172',
      firstName: 'Katherine',
      lastName: 'Goble',
    });
    const { findCustomerByEmail, findCustomerByPhone } = await import('../../functions/stores/repository');
    expect(await findCustomerByEmail('kat@example.com')).toBeUndefined();
    expect((await findCustomerByEmail('kj@example.com'))?.customerId).toBe(customerId);
    expect(await findCustomerByPhone('+12125550171')).toBeUndefined();
    expect((await findCustomerByPhone('+12125550172'))?.lastName).toBe('Goble');
    expect(await search('kat@')).toEqual([]);
    expect(await search('johnson')).toEqual([]);
    expect(await search('goble')).toEqual([customerId]);
    expect(await search('katherine goble')).toEqual([customerId]);
    expect(await search('+12125550172')).toEqual([customerId]);
  });

  it('refuses a PATCH to an email or phone of another customer with 409, changing nothing', async () => {
    const a = await create({ email: 'owner@example.com', phone: '+12125550180' });
    const b = await create({ email: 'other@example.com', phone: '+12125550181', firstName: 'Otto' });
    expect((await patch(b.customerId, { email: 'Owner@example.com' })).status).toBe(409);
    expect((await patch(b.customerId, { phone: '+12125550180', firstName: 'Changed' })).status).toBe(409);
    const stored = await customersApi({
      routeKey: 'GET /customers/{customerId}',
      pathParameters: { customerId: b.customerId },
      caller: admin,
    });
    expect(stored.body).toMatchObject({ email: 'other@example.com', phone: '+12125550181', firstName: 'Otto' });
    expect(a.customerId).not.toBe(b.customerId);
  });

  it('lets only admins PATCH, refuses an empty PATCH and 404s an unknown customer', async () => {
    const { customerId } = await create({ email: 'lone@example.com' });
    expect(
      (
        await customersApi({
          routeKey: 'PATCH /customers/{customerId}',
          pathParameters: { customerId },
          body: { firstName: 'X' },
          caller: nycAssociate,
        })
      ).status,
    ).toBe(403);
    expect((await patch(customerId, {})).status).toBe(400);
    expect((await patch('nobody', { firstName: 'X' })).status).toBe(404);
  });

  it('refuses a search query over 100 characters with a 400, not a 500', async () => {
    const res = await customersApi({ routeKey: 'GET /customers', query: { query: 'x'.repeat(5000) }, caller: admin });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ in: 'query', field: 'query' });
    expect(
      (await customersApi({ routeKey: 'GET /customers', query: { query: 'y'.repeat(100) }, caller: admin })).status,
    ).toBe(200);
  });
});

describe('store list and quiet hours', () => {
  it('lists every store to an admin, paged, and only their own store to a store user', async () => {
    await putStore('zz-last', { ...nyc, name: 'Last', phoneNumber: '+12125550190' });
    const first = await call({ routeKey: 'GET /stores', query: { limit: '2' }, caller: admin });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const rest = await call({
      routeKey: 'GET /stores',
      query: { limit: '200', cursor: first.body.nextCursor },
      caller: admin,
    });
    const ids = [...first.body.items, ...rest.body.items].map((s: { storeId: string }) => s.storeId);
    expect(ids).toEqual(expect.arrayContaining(['nyc-5th', 'boston', 'zz-last']));
    expect(new Set(ids).size).toBe(ids.length);
    const mine = await call({ routeKey: 'GET /stores', caller: nycAssociate });
    expect(mine.body.items.map((s: { storeId: string }) => s.storeId)).toEqual(['nyc-5th']);
  });

  it('defaults quiet hours to 21:00-08:00, keeps a store-set window, and turns them off with null', async () => {
    const get = async () =>
      (await call({ routeKey: 'GET /stores/{storeId}', pathParameters: { storeId: 'quiet' }, caller: admin })).body
        .quietHours;
    await putStore('quiet', { ...nyc, name: 'Quiet', phoneNumber: '+12125550191' });
    expect(await get()).toEqual({ start: '21:00', end: '08:00' });
    await putStore('quiet', {
      ...nyc,
      name: 'Quiet',
      phoneNumber: '+12125550191',
      quietHours: { start: '20:30', end: '09:15' },
    });
    expect(await get()).toEqual({ start: '20:30', end: '09:15' });
    await putStore('quiet', { ...nyc, name: 'Quiet', phoneNumber: '+12125550191', quietHours: null });
    expect(await get()).toBeNull();
    const bad = await putStore('quiet', {
      ...nyc,
      name: 'Quiet',
      phoneNumber: '+12125550191',
      quietHours: { start: '25:00', end: '08:00' },
    });
    expect(bad.status).toBe(400);
  });
});
