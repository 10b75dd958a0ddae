/** Stores and customers over real HTTP: the auth chain's 401/403/404/400 and store isolation. */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor } from '../support/e2e';

const suffix = randomUUID().slice(0, 6);
const nycId = `nyc-${suffix}`;
const londonId = `lon-${suffix}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'admin-e2e' }));
const nycAssociate = api(tokenFor({ role: 'associate', storeId: nycId, userId: 'alice' }));
const londonManager = api(tokenFor({ role: 'manager', storeId: londonId, userId: 'bob' }));

const phone = () => `+1212${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

beforeAll(async () => {
  const nyc = await admin.put(`/stores/${nycId}`, { name: 'Fifth Avenue', timezone: 'America/New_York', country: 'US', phoneNumber: phone(), currency: 'USD' });
  const london = await admin.put(`/stores/${londonId}`, { name: 'Soho', timezone: 'Europe/London', country: 'GB', phoneNumber: `+4420${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, currency: 'GBP' });
  expect([nyc.status, london.status]).toEqual([201, 201]);
});

describe('stores over HTTP', () => {
  it('shows a store to its own users and to an admin', async () => {
    expect((await nycAssociate.get(`/stores/${nycId}`)).body).toMatchObject({ storeId: nycId, timezone: 'America/New_York' });
    expect((await admin.get(`/stores/${londonId}`)).body).toMatchObject({ storeId: londonId, currency: 'GBP' });
  });

  it("refuses another store's manager with a 403 problem", async () => {
    const res = await londonManager.get(`/stores/${nycId}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 403, type: expect.stringContaining('forbidden') });
  });

  it('answers 401 without a token and with a forged one', async () => {
    expect((await api().get(`/stores/${nycId}`)).status).toBe(401);
    const forged = tokenFor({ role: 'clienteling-admin', userId: 'mallory' }).replace(/\.[^.]+$/, '.c2lnbmF0dXJl');
    expect((await api(forged).get(`/stores/${nycId}`)).status).toBe(401);
  });

  it('answers 404 for an unknown store and for an unknown route, both as problems', async () => {
    const store = await admin.get(`/stores/nowhere-${suffix}`);
    expect(store.status).toBe(404);
    const route = await admin.get('/no/such/route');
    expect(route.status).toBe(404);
    expect(route.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 400 naming the fields for a store with a bad zone and currency', async () => {
    const res = await admin.put(`/stores/bad-${suffix}`, { name: 'Bad', timezone: 'Nowhere/Town', country: 'US', phoneNumber: phone(), currency: 'XYZ' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['currency', 'timezone']);
  });
});

describe('customers over HTTP', () => {
  it('creates, refuses a duplicate email, and finds the customer by name prefix', async () => {
    const email = `Ada.${suffix}@Example.com`;
    const created = await admin.post('/customers', { email, firstName: 'Ada', lastName: `Lovelace${suffix}` });
    expect(created.status).toBe(201);
    expect(created.body.email).toBe(email.toLowerCase());
    expect((await admin.post('/customers', { email: email.toUpperCase() })).status).toBe(409);
    const found = await nycAssociate.get(`/customers?query=${encodeURIComponent(`lovelace${suffix}`)}`);
    expect(found.body.items).toEqual([expect.objectContaining({ customerId: created.body.customerId })]);
  });

  it('keeps customer creation to admins (403 for an associate)', async () => {
    expect((await nycAssociate.post('/customers', { email: `x-${suffix}@example.com` })).status).toBe(403);
  });
});
