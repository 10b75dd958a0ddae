/**
 * Exposure over the local stack's real HTTP (docs/rules.md, "Customers"; docs/architecture.md,
 * "HTTP API"): which customers each role of which store may find and read, the search rate limit,
 * signed cursors, and hostile input answered with a clear 4xx problem+json. The handler-level
 * tables (every route, every tamper) are the integration tests platform-ids, platform-cursors,
 * platform-inputs and customer-exposure; this file proves the same rules hold end to end.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, tokenFor } from '../support/e2e';

const suffix = randomUUID().slice(0, 8);
const storeA = `exp-a-${suffix}`;
const storeB = `exp-b-${suffix}`;
const admin = api(tokenFor({ role: 'clienteling-admin', userId: `exp-admin-${suffix}` }));
const managerA = api(tokenFor({ role: 'manager', storeId: storeA, userId: `exp-mgr-a-${suffix}` }));
const associateA = api(tokenFor({ role: 'associate', storeId: storeA, userId: `exp-assoc-a-${suffix}` }));
const associateB = api(tokenFor({ role: 'associate', storeId: storeB, userId: `exp-assoc-b-${suffix}` }));

const phone = () => `+1646${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
/** Customers sharing a last name: one linked to store A by a conversation, one linked nowhere. */
const lastName = `Exposure${suffix}`;
let linked: { customerId: string; email: string; phone: string };
let unlinked: { customerId: string; email: string; phone: string };

async function customer(tag: string) {
  const email = `${tag}.${suffix}@example.com`;
  const number = phone();
  const created = await admin.post('/customers', { email, phone: number, firstName: tag, lastName });
  expect(created.status).toBe(201);
  return { customerId: created.body.customerId as string, email, phone: number };
}

beforeAll(async () => {
  for (const storeId of [storeA, storeB]) {
    const put = await admin.put(`/stores/${storeId}`, {
      name: `Exposure ${storeId}`,
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: phone(),
      currency: 'USD',
    });
    expect(put.status).toBe(201);
  }
  linked = await customer('linked');
  unlinked = await customer('unlinked');
  expect((await associateA.post('/conversations', { customerId: linked.customerId })).status).toBeLessThan(300);
});

const idsOf = (answer: { body: { items?: Array<{ customerId: string }> } }) =>
  (answer.body.items ?? []).map((c) => c.customerId).sort();
const search = (caller: ReturnType<typeof api>, query: string) =>
  caller.get(`/customers?query=${encodeURIComponent(query)}&limit=50`);

describe('who finds and reads which customer', () => {
  it('by name prefix: an admin everyone, a store user only the customers linked to their store', async () => {
    expect(idsOf(await search(admin, lastName))).toEqual([linked.customerId, unlinked.customerId].sort());
    expect(idsOf(await search(managerA, lastName))).toEqual([linked.customerId]);
    expect(idsOf(await search(associateA, lastName))).toEqual([linked.customerId]);
    expect(idsOf(await search(associateB, lastName))).toEqual([]);
  });

  it('by exact email or full phone: anyone (a walk-in), at any store', async () => {
    for (const caller of [managerA, associateA, associateB]) {
      expect(idsOf(await search(caller, unlinked.email))).toEqual([unlinked.customerId]);
      expect(idsOf(await search(caller, unlinked.phone))).toEqual([unlinked.customerId]);
    }
  });

  it('by id: 200 for an admin and for the linked store, the same 404 as an unknown id otherwise', async () => {
    expect((await admin.get(`/customers/${unlinked.customerId}`)).status).toBe(200);
    expect((await associateA.get(`/customers/${linked.customerId}`)).status).toBe(200);
    expect((await managerA.get(`/customers/${linked.customerId}`)).status).toBe(200);
    const unknown = await associateA.get(`/customers/${randomUUID()}`);
    for (const [caller, id] of [
      [associateA, unlinked.customerId],
      [associateB, linked.customerId],
    ] as const) {
      const answer = await caller.get(`/customers/${id}`);
      expect(answer.status).toBe(404);
      expect(answer.body.title).toBe(unknown.body.title);
      expect(answer.text).not.toContain(id === linked.customerId ? linked.email : unlinked.email);
    }
  });

  it('answers the 61st search of a minute with 429 and Retry-After', async () => {
    const caller = api(tokenFor({ role: 'associate', storeId: storeA, userId: `exp-rate-${suffix}` }));
    // The window is the UTC minute: start early in one so that the 61 searches share it.
    const second = new Date().getUTCSeconds();
    if (second > 40) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));
    const answers = [];
    for (let i = 0; i < 61; i++) answers.push(await search(caller, lastName));
    expect(answers.slice(0, 60).every((a) => a.status === 200)).toBe(true);
    const refused = answers[60]!;
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
  }, 60_000);
});

describe('cursors', () => {
  it('pages with the cursor a page gave out, and answers 400 naming `cursor` to one changed, moved or padded', async () => {
    const first = await admin.get('/stores?limit=1');
    expect(first.status).toBe(200);
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    const next = await admin.get(`/stores?limit=1&cursor=${encodeURIComponent(cursor)}`);
    expect(next.status).toBe(200);
    expect(next.body.items[0].storeId).not.toBe(first.body.items[0].storeId);

    // A cursor from another list: the customer search's.
    const fromSearch = await admin.get(`/customers?query=${encodeURIComponent(lastName)}&limit=1`);
    const otherList = fromSearch.body.nextCursor as string;
    expect(otherList).toEqual(expect.any(String));
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    for (const bad of [
      flip(cursor, 50),
      flip(cursor, 3),
      cursor.slice(0, -4),
      `${cursor}x`,
      otherList,
      'x'.repeat(10_000),
    ]) {
      const answer = await admin.get(`/stores?limit=1&cursor=${encodeURIComponent(bad)}`);
      expect(answer.status, bad.slice(0, 60)).toBe(400);
      expect(answer.headers['content-type']).toMatch(/problem\+json/);
      expect(answer.body.errors).toContainEqual(expect.objectContaining({ in: 'query', field: 'cursor' }));
    }
  });
});

describe('hostile input', () => {
  const post = (body: string, contentType: string) =>
    admin.post('/customers', undefined, { rawBody: body, headers: { 'content-type': contentType } });
  const email = () => `hostile.${randomUUID().slice(0, 8)}@example.com`;

  it.each([
    ['JSON sent as text/plain', () => post(JSON.stringify({ email: email() }), 'text/plain'), 415],
    [
      'a body over 1 MB',
      () => post(JSON.stringify({ email: email(), firstName: 'x'.repeat(1_100_000) }), 'application/json'),
      413,
    ],
    ['JSON nested 10,000 deep', () => post(`${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'application/json'), 400],
    [
      'a NUL in a name',
      () => post(JSON.stringify({ email: email(), firstName: 'Ad\u0000a' }), 'application/json'),
      400,
    ],
    [
      'an unpaired surrogate in a name',
      () => post(`{"email":"${email()}","firstName":"Ad\\ud800a"}`, 'application/json'),
      400,
    ],
    [
      'an invalid E.164 phone',
      () => post(JSON.stringify({ email: email(), phone: '+1 555' }), 'application/json'),
      400,
    ],
    ['limit=1e9', () => admin.get('/stores?limit=1e9'), 400],
    ['a 3,000-character id', () => admin.get(`/customers/${'c'.repeat(3_000)}`), 400],
  ] as const)('%s: a clear 4xx problem+json', async (_case, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/problem\+json/);
    expect(answer.body.detail).toEqual(expect.any(String));
  });
});
