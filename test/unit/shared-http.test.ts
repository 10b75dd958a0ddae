import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../functions/shared/errors';
import { decodeCursor, encodeCursor } from '../../functions/shared/pagination';
import { canAccessStore, parseGroups, principalFromClaims, requireRole } from '../../functions/shared/principal';
import { toProblem } from '../../functions/shared/problem';
import { Id } from '../../functions/shared/validation';

describe('groups claim', () => {
  it.each([
    ['[associate manager]', ['associate', 'manager']],
    ['[clienteling-admin]', ['clienteling-admin']],
    ['["associate","manager"]', ['associate', 'manager']],
    [['manager'], ['manager']],
    ['associate', ['associate']],
    [undefined, []],
  ])('reads %j as %j', (claim, groups) => {
    expect(parseGroups(claim)).toEqual(groups);
  });
});

describe('principal', () => {
  it('is unauthorized without a subject', () => {
    expect(() => principalFromClaims({})).toThrow(/subject/);
  });

  it('lets a store user see only their store and an admin every store', () => {
    const associate = principalFromClaims({ sub: 'u1', 'cognito:groups': '[associate]', 'custom:store_id': 's1' });
    const admin = principalFromClaims({ sub: 'a1', 'cognito:groups': '[clienteling-admin]' });
    expect(canAccessStore(associate, 's1')).toBe(true);
    expect(canAccessStore(associate, 's2')).toBe(false);
    expect(canAccessStore(admin, 's2')).toBe(true);
  });

  it('refuses a role that is not allowed with a 403', () => {
    const associate = principalFromClaims({ sub: 'u1', 'cognito:groups': '[associate]', 'custom:store_id': 's1' });
    expect(() => requireRole(associate, ['clienteling-admin'])).toThrow(ForbiddenError);
  });

  it('ignores groups that are not clienteling roles', () => {
    expect(principalFromClaims({ sub: 'u1', 'cognito:groups': '[superuser]' }).roles).toEqual([]);
  });
});

describe('cursor', () => {
  const key = { pk: 'CUSTSEARCH#ad', sk: 'ada#1' };
  const LIST = 'search\nad';
  const payloadOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  /** A cursor signed with `secret` for `list`, as one made with a leaked or guessed key would be. */
  const signedWith = (secret: string, list: string, value: unknown) => {
    const payload = payloadOf(value);
    return createHmac('sha256', secret).update(`cursor/1\n${list}\n${payload}`).digest('base64url') + payload;
  };

  async function expectRefused(cursor: string, list = LIST) {
    const error = await decodeCursor(cursor, list, { pk: key.pk }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]).toMatchObject({ in: 'query', field: 'cursor' });
  }

  it('round-trips the key it encoded', async () => {
    expect(await decodeCursor((await encodeCursor(LIST, key))!, LIST, { pk: key.pk })).toEqual(key);
  });

  it('refuses a cursor from another slice of the same partition', async () => {
    const rejection = { pk: 'CAMPAIGN#1', sk: 'REJECTION#00000012' };
    const cursor = (await encodeCursor(LIST, rejection))!;
    expect(await decodeCursor(cursor, LIST, { pk: 'CAMPAIGN#1' }, { sk: 'REJECTION#' })).toEqual(rejection);
    const chunkMarker = (await encodeCursor(LIST, { pk: 'CAMPAIGN#1', sk: 'CHUNK#0001' }))!;
    await expect(decodeCursor(chunkMarker, LIST, { pk: 'CAMPAIGN#1' }, { sk: 'REJECTION#' })).rejects.toThrow(
      ValidationError,
    );
  });

  it('refuses a cursor of another list, though its key is in the partition read', async () => {
    await expectRefused((await encodeCursor('search\nzz', key))!);
  });

  it.each([
    ['garbage', 'not base64 json'],
    ['an unsigned key (the old format)', payloadOf(key)],
    ['a key signed with another secret', signedWith('guessed', LIST, key)],
    ['the signature alone', signedWith('local-cursor-key', LIST, key).slice(0, 43)],
    ['a signed cursor cut short', signedWith('local-cursor-key', LIST, key).slice(0, -2)],
    ['a signed array', signedWith('local-cursor-key', LIST, [1, 2])],
    ['a signed key of the wrong shape', signedWith('local-cursor-key', LIST, { pk: { S: 'x' } })],
    // Even signed, a sort key DynamoDB would refuse (over 1,024 bytes) is never one of ours.
    ['a signed over-long key', signedWith('local-cursor-key', LIST, { pk: key.pk, sk: 'é'.repeat(513) })],
  ])('rejects %s with a 400 naming the cursor', async (_, cursor) => {
    await expectRefused(cursor);
  });

  it('refuses every cursor with one character of it changed', async () => {
    const cursor = (await encodeCursor(LIST, key))!;
    for (let at = 0; at < cursor.length; at++) {
      const changed = cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
      await expectRefused(changed);
    }
  });
});

describe('the id schema', () => {
  it.each([
    ['a UUID', randomUUID(), true],
    ['128 characters', 'a'.repeat(128), true],
    ['letters of any script and emoji', 'café-東京-😀', true],
    ['129 characters', 'a'.repeat(129), false],
    ['nothing', '', false],
    ['a NUL', 'a\u0000', false],
    ['a tab', 'a\tb', false],
    ['a C1 control (NEL)', 'a\u0085', false],
    ['half a surrogate pair', 'a\ud800', false],
  ])('%s: accepted %s', (_, id, accepted) => {
    expect(Id.safeParse(id).success).toBe(accepted);
  });
});

describe('problem+json', () => {
  it('turns a domain error into its status and stable type', () => {
    expect(toProblem(new NotFoundError('no such store'), 'req-1')).toMatchObject({
      status: 404,
      type: expect.stringMatching(/not-found$/),
      detail: 'no such store',
    });
  });

  it('hides the internals of an unexpected error behind a 500 that quotes the request id', () => {
    const problem = toProblem(new Error('password=hunter2 at db.ts:12'), 'req-2');
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(problem.detail).toContain('req-2');
  });
});

describe('the $default route', () => {
  it('answers a path no route matches with a 404 problem naming the path', async () => {
    const { handler } = await import('../../functions/shared/unknown-route.handler');
    const { invoker } = await import('../support/invoke');
    const res = await invoker(handler)({ routeKey: '$default', path: '/no/such/thing' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({
      status: 404,
      instance: '/no/such/thing',
      detail: expect.stringContaining('/no/such/thing'),
    });
  });
});

describe('loggablePath', () => {
  it.each([
    ['/c/AbC_-123', '/c/{token}', 'a share link loses its token'],
    ['/api/c/AbC/receipt', '/api/c/{token}/receipt', 'under a base path, and with more after it'],
    ['/_local/pay/AbC', '/_local/pay/{token}', "the local payment page's link too"],
    ['/customers?query=ada%40example.com', '/customers?…', 'a query string (a search, a WebSocket token) is cut'],
    ['/conversations/c1/cart', '/conversations/c1/cart', 'other paths stay as they are'],
  ])('%s → %s (%s)', async (path, expected) => {
    const { loggablePath } = await import('../../functions/shared/log-redaction');
    expect(loggablePath(path)).toBe(expected);
  });
});
