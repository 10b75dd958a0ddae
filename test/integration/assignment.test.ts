/**
 * Assignment (docs/rules.md, "Assignment") through the conversations and stores handlers against
 * DynamoDB Local: who may assign whom, staff recorded by requests, the first associate who sends
 * taking an unassigned conversation (once, however many send at once), and My Inbox following.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../support/http-events';
import { invoker } from '../support/invoke';
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
