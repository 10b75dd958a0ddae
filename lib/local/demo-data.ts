/**
 * Demo data for a first `npm start`: stores in several timezones (a half-hour one included) and
 * customers, loaded through the stack's own HTTP API with an admin token, so the data passes the
 * same validation and repository code as any client's. Skipped when the first demo store exists.
 */
import type { Role } from '../../functions/shared/principal';

export interface DemoStore {
  storeId: string;
  name: string;
  timezone: string;
  country: string;
  phoneNumber: string;
  currency: string;
  helpText?: string;
}

export const DEMO_STORES: readonly DemoStore[] = [
  {
    storeId: 'nyc-5th',
    name: 'New York Fifth Avenue',
    timezone: 'America/New_York',
    country: 'US',
    phoneNumber: '+12125550100',
    currency: 'USD',
    helpText: 'Fifth Avenue store: call +1 212 555 0100, 10am-8pm.',
  },
  {
    storeId: 'london-soho',
    name: 'London Soho',
    timezone: 'Europe/London',
    country: 'GB',
    phoneNumber: '+442071838750',
    currency: 'GBP',
  },
  {
    storeId: 'sydney-pitt',
    name: 'Sydney Pitt Street',
    timezone: 'Australia/Sydney',
    country: 'AU',
    phoneNumber: '+61291234567',
    currency: 'AUD',
  },
  {
    storeId: 'mumbai-bkc',
    name: 'Mumbai BKC',
    timezone: 'Asia/Kolkata',
    country: 'IN',
    phoneNumber: '+912212345678',
    currency: 'INR',
  },
  {
    storeId: 'adelaide-rundle',
    name: 'Adelaide Rundle Mall',
    timezone: 'Australia/Adelaide',
    country: 'AU',
    phoneNumber: '+61881234567',
    currency: 'AUD',
  },
];

export interface DemoCustomer {
  email: string;
  phone?: string;
  firstName: string;
  lastName: string;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { firstName: 'Ava', lastName: 'Thompson', email: 'ava.thompson@example.com', phone: '+12125550111' },
  { firstName: 'Liam', lastName: 'Rodriguez', email: 'liam.rodriguez@example.com', phone: '+12125550112' },
  { firstName: 'Olivia', lastName: 'Chen', email: 'olivia.chen@example.com', phone: '+16465550113' },
  { firstName: 'Noah', lastName: 'Williams', email: 'noah.williams@example.com', phone: '+17185550114' },
  { firstName: 'Emma', lastName: 'Johnson', email: 'emma.johnson@example.com' },
  { firstName: 'Oliver', lastName: 'Smith', email: 'oliver.smith@example.co.uk', phone: '+447700900121' },
  { firstName: 'Amelia', lastName: 'Jones', email: 'amelia.jones@example.co.uk', phone: '+447700900122' },
  { firstName: 'George', lastName: 'Taylor', email: 'george.taylor@example.co.uk', phone: '+447700900123' },
  { firstName: 'Isla', lastName: 'Brown', email: 'isla.brown@example.co.uk' },
  { firstName: 'Jack', lastName: 'Wilson', email: 'jack.wilson@example.com.au', phone: '+61412345671' },
  { firstName: 'Charlotte', lastName: 'Nguyen', email: 'charlotte.nguyen@example.com.au', phone: '+61412345672' },
  { firstName: 'William', lastName: 'Martin', email: 'william.martin@example.com.au', phone: '+61412345673' },
  { firstName: 'Mia', lastName: 'Kelly', email: 'mia.kelly@example.com.au', phone: '+61412345674' },
  { firstName: 'Aarav', lastName: 'Sharma', email: 'aarav.sharma@example.in', phone: '+919820012341' },
  { firstName: 'Diya', lastName: 'Patel', email: 'diya.patel@example.in', phone: '+919820012342' },
  { firstName: 'Vihaan', lastName: 'Iyer', email: 'vihaan.iyer@example.in', phone: '+919820012343' },
  { firstName: 'Ananya', lastName: 'Reddy', email: 'ananya.reddy@example.in' },
  { firstName: 'Lucas', lastName: 'Müller', email: 'lucas.mueller@example.de', phone: '+4915112345678' },
  { firstName: 'Sofia', lastName: "O'Brien", email: 'sofia.obrien@example.ie', phone: '+353851234567' },
  { firstName: 'Hiro', lastName: 'Tanaka', email: 'hiro.tanaka@example.jp' },
];

export interface DemoUser {
  role: Role;
  userId: string;
  storeId?: string;
}

/** The demo's people: one admin, and a manager and an associate per store. */
export function demoUsers(): DemoUser[] {
  return [
    { role: 'clienteling-admin', userId: 'admin' },
    ...DEMO_STORES.flatMap((s): DemoUser[] => [
      { role: 'manager', userId: `${s.storeId}-manager`, storeId: s.storeId },
      { role: 'associate', userId: `${s.storeId}-associate`, storeId: s.storeId },
    ]),
  ];
}

export type SeedOutcome =
  | { seeded: true; stores: number; customers: { created: number; existing: number } }
  | { seeded: false; reason: string };

/** Loads the demo data through the API unless the first demo store already exists. Never throws: the caller reports the outcome. */
export async function seedDemoData(baseUrl: string, adminToken: string): Promise<SeedOutcome> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text };
  };
  const refusal = (what: string, r: { status: number; text: string }) =>
    `${what} answered ${r.status}: ${r.text.slice(0, 300)}`;
  try {
    const first = DEMO_STORES[0]!;
    const existing = await call('GET', `/stores/${first.storeId}`);
    if (existing.status === 200) return { seeded: false, reason: 'already there' };
    if (existing.status !== 404) return { seeded: false, reason: refusal(`GET /stores/${first.storeId}`, existing) };
    // Customers first and the marker store last: a run that fails halfway is completed on the next start.
    const batch = await call('POST', '/customers/batch', { customers: DEMO_CUSTOMERS });
    if (batch.status >= 300) return { seeded: false, reason: refusal('POST /customers/batch', batch) };
    for (const { storeId, ...store } of [...DEMO_STORES].reverse()) {
      const put = await call('PUT', `/stores/${storeId}`, store);
      if (put.status >= 300) return { seeded: false, reason: refusal(`PUT /stores/${storeId}`, put) };
    }
    const counts = JSON.parse(batch.text) as { created?: number; existing?: number };
    return {
      seeded: true,
      stores: DEMO_STORES.length,
      customers: { created: counts.created ?? 0, existing: counts.existing ?? 0 },
    };
  } catch (error) {
    return { seeded: false, reason: (error as Error).message };
  }
}
