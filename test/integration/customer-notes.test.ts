/**
 * A store's notes and tags about a customer (docs/rules.md, "Notes and tags"), through the
 * customers and conversations handlers against DynamoDB Local: notes written, paged newest first
 * and deleted by their author or a manager; tags set, normalised, shown on the customer and
 * copied onto the conversation for the inbox's `?tag=`; every route a 404 for a customer not
 * linked to the caller's store, and another store's notes and tags never seen; erasure (the
 * real worker, off its queue) leaving no note, tag or copy of either.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { startInboundQueue } from '../support/inbound-queue';
import type { Caller } from '../support/http-events';

await useFreshTable('notes');
const queues = await startInboundQueue();
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);
const conversationsApi = invoker((await import('../../functions/conversations/api.handler')).handler);
const conversations = await import('../../functions/conversations/repository');
const campaigns = await import('../../functions/campaigns/repository');
const { documentClient } = await import('../../functions/shared/clients');

const admin: Caller = { userId: 'notes-admin', role: 'clienteling-admin' };
const alice: Caller = { userId: 'alice', role: 'associate', storeId: 'north' };
const bob: Caller = { userId: 'bob', role: 'associate', storeId: 'north' };
const maria: Caller = { userId: 'maria', role: 'manager', storeId: 'north' };
const sam: Caller = { userId: 'sam', role: 'associate', storeId: 'south' };

/** Both stores talk to `shared`; only north has `northOnly` (by an outreach entry, no conversation). */
const ids = { shared: '', northOnly: '', stranger: '' };
const conversationOf = { north: '', south: '' };

const notesOf = (caller: Caller, customerId: string, query: Record<string, string> = {}) =>
  customersApi({ routeKey: 'GET /customers/{customerId}/notes', pathParameters: { customerId }, query, caller });
const write = (caller: Caller, customerId: string, text: string) =>
  customersApi({
    routeKey: 'POST /customers/{customerId}/notes',
    pathParameters: { customerId },
    body: { text },
    caller,
  });
const remove = (caller: Caller, customerId: string, noteId: string) =>
  customersApi({
    routeKey: 'DELETE /customers/{customerId}/notes/{noteId}',
    pathParameters: { customerId, noteId },
    caller,
  });
const tag = (caller: Caller, customerId: string, tags: unknown) =>
  customersApi({
    routeKey: 'PUT /customers/{customerId}/tags',
    pathParameters: { customerId },
    body: { tags },
    caller,
  });
const read = (caller: Caller, customerId: string) =>
  customersApi({ routeKey: 'GET /customers/{customerId}', pathParameters: { customerId }, caller });
const inbox = async (caller: Caller, query: Record<string, string>) => {
  const res = await conversationsApi({ routeKey: 'GET /inbox', query, caller });
  expect(res.status).toBe(200);
  return res.body as { items: { conversationId: string; tags?: string[] }[]; nextCursor: string | null };
};

beforeAll(async () => {
  const people = {
    shared: { email: 'noted.shared@example.test', phone: '+14155550301', firstName: 'Noor' },
    northOnly: { email: 'noted.listed@example.test', phone: '+14155550302', firstName: 'Lior' },
    stranger: { email: 'noted.stranger@example.test', phone: '+14155550303', firstName: 'Sten' },
  };
  for (const [name, body] of Object.entries(people)) {
    const res = await customersApi({ routeKey: 'POST /customers', body, caller: admin });
    expect(res.status).toBe(201);
    ids[name as keyof typeof ids] = res.body.customerId;
  }
  for (const storeId of ['north', 'south'] as const) {
    const customer = { customerId: ids.shared, ...people.shared, createdAt: new Date().toISOString() };
    conversationOf[storeId] = (
      await conversations.openConversation({ storeId, customer, now: new Date() })
    ).conversation.conversationId;
  }
  await campaigns.addToOpenOutreach([{ campaignId: 'notes-campaign', storeId: 'north', customerId: ids.northOnly }]);
});

describe('notes', () => {
  it('are written by store users, listed newest first in pages, and only the caller store sees them', async () => {
    const texts = ['first visit', 'asked for size 38', 'prefers calls before noon', 'bought the blue coat'];
    const written = [];
    for (const [i, text] of texts.entries()) {
      const res = await write(i % 2 === 0 ? alice : maria, ids.shared, `  ${text}  `);
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/customers/${ids.shared}/notes/${res.body.noteId}`);
      written.push(res.body);
    }
    expect(written[0]).toEqual({
      noteId: expect.any(String),
      storeId: 'north',
      customerId: ids.shared,
      text: 'first visit',
      authorId: 'alice',
      createdAt: expect.any(String),
    });
    const south = await write(sam, ids.shared, "south's own note");
    expect(south.status).toBe(201);

    const first = await notesOf(bob, ids.shared, { limit: '3' });
    expect(first.status).toBe(200);
    expect(first.body.items.map((n: { text: string }) => n.text)).toEqual([...texts].reverse().slice(0, 3));
    const second = await notesOf(bob, ids.shared, { limit: '3', cursor: first.body.nextCursor });
    expect(second.body.items.map((n: { text: string }) => n.text)).toEqual(['first visit']);
    expect(second.body.nextCursor).toBeNull();

    const southList = await notesOf(sam, ids.shared);
    expect(southList.body.items.map((n: { noteId: string }) => n.noteId)).toEqual([south.body.noteId]);
    // A cursor of north's slice does not page south's.
    const stolen = await notesOf(sam, ids.shared, { limit: '3', cursor: first.body.nextCursor });
    expect(stolen.status).toBe(400);
    expect(stolen.body.errors).toEqual([{ in: 'query', field: 'cursor', detail: 'invalid cursor' }]);
  });

  it('are deleted by their author or a manager: 403 for a colleague, 404 for another store or an unknown id', async () => {
    const byAlice = (await write(alice, ids.shared, 'to be deleted by alice')).body.noteId;
    const byBob = (await write(bob, ids.shared, 'to be deleted by the manager')).body.noteId;
    const refused = await remove(bob, ids.shared, byAlice);
    expect(refused.status).toBe(403);
    expect(await remove(sam, ids.shared, byAlice)).toMatchObject({ status: 404 });
    expect(await remove(alice, ids.shared, 'no-such-note')).toMatchObject({ status: 404 });
    expect(await remove(admin, ids.shared, byAlice)).toMatchObject({ status: 403 });

    expect(await remove(alice, ids.shared, byAlice)).toMatchObject({ status: 204 });
    expect(await remove(maria, ids.shared, byBob)).toMatchObject({ status: 204 });
    expect(await remove(alice, ids.shared, byAlice)).toMatchObject({ status: 404 });
    const left = (await notesOf(alice, ids.shared, { limit: '200' })).body.items.map(
      (n: { noteId: string }) => n.noteId,
    );
    expect(left).not.toContain(byAlice);
    expect(left).not.toContain(byBob);
  });

  it('are a 400 naming text when empty or over 2,000 characters', async () => {
    for (const text of ['   ', 'x'.repeat(2001)]) {
      const res = await write(alice, ids.shared, text);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['text']);
    }
  });
});

describe('who reaches a customer', () => {
  it.each([
    ['a customer linked to another store only', sam, () => ids.northOnly],
    ['a customer linked to no store', alice, () => ids.stranger],
    ['an unknown customer', alice, () => 'no-such-customer'],
  ])('%s is a 404 on every notes and tags route', async (_, caller, idOf) => {
    const customerId = idOf();
    expect((await notesOf(caller, customerId)).status).toBe(404);
    expect((await write(caller, customerId, 'hello')).status).toBe(404);
    expect((await remove(caller, customerId, 'any-note')).status).toBe(404);
    expect((await tag(caller, customerId, ['VIP'])).status).toBe(404);
  });

  it("admins are refused the store routes (403): notes and tags are a store's", async () => {
    expect((await notesOf(admin, ids.shared)).status).toBe(403);
    expect((await write(admin, ids.shared, 'hello')).status).toBe(403);
    expect((await tag(admin, ids.shared, ['VIP'])).status).toBe(403);
  });
});

describe('tags', () => {
  it('are normalised, shown to the store on the customer, and never to another store or an admin', async () => {
    const set = await tag(alice, ids.shared, ['VIP', ' bridal ', 'vip', 'Bridal']);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ customerId: ids.shared, storeId: 'north', tags: ['VIP', 'bridal'] });
    expect((await tag(sam, ids.shared, ['wholesale'])).body.tags).toEqual(['wholesale']);

    expect((await read(bob, ids.shared)).body.tags).toEqual(['VIP', 'bridal']);
    expect((await read(sam, ids.shared)).body.tags).toEqual(['wholesale']);
    const asAdmin = await read(admin, ids.shared);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body).not.toHaveProperty('tags');
    // A customer linked by outreach only: tags are kept (there is no conversation to copy them to).
    expect((await tag(maria, ids.northOnly, ['prospect'])).status).toBe(200);
    expect((await read(alice, ids.northOnly)).body.tags).toEqual(['prospect']);
    expect((await read(alice, ids.stranger)).status).toBe(404);
  });

  it('are a 400 naming the field: too many, too long, empty', async () => {
    const cases: [unknown, string][] = [
      [Array.from({ length: 21 }, (_, i) => `t${i}`), 'tags'],
      [['x'.repeat(41)], 'tags.0'],
      [['ok', ''], 'tags.1'],
      ['VIP', 'tags'],
    ];
    for (const [tags, field] of cases) {
      const res = await tag(alice, ids.shared, tags);
      expect(res.status, JSON.stringify(tags)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    expect((await read(alice, ids.shared)).body.tags).toEqual(['VIP', 'bridal']);
  });

  it("filter the store's inbox (either scope, ignoring case), copied onto the conversation", async () => {
    const assigned = await conversationsApi({
      routeKey: 'PUT /conversations/{conversationId}/assignee',
      pathParameters: { conversationId: conversationOf.north },
      body: { userId: 'alice' },
      caller: alice,
    });
    expect(assigned.status).toBe(200);
    for (const scope of ['store', 'mine']) {
      const vip = await inbox(alice, { scope, tag: 'vip' });
      expect(vip.items.map((c) => c.conversationId)).toEqual([conversationOf.north]);
      expect(vip.items[0]!.tags).toEqual(['VIP', 'bridal']);
      expect((await inbox(alice, { scope, tag: 'wholesale' })).items).toEqual([]);
    }
    expect((await inbox(sam, { scope: 'store', tag: 'VIP' })).items).toEqual([]);
    expect((await inbox(sam, { scope: 'store', tag: 'Wholesale' })).items.map((c) => c.conversationId)).toEqual([
      conversationOf.south,
    ]);
    const unfiltered = await inbox(alice, { scope: 'store' });
    expect(unfiltered.items.map((c) => c.conversationId)).toEqual([conversationOf.north]);

    // Cleared: the copy goes too.
    expect((await tag(alice, ids.shared, [])).body.tags).toEqual([]);
    expect((await inbox(alice, { scope: 'store', tag: 'vip' })).items).toEqual([]);
    expect((await read(alice, ids.shared)).body.tags).toEqual([]);
    expect((await conversations.getConversation(conversationOf.north))?.tags).toBeUndefined();
    expect((await tag(alice, ids.shared, ['VIP'])).status).toBe(200);
    expect((await conversations.getConversation(conversationOf.north))?.tags).toEqual(['VIP']);
  });

  it('a ?tag= over 40 characters is a 400 naming tag', async () => {
    const res = await conversationsApi({ routeKey: 'GET /inbox', query: { tag: 'x'.repeat(41) }, caller: alice });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['tag']);
  });
});

describe('erasure', () => {
  /** Every item of the table naming the customer's notes partition, or holding a note's text or a tag. */
  const holding = async (customerId: string) => {
    const out = await documentClient.send(new ScanCommand({ TableName: process.env.TABLE_NAME! }));
    return (out.Items ?? []).filter((item) => {
      const text = JSON.stringify(item);
      return String(item.pk).startsWith(`CUSTNOTES#${customerId}`) || /bought the blue coat|wholesale|"VIP"/.test(text);
    });
  };

  it("removes every store's notes and tags of the customer, and the copies on conversations", async () => {
    expect((await holding(ids.shared)).length).toBeGreaterThan(4);
    expect(
      (
        await customersApi({
          routeKey: 'DELETE /customers/{customerId}',
          pathParameters: { customerId: ids.shared },
          caller: admin,
        })
      ).status,
    ).toBe(202);
    await queues.drained();
    expect(await holding(ids.shared)).toEqual([]);
    expect((await notesOf(alice, ids.shared)).status).toBe(404);
    // The other customer's tags at north are untouched.
    expect((await read(alice, ids.northOnly)).body.tags).toEqual(['prospect']);
  });
});
