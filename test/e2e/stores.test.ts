/** Stores and customers over real HTTP, through the typed client: the auth chain's 401/403/404/400 and store isolation. */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { api, tokenFor } from '../support/e2e';

const suffix = randomUUID().slice(0, 6);
const nycId = `nyc-${suffix}`;
const londonId = `lon-${suffix}`;
const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: 'admin-e2e' }));
const nycAssociate = apiClient(tokenFor({ role: 'associate', storeId: nycId, userId: 'alice' }));
const londonManager = apiClient(tokenFor({ role: 'manager', storeId: londonId, userId: 'bob' }));

const phone = () => `+1212${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const store = (storeId: string) => ({ params: { path: { storeId } } });

beforeAll(async () => {
  const nyc = await admin.PUT('/stores/{storeId}', {
    ...store(nycId),
    body: { name: 'Fifth Avenue', timezone: 'America/New_York', country: 'US', phoneNumber: phone(), currency: 'USD' },
  });
  const london = await admin.PUT('/stores/{storeId}', {
    ...store(londonId),
    body: {
      name: 'Soho',
      timezone: 'Europe/London',
      country: 'GB',
      phoneNumber: `+4420${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      currency: 'GBP',
    },
  });
  expect([nyc.response.status, london.response.status]).toEqual([201, 201]);
});

describe('stores over HTTP', () => {
  it('shows a store to its own users and to an admin', async () => {
    expect((await nycAssociate.GET('/stores/{storeId}', store(nycId))).data).toMatchObject({
      storeId: nycId,
      timezone: 'America/New_York',
    });
    expect((await admin.GET('/stores/{storeId}', store(londonId))).data).toMatchObject({
      storeId: londonId,
      currency: 'GBP',
    });
  });

  it("refuses another store's manager with a 403 problem", async () => {
    const res = await londonManager.GET('/stores/{storeId}', store(nycId));
    expect(res.response.status).toBe(403);
    expect(res.response.headers.get('content-type')).toBe('application/problem+json');
    expect(res.error).toMatchObject({ status: 403, type: expect.stringContaining('forbidden') });
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await apiClient().GET('/stores/{storeId}', store(nycId))).response.status).toBe(401);
    const forged = tokenFor({ role: 'clienteling-admin', userId: 'mallory' }).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    expect((await apiClient(forged).GET('/stores/{storeId}', store(nycId))).response.status).toBe(401);
  });

  it('answers 404 for an unknown store and for an unknown route, both as problems', async () => {
    const unknownStore = await admin.GET('/stores/{storeId}', store(`nowhere-${suffix}`));
    expect(unknownStore.response.status).toBe(404);
    // A route no consumer can name through the typed client: the raw helper.
    const route = await api(tokenFor({ role: 'clienteling-admin', userId: 'admin-e2e' })).get('/no/such/route');
    expect(route.status).toBe(404);
    expect(route.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 400 naming the fields for a store with a bad zone and currency', async () => {
    const res = await admin.PUT('/stores/{storeId}', {
      ...store(`bad-${suffix}`),
      body: { name: 'Bad', timezone: 'Nowhere/Town', country: 'US', phoneNumber: phone(), currency: 'XYZ' },
    });
    expect(res.response.status).toBe(400);
    expect(res.error?.errors?.map((e) => e.field).sort()).toEqual(['currency', 'timezone']);
  });
});

describe('customers over HTTP', () => {
  it('creates, refuses a duplicate email, and finds the customer by name prefix: an admin at once, a store once linked to it', async () => {
    const email = `Ada.${suffix}@Example.com`;
    const created = await admin.POST('/customers', {
      body: { email, firstName: 'Ada', lastName: `Lovelace${suffix}` },
    });
    expect(created.response.status).toBe(201);
    expect(created.data?.email).toBe(email.toLowerCase());
    expect((await admin.POST('/customers', { body: { email: email.toUpperCase() } })).response.status).toBe(409);
    const byName = { params: { query: { query: `lovelace${suffix}` } } };
    const customer = [expect.objectContaining({ customerId: created.data?.customerId })];
    expect((await admin.GET('/customers', byName)).data?.items).toEqual(customer);
    // A store user's prefix search covers only the customers linked to their store (docs/rules.md, "Customers").
    expect((await nycAssociate.GET('/customers', byName)).data?.items).toEqual([]);
    const opened = await nycAssociate.POST('/conversations', { body: { customerId: created.data!.customerId } });
    expect(opened.response.status).toBeLessThan(300);
    expect((await nycAssociate.GET('/customers', byName)).data?.items).toEqual(customer);
  });

  it('finds a customer by a phone prefix from its area code on, and answers a too-short query with its minimum', async () => {
    const phone = `+1628${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const created = await admin.POST('/customers', { body: { email: `phone.${suffix}@example.com`, phone } });
    expect(created.response.status).toBe(201);
    const search = (query: string) => nycAssociate.GET('/customers', { params: { query: { query } } });
    const found = await search(`+1 (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`);
    expect(found.data?.items).toEqual([expect.objectContaining({ customerId: created.data?.customerId })]);
    const tooShort = await search('+1 62');
    expect(tooShort.response.status).toBe(400);
    expect(tooShort.error?.errors?.[0]?.detail).toMatch(/at least 5 characters/);
  });

  it('keeps customer creation to admins (403 for an associate)', async () => {
    expect(
      (await nycAssociate.POST('/customers', { body: { email: `x-${suffix}@example.com` } })).response.status,
    ).toBe(403);
  });
});
