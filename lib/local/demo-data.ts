/**
 * Demo data for `npm start`: stores in several timezones (a half-hour one included; one with no
 * quiet hours, so a first message goes out at any hour) and customers, most of them linked to a
 * store by an open conversation there (docs/rules.md, "Customers": a store user sees only the
 * customers linked to their store). Loaded through the stack's own HTTP API, so the data passes
 * the same validation and repository code as any client's.
 *
 * Every start checks it, idempotently: a missing store is created (one that exists is never
 * overwritten: the user may have changed it), the customers are sent as one batch (an email
 * already known is `existing`, with its id) and each link is opened (an open conversation is
 * answered as it is). So the banner can always name the stores as stored and the demo customers
 * with their ids, and a run that failed halfway is completed on the next start.
 */
import type { QuietWindow } from '../../functions/conversations/rules';
import type { Role } from '../../functions/shared/principal';

export interface DemoStore {
  storeId: string;
  name: string;
  timezone: string;
  country: string;
  phoneNumber: string;
  currency: string;
  helpText?: string;
  /** Absent: the default quiet hours (21:00–08:00); null: none. */
  quietHours?: QuietWindow | null;
}

export const DEMO_STORES: readonly DemoStore[] = [
  {
    storeId: 'chicago-michigan',
    name: 'Chicago Michigan Avenue',
    timezone: 'America/Chicago',
    country: 'US',
    phoneNumber: '+13125550100',
    currency: 'USD',
    helpText: 'Michigan Avenue store: call +1 312 555 0100, 10am-8pm.',
    quietHours: null,
  },
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
  /** The store where the demo opens the customer's conversation (a customer with a phone only). */
  storeId?: string;
}

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    firstName: 'Ava',
    lastName: 'Thompson',
    email: 'ava.thompson@example.com',
    phone: '+12125550111',
    storeId: 'nyc-5th',
  },
  {
    firstName: 'Liam',
    lastName: 'Rodriguez',
    email: 'liam.rodriguez@example.com',
    phone: '+12125550112',
    storeId: 'nyc-5th',
  },
  { firstName: 'Olivia', lastName: 'Chen', email: 'olivia.chen@example.com', phone: '+16465550113' },
  {
    firstName: 'Sophia',
    lastName: 'Davis',
    email: 'sophia.davis@example.com',
    phone: '+13125550115',
    storeId: 'chicago-michigan',
  },
  {
    firstName: 'Noah',
    lastName: 'Williams',
    email: 'noah.williams@example.com',
    phone: '+17185550114',
    storeId: 'chicago-michigan',
  },
  { firstName: 'Emma', lastName: 'Johnson', email: 'emma.johnson@example.com' },
  {
    firstName: 'Oliver',
    lastName: 'Smith',
    email: 'oliver.smith@example.co.uk',
    phone: '+447700900121',
    storeId: 'london-soho',
  },
  {
    firstName: 'Amelia',
    lastName: 'Jones',
    email: 'amelia.jones@example.co.uk',
    phone: '+447700900122',
    storeId: 'london-soho',
  },
  { firstName: 'George', lastName: 'Taylor', email: 'george.taylor@example.co.uk', phone: '+447700900123' },
  { firstName: 'Isla', lastName: 'Brown', email: 'isla.brown@example.co.uk' },
  {
    firstName: 'Jack',
    lastName: 'Wilson',
    email: 'jack.wilson@example.com.au',
    phone: '+61412345671',
    storeId: 'sydney-pitt',
  },
  {
    firstName: 'Charlotte',
    lastName: 'Nguyen',
    email: 'charlotte.nguyen@example.com.au',
    phone: '+61412345672',
    storeId: 'sydney-pitt',
  },
  {
    firstName: 'William',
    lastName: 'Martin',
    email: 'william.martin@example.com.au',
    phone: '+61412345673',
    storeId: 'adelaide-rundle',
  },
  { firstName: 'Mia', lastName: 'Kelly', email: 'mia.kelly@example.com.au', phone: '+61412345674' },
  {
    firstName: 'Aarav',
    lastName: 'Sharma',
    email: 'aarav.sharma@example.in',
    phone: '+919820012341',
    storeId: 'mumbai-bkc',
  },
  {
    firstName: 'Diya',
    lastName: 'Patel',
    email: 'diya.patel@example.in',
    phone: '+919820012342',
    storeId: 'mumbai-bkc',
  },
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

/** A demo store as stored (what the banner tells: its number and its quiet hours). */
export interface SeededStore {
  storeId: string;
  name: string;
  phoneNumber: string;
  timezone: string;
  quietHours: QuietWindow | null;
}

/** A demo customer as stored, with the store it is linked to and that conversation, when it has one. */
export interface SeededCustomer {
  customerId: string;
  name: string;
  phone?: string;
  storeId?: string;
  conversationId?: string;
}

export type SeedOutcome =
  | {
      seeded: true;
      stores: SeededStore[];
      customers: SeededCustomer[];
      /** What this start added (all 0 once everything is there). */
      created: { stores: number; customers: number; conversations: number };
    }
  | { seeded: false; reason: string };

/** The demo's data; a test passes its own (fresh ids and phones) to seed beside other tests' data. */
export interface DemoData {
  stores: readonly DemoStore[];
  customers: readonly DemoCustomer[];
}

type Call = (method: string, path: string, token: string, body?: unknown) => Promise<{ status: number; text: string }>;

/** A refusal the outcome reports: `PUT /stores/x answered 400: …`. */
const refusal = (what: string, r: { status: number; text: string }) =>
  new Error(`${what} answered ${r.status}: ${r.text.slice(0, 300)}`);

/** Every store as stored, page after page (`GET /stores` as admin: a missing one is no 404 to log). */
async function storedStores(call: Call, admin: string): Promise<Map<string, SeededStore>> {
  const stores = new Map<string, SeededStore>();
  let cursor: string | null = null;
  do {
    const path = `/stores?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await call('GET', path, admin);
    if (answer.status !== 200) throw refusal('GET /stores', answer);
    const page = JSON.parse(answer.text) as {
      items: SeededStore[];
      nextCursor: string | null;
    };
    for (const store of page.items) stores.set(store.storeId, store);
    cursor = page.nextCursor;
  } while (cursor);
  return stores;
}

/** Step 1: the stores as stored; a missing one is created (one that exists is never overwritten). */
async function ensureStores(call: Call, admin: string, stores: readonly DemoStore[]) {
  const stored = await storedStores(call, admin);
  const seeded: SeededStore[] = [];
  let created = 0;
  for (const { storeId, ...store } of stores) {
    let found = stored.get(storeId);
    if (!found) {
      const answer = await call('PUT', `/stores/${storeId}`, admin, store);
      if (answer.status >= 300) throw refusal(`PUT /stores/${storeId}`, answer);
      found = JSON.parse(answer.text) as SeededStore;
      created++;
    }
    const { name, phoneNumber, timezone, quietHours } = found;
    seeded.push({ storeId, name, phoneNumber, timezone, quietHours });
  }
  return { seeded, created };
}

/** Step 2: the customers as one batch; each answer names the id, created or existing. */
async function ensureCustomers(call: Call, admin: string, customers: readonly DemoCustomer[]) {
  const answer = await call('POST', '/customers/batch', admin, {
    customers: customers.map(({ storeId: _storeId, ...customer }) => customer),
  });
  if (answer.status >= 300) throw refusal('POST /customers/batch', answer);
  const result = JSON.parse(answer.text) as {
    created: number;
    errors: Array<{ index: number; detail: string }>;
    customers: Array<{ index: number; customerId: string }>;
  };
  if (result.errors.length > 0)
    throw new Error(
      `POST /customers/batch refused ${result.errors.map((e) => `entry ${e.index}: ${e.detail}`).join('; ')}`,
    );
  const idOf = new Map(result.customers.map((c) => [c.index, c.customerId]));
  return { ids: customers.map((_, i) => idOf.get(i)!), created: result.created };
}

/**
 * Loads what is missing of the demo data through the API (steps above; 3: each linked customer's
 * conversation opened by the store's manager, 201 the first time, 200 after). Never throws: the
 * caller reports the outcome.
 */
export async function seedDemoData(
  baseUrl: string,
  tokenFor: (user: DemoUser) => string,
  data: DemoData = { stores: DEMO_STORES, customers: DEMO_CUSTOMERS },
): Promise<SeedOutcome> {
  const call: Call = async (method, path, token, body) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  try {
    const admin = tokenFor({ role: 'clienteling-admin', userId: 'admin' });
    const stores = await ensureStores(call, admin, data.stores);
    const customers = await ensureCustomers(call, admin, data.customers);
    const seeded: SeededCustomer[] = [];
    let conversations = 0;
    for (const [i, customer] of data.customers.entries()) {
      const customerId = customers.ids[i]!;
      const name = `${customer.firstName} ${customer.lastName}`;
      const entry: SeededCustomer = { customerId, name, ...(customer.phone ? { phone: customer.phone } : {}) };
      if (customer.storeId && customer.phone) {
        const manager = tokenFor({ role: 'manager', userId: `${customer.storeId}-manager`, storeId: customer.storeId });
        const opened = await call('POST', '/conversations', manager, { customerId });
        if (opened.status >= 300) throw refusal(`POST /conversations (${customer.storeId}, ${customerId})`, opened);
        if (opened.status === 201) conversations++;
        entry.storeId = customer.storeId;
        entry.conversationId = (JSON.parse(opened.text) as { conversationId: string }).conversationId;
      }
      seeded.push(entry);
    }
    return {
      seeded: true,
      stores: stores.seeded,
      customers: seeded,
      created: { stores: stores.created, customers: customers.created, conversations },
    };
  } catch (error) {
    return { seeded: false, reason: (error as Error).message };
  }
}
