/**
 * A store's notes and tags about a customer over the local stack's real HTTP, through the typed
 * client that checks every answer against docs/openapi.json (docs/rules.md, "Notes and tags"):
 * two stores talk to one customer; each sees only its own notes and tags, on the customer and in
 * its inbox filter; another store's note is a 404 to delete, as if it did not exist; a store not
 * linked to the customer gets 404 on every route; erasure leaves nothing to list.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { drain, tokenFor } from '../support/e2e';

const suffix = randomUUID().slice(0, 8);
const north = `notes-n-${suffix}`;
const south = `notes-s-${suffix}`;
const west = `notes-w-${suffix}`;
const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: `notes-admin-${suffix}` }));
const alice = apiClient(tokenFor({ role: 'associate', storeId: north, userId: `alice-${suffix}` }));
const bob = apiClient(tokenFor({ role: 'associate', storeId: north, userId: `bob-${suffix}` }));
const sam = apiClient(tokenFor({ role: 'associate', storeId: south, userId: `sam-${suffix}` }));
const wes = apiClient(tokenFor({ role: 'manager', storeId: west, userId: `wes-${suffix}` }));

const phone = () => `+1646${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
let customerId = '';
const conversationIn: Record<string, string> = {};
const path = () => ({ params: { path: { customerId } } });

beforeAll(async () => {
  for (const storeId of [north, south, west]) {
    const put = await admin.PUT('/stores/{storeId}', {
      params: { path: { storeId } },
      body: {
        name: `Notes ${storeId}`,
        timezone: 'America/New_York',
        country: 'US',
        phoneNumber: phone(),
        currency: 'USD',
      },
    });
    expect(put.response.status).toBe(201);
  }
  const created = await admin.POST('/customers', {
    body: { email: `noted.${suffix}@example.com`, phone: phone(), firstName: 'Noor' },
  });
  customerId = created.data!.customerId;
  for (const [storeId, client] of [
    [north, alice],
    [south, sam],
  ] as const) {
    const opened = await client.POST('/conversations', { body: { customerId } });
    expect(opened.response.status).toBe(201);
    conversationIn[storeId] = opened.data!.conversationId;
  }
});

describe('notes and tags across stores, over HTTP', () => {
  it("each store writes and reads its own notes; another store's note is a 404 to delete", async () => {
    const mine = await alice.POST('/customers/{customerId}/notes', {
      ...path(),
      body: { text: 'size 38, loves navy' },
    });
    expect(mine.response.status).toBe(201);
    const theirs = await sam.POST('/customers/{customerId}/notes', { ...path(), body: { text: 'wholesale account' } });
    expect(theirs.response.status).toBe(201);

    const northNotes = await bob.GET('/customers/{customerId}/notes', path());
    expect(northNotes.data!.items.map((n) => n.text)).toEqual(['size 38, loves navy']);
    const southNotes = await sam.GET('/customers/{customerId}/notes', path());
    expect(southNotes.data!.items.map((n) => n.text)).toEqual(['wholesale account']);

    const cross = await alice.DELETE('/customers/{customerId}/notes/{noteId}', {
      params: { path: { customerId, noteId: theirs.data!.noteId } },
    });
    expect(cross.response.status).toBe(404);
    const colleague = await bob.DELETE('/customers/{customerId}/notes/{noteId}', {
      params: { path: { customerId, noteId: mine.data!.noteId } },
    });
    expect(colleague.response.status).toBe(403);
    expect((await sam.GET('/customers/{customerId}/notes', path())).data!.items).toHaveLength(1);
  });

  it('each store sees only its own tags, on the customer and in its inbox filter', async () => {
    const set = await alice.PUT('/customers/{customerId}/tags', {
      ...path(),
      body: { tags: ['VIP', 'vip', ' bridal '] },
    });
    expect(set.data).toEqual({ customerId, storeId: north, tags: ['VIP', 'bridal'] });
    expect(
      (await sam.PUT('/customers/{customerId}/tags', { ...path(), body: { tags: ['wholesale'] } })).response.status,
    ).toBe(200);

    expect((await bob.GET('/customers/{customerId}', path())).data!.tags).toEqual(['VIP', 'bridal']);
    expect((await sam.GET('/customers/{customerId}', path())).data!.tags).toEqual(['wholesale']);
    expect((await admin.GET('/customers/{customerId}', path())).data!.tags).toBeUndefined();

    const vipNorth = await alice.GET('/inbox', { params: { query: { scope: 'store', tag: 'vip' } } });
    expect(vipNorth.data!.items.map((c) => c.conversationId)).toEqual([conversationIn[north]]);
    expect(vipNorth.data!.items[0]!.tags).toEqual(['VIP', 'bridal']);
    const vipSouth = await sam.GET('/inbox', { params: { query: { scope: 'store', tag: 'vip' } } });
    expect(vipSouth.data!.items).toEqual([]);

    const tooMany = await alice.PUT('/customers/{customerId}/tags', {
      ...path(),
      body: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
    });
    expect(tooMany.response.status).toBe(400);
    expect(tooMany.error!.errors!.map((e) => e.field)).toEqual(['tags']);
  });

  it('a store not linked to the customer gets 404 on every route', async () => {
    expect((await wes.GET('/customers/{customerId}/notes', path())).response.status).toBe(404);
    expect((await wes.POST('/customers/{customerId}/notes', { ...path(), body: { text: 'hi' } })).response.status).toBe(
      404,
    );
    expect((await wes.PUT('/customers/{customerId}/tags', { ...path(), body: { tags: ['x'] } })).response.status).toBe(
      404,
    );
    expect((await wes.GET('/customers/{customerId}', path())).response.status).toBe(404);
  });

  it('erasure leaves no note or tag at any store', async () => {
    expect((await admin.DELETE('/customers/{customerId}', path())).response.status).toBe(202);
    await drain();
    expect((await alice.GET('/customers/{customerId}/notes', path())).response.status).toBe(404);
    expect((await sam.GET('/inbox', { params: { query: { scope: 'store', tag: 'wholesale' } } })).data!.items).toEqual(
      [],
    );
  });
});
