/**
 * The demo data `npm start` keeps (lib/local/demo-data.ts), seeded through the running stack's API
 * with data of its own (fresh ids and phones beside the other tests' data): stores created when
 * missing and never overwritten, customers created once, each linked to its store by an open
 * conversation, so the ids the banner prints are the ones the store's users can read.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DemoData, type SeedOutcome, seedDemoData } from '../../lib/local/demo-data';
import { api, baseUrl, tokenFor } from '../support/e2e';

const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
const run = randomUUID().slice(0, 8);
const quietFree = `demo-free-${run}`;
const quiet = `demo-quiet-${run}`;
const data: DemoData = {
  stores: [
    {
      storeId: quietFree,
      name: 'Demo without quiet hours',
      timezone: 'America/Chicago',
      country: 'US',
      phoneNumber: `+1312${digits(7)}`,
      currency: 'USD',
      quietHours: null,
    },
    {
      storeId: quiet,
      name: 'Demo with the default quiet hours',
      timezone: 'Europe/London',
      country: 'GB',
      phoneNumber: `+4420${digits(8)}`,
      currency: 'GBP',
    },
  ],
  customers: [
    {
      firstName: 'Sophia',
      lastName: 'Davis',
      email: `sophia-${run}@example.com`,
      phone: `+1312${digits(7)}`,
      storeId: quietFree,
    },
    {
      firstName: 'Oliver',
      lastName: 'Smith',
      email: `oliver-${run}@example.co.uk`,
      phone: `+447700${digits(6)}`,
      storeId: quiet,
    },
    { firstName: 'Emma', lastName: 'Johnson', email: `emma-${run}@example.com` },
  ],
};

const seed = () => seedDemoData(baseUrl(), tokenFor, data);
const seededOf = (outcome: SeedOutcome) => {
  if (!outcome.seeded) throw new Error(`not seeded: ${outcome.reason}`);
  return outcome;
};

describe('the demo data', () => {
  it('is created once, then found as stored: the same ids, nothing added, a changed store kept as changed', async () => {
    const first = seededOf(await seed());
    expect(first.created).toEqual({ stores: 2, customers: 3, conversations: 2 });
    expect(first.stores.map((s) => [s.storeId, s.quietHours])).toEqual([
      [quietFree, null],
      [quiet, { start: '21:00', end: '08:00' }],
    ]);
    const [sophia, oliver, emma] = first.customers;
    expect(sophia).toMatchObject({ name: 'Sophia Davis', phone: data.customers[0]!.phone, storeId: quietFree });
    expect(oliver).toMatchObject({ storeId: quiet });
    expect(emma).not.toHaveProperty('storeId');

    // The user changes a demo store: the next start keeps it, and the banner tells what is stored.
    const admin = api(tokenFor({ role: 'clienteling-admin', userId: 'demo-admin' }));
    const { storeId: _id, ...store } = data.stores[1]!;
    expect(
      (await admin.put(`/stores/${quiet}`, { ...store, quietHours: { start: '22:00', end: '07:00' } })).status,
    ).toBe(200);
    const again = seededOf(await seed());
    expect(again.created).toEqual({ stores: 0, customers: 0, conversations: 0 });
    expect(again.customers).toEqual(first.customers);
    expect(again.stores[1]!.quietHours).toEqual({ start: '22:00', end: '07:00' });
  });

  it('links each customer to its store: that store manager reads the customer and its open conversation', async () => {
    const { customers } = seededOf(await seed());
    const sophia = customers[0]!;
    const manager = api(tokenFor({ role: 'manager', storeId: quietFree, userId: `${quietFree}-manager` }));
    const read = await manager.get(`/customers/${sophia.customerId}`);
    expect(read.status).toBe(200);
    expect(read.body.phone).toBe(data.customers[0]!.phone);
    const conversation = await manager.get(`/conversations/${sophia.conversationId}`);
    expect(conversation.status).toBe(200);
    expect(conversation.body.customerId).toBe(sophia.customerId);
    // Not linked to the other store: its users see no such customer.
    const other = api(tokenFor({ role: 'manager', storeId: quiet, userId: `${quiet}-manager` }));
    expect((await other.get(`/customers/${sophia.customerId}`)).status).toBe(404);
  });

  it('reports a refusal instead of throwing, naming the call', async () => {
    const refused = await seedDemoData(baseUrl(), tokenFor, {
      stores: [{ ...data.stores[0]!, storeId: `demo-bad-${run}`, timezone: 'Mars/Olympus' }],
      customers: [],
    });
    expect(refused).toMatchObject({ seeded: false });
    expect(!refused.seeded && refused.reason).toMatch(/^PUT \/stores\/demo-bad-\S+ answered 400/);
  });
});
