/**
 * Assignment (docs/rules.md, "Assignment") through the conversations and stores handlers against
 * DynamoDB Local: who may assign whom, staff recorded by requests, the first associate who sends
 * taking an unassigned conversation (once, however many send at once), My Inbox following, and
 * the unassigned queue: customers waiting for an answer in unassigned conversations, oldest first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/http-events';
import { invoker } from '../support/invoke';
import { customerWrites } from '../support/inbound';
import { useFreshTable } from '../support/table';

await useFreshTable('assignment');
const call = invoker((await import('../../functions/conversations/api.handler')).handler);
const stores = invoker((await import('../../functions/stores/api.handler')).handler);
const { putStore, createCustomer } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');

const ana: Caller = { userId: 'ana', role: 'associate', storeId: 'sea' };
const ben: Caller = { userId: 'ben', role: 'associate', storeId: 'sea' };
const max: Caller = { userId: 'max', role: 'manager', storeId: 'sea' };
const other: Caller = { userId: 'oli', role: 'associate', storeId: 'pdx' };

let phone = 0;
async function conversation(): Promise<string> {
  const p = `+1206555${(1000 + ++phone).toString()}`;
  const { customer } = await createCustomer({ email: `${p.slice(1)}@example.test`, phone: p }, new Date());
  return (await repository.openConversation({ storeId: 'sea', customer, now: new Date() })).conversation.conversationId;
}
/** The customer answered YES (the ledger's keyword entry), so messages may go. */
const optIn = async (id: string) =>
  repository.changeOptIn(
    (await repository.getConversation(id))!,
    { type: 'keyword', kind: 'opt-in' },
    { source: 'KEYWORD', messageSid: `SM${id.replaceAll('-', '')}`, at: new Date() },
  );
const assign = (conversationId: string, caller: Caller, userId: string | null) =>
  call({
    routeKey: 'PUT /conversations/{conversationId}/assignee',
    pathParameters: { conversationId },
    body: { userId },
    caller,
  });
const mine = async (caller: Caller) =>
  (await call({ routeKey: 'GET /inbox', query: { scope: 'mine' }, caller })).body.items.map(
    (c: { conversationId: string }) => c.conversationId,
  );

beforeAll(async () => {
  for (const [id, number] of [
    ['sea', '+12065550100'],
    ['pdx', '+15035550100'],
  ] as const)
    await putStore(
      id,
      {
        name: id,
        timezone: 'America/Los_Angeles',
        country: 'US',
        phoneNumber: number,
        currency: 'USD',
        quietHours: null,
      },
      new Date(),
    );
  // Each one's first request records them as staff of their store.
  for (const caller of [ana, ben, max, other]) await mine(caller);
});

describe('staff', () => {
  it("lists the store's users who made a request, with their role, and not another store's", async () => {
    const answer = await stores({
      routeKey: 'GET /stores/{storeId}/staff',
      pathParameters: { storeId: 'sea' },
      caller: ana,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((s: { userId: string; role: string }) => [s.userId, s.role])).toEqual([
      ['ana', 'associate'],
      ['ben', 'associate'],
      ['max', 'manager'],
    ]);
    const theirs = await stores({
      routeKey: 'GET /stores/{storeId}/staff',
      pathParameters: { storeId: 'sea' },
      caller: other,
    });
    expect(theirs.status).toBe(403);
  });
});

describe('who may assign', () => {
  it('lets an associate take an unassigned conversation and hand it to a colleague, and nothing else', async () => {
    const id = await conversation();
    expect((await assign(id, ana, 'ben')).status).toBe(403); // unassigned: only for themselves
    expect((await assign(id, ana, 'ana')).body).toMatchObject({ assignee: 'ana' });
    expect((await assign(id, ben, 'ben')).status).toBe(403); // ana's now
    expect((await assign(id, ana, null)).status).toBe(403); // an associate does not unassign
    expect((await assign(id, ana, 'ben')).body).toMatchObject({ assignee: 'ben' });
    expect(await mine(ana)).not.toContain(id);
    expect(await mine(ben)).toContain(id);
  });

  it('lets a manager assign anyone of the staff or unassign, and refuses someone who is not staff', async () => {
    const id = await conversation();
    expect((await assign(id, max, 'ana')).body).toMatchObject({ assignee: 'ana' });
    expect((await assign(id, max, null)).body).toMatchObject({ assignee: null });
    expect(await mine(ana)).not.toContain(id);
    const stranger = await assign(id, max, 'oli'); // staff of another store
    expect(stranger.status).toBe(422);
    expect(stranger.body.type).toContain('unknown-staff');
  });

  it("answers 404 for another store's conversation", async () => {
    const id = await conversation();
    expect((await assign(id, other, 'oli')).status).toBe(404);
  });
});

describe('the first associate who sends', () => {
  it('takes an unassigned conversation once, however many send at once', async () => {
    const id = await conversation();
    await optIn(id);
    const associates: Caller[] = Array.from({ length: 10 }, (_, i) => ({
      userId: `rush-${i}`,
      role: 'associate',
      storeId: 'sea',
    }));
    const sends = await Promise.all(
      associates.map((caller) =>
        call({
          routeKey: 'POST /conversations/{conversationId}/messages',
          pathParameters: { conversationId: id },
          body: { text: `I can help (${caller.userId})` },
          caller,
        }),
      ),
    );
    expect(sends.map((s) => s.status)).toEqual(sends.map(() => 201));
    const { assignee } = (await repository.getConversation(id))!;
    expect(associates.map((a) => a.userId)).toContain(assignee);
    const inboxes = await Promise.all(associates.map(mine));
    expect(inboxes.filter((ids) => ids.includes(id))).toHaveLength(1);
  });

  it('does not take it from its assignee, and a manager who sends takes nothing', async () => {
    const id = await conversation();
    await optIn(id);
    const send = (caller: Caller) =>
      call({
        routeKey: 'POST /conversations/{conversationId}/messages',
        pathParameters: { conversationId: id },
        body: { text: 'hello' },
        caller,
      });
    expect((await send(max)).status).toBe(201);
    expect((await repository.getConversation(id))?.assignee).toBeNull();
    await send(ana);
    await send(ben);
    expect((await repository.getConversation(id))?.assignee).toBe('ana');
  });
});

describe('the unassigned queue', () => {
  const queue = async (caller: Caller = max, query: Record<string, string> = {}) =>
    (await call({ routeKey: 'GET /inbox', query: { scope: 'unassigned', ...query }, caller })).body;
  const idsOf = (page: { items: { conversationId: string }[] }) => page.items.map((c) => c.conversationId);
  const send = (id: string, caller: Caller, text = 'On it') =>
    call({
      routeKey: 'POST /conversations/{conversationId}/messages',
      pathParameters: { conversationId: id },
      body: { text },
      caller,
    });
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 9, minutes));

  it('holds unassigned conversations whose customer waits, the longest waiting first, and a second message keeps the place', async () => {
    const [late, early, quiet] = [await conversation(), await conversation(), await conversation()];
    await customerWrites(late, 'Do you have it in blue?', at(20));
    await customerWrites(early, 'Is my order ready?', at(10));
    await customerWrites(early, 'Hello?', at(30));

    const page = await queue();

    const ids = idsOf(page);
    expect(ids.indexOf(early)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late));
    expect(ids).not.toContain(quiet);
    const item = page.items.find((c: { conversationId: string }) => c.conversationId === early);
    expect(item).toMatchObject({ assignee: null, unread: 2, lastMessage: { direction: 'inbound', text: 'Hello?' } });
    // Associates see it too: it is where they take conversations from.
    expect(idsOf(await queue(ana))).toContain(early);
    expect(idsOf(await queue(other))).not.toContain(early);
  });

  it('lets go of a conversation its customer got an answer in, or that an associate took, and not for a HELP reply', async () => {
    const [answered, taken, helped] = [await conversation(), await conversation(), await conversation()];
    for (const id of [answered, taken, helped]) {
      await optIn(id);
      await customerWrites(id, 'Anyone there?');
    }
    expect(idsOf(await queue())).toEqual(expect.arrayContaining([answered, taken, helped]));

    expect((await send(answered, max)).status).toBe(201);
    expect((await send(taken, ben)).status).toBe(201);
    const conversationHelped = (await repository.getConversation(helped))!;
    await repository.recordMessage(
      helped,
      {
        messageId: repository.newMessageId(new Date()),
        conversationId: helped,
        direction: 'outbound',
        kind: 'sms',
        text: 'Our hours are 10-6.',
        media: [],
        sentBy: 'system:help',
        status: 'queued',
        createdAt: new Date().toISOString(),
      },
      { current: conversationHelped },
    );

    const ids = idsOf(await queue());
    expect(ids).not.toContain(answered);
    expect(ids).not.toContain(taken);
    expect(ids).toContain(helped);
    expect(await mine(ben)).toContain(taken);
    expect((await repository.getConversation(answered))?.waitingSince).toBeUndefined();
  });

  it('takes a conversation back, at its customer’s place, when a manager unassigns it while they wait', async () => {
    const id = await conversation();
    await customerWrites(id, 'Can you hold it for me?', at(1));
    expect((await assign(id, ana, 'ana')).status).toBe(200);
    expect(idsOf(await queue())).not.toContain(id);
    await customerWrites(id, 'Still there?', at(40));

    expect((await assign(id, max, null)).status).toBe(200);

    const ids = idsOf(await queue());
    expect(ids).toContain(id);
    expect((await repository.getConversation(id))?.waitingSince).toBe(at(1).toISOString());
    expect(await mine(ana)).not.toContain(id);
  });

  it('pages with a signed cursor, in order', async () => {
    const all = idsOf(await queue(max, { limit: '200' }));
    expect(all.length).toBeGreaterThan(3);
    const first = await queue(max, { limit: '2' });
    const second = await queue(max, { limit: '2', cursor: first.nextCursor });
    expect([...idsOf(first), ...idsOf(second)]).toEqual(all.slice(0, 4));
  });
});
