/** The local stack's emulation rules: tokens and the authorizer's claim form, route selection, v2 payload rules, S3 keys, schedules (the queues: local-queues.test.ts; grants: local-grants.test.ts). */
import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute, answerFromResult } from '../../lib/local/http-api';
import type { FunctionSpec, RouteSpec } from '../../lib/function-spec';
import { encodeS3EventKey, isTextContentType } from '../../lib/lambda-events';
import { parseScheduleTime, scheduledEvent } from '../../lib/local/schedules';
import { authorizerClaims, mintToken, verifyToken } from '../../lib/local/tokens';

const key = Buffer.alloc(32, 7);

describe('local tokens', () => {
  it('verifies a token it minted and carries the Cognito claims', () => {
    const token = mintToken(key, { role: 'associate', storeId: 'nyc-5th', userId: 'u1' });

    const verified = verifyToken(key, token);

    expect(verified.ok && verified.claims).toMatchObject({
      sub: 'u1',
      'custom:store_id': 'nyc-5th',
      'cognito:groups': ['associate'],
    });
  });

  it.each([
    ['an expired token', mintToken(key, { role: 'manager', storeId: 's', userId: 'u', ttlSeconds: -1 }), 'expired'],
    [
      'a token signed with another key',
      mintToken(Buffer.alloc(32, 9), { role: 'manager', storeId: 's', userId: 'u' }),
      'bad signature',
    ],
    [
      'a token whose claims were edited',
      tamper(mintToken(key, { role: 'associate', storeId: 's', userId: 'u' })),
      'bad signature',
    ],
    ['something that is not a JWT', 'garbage', 'not a JWT'],
  ])('refuses %s', (_, token, reason) => {
    expect(verifyToken(key, token)).toEqual({ ok: false, reason });
  });

  it('refuses to mint a store role without a store', () => {
    expect(() => mintToken(key, { role: 'associate', userId: 'u' })).toThrow(/store/);
  });

  it('hands claims over as API Gateway does: strings, arrays as [a b]', () => {
    expect(authorizerClaims({ sub: 'u', 'cognito:groups': ['associate', 'manager'], exp: 1700000000 })).toEqual({
      sub: 'u',
      'cognito:groups': '[associate manager]',
      exp: '1700000000',
    });
  });
});

function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  claims['cognito:groups'] = ['clienteling-admin'];
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('HTTP API route selection', () => {
  const fn = { id: 'F', entry: 'x', capability: 'stores', description: '', uses: {} } as FunctionSpec;
  const route = (method: RouteSpec['method'], path: string) => ({ method, path, auth: 'jwt' as const, fn });
  const routes = compileRoutes([
    route('GET', '/stores/{storeId}'),
    route('GET', '/stores/{storeId}/outreach-lists'),
    route('GET', '/c/{token}'),
    route('GET', '/customers/{id}'),
    route('POST', '/customers/batch'),
  ]);

  it.each([
    ['GET', '/stores/nyc-5th', 'GET /stores/{storeId}', { storeId: 'nyc-5th' }],
    ['GET', '/stores/nyc-5th/outreach-lists', 'GET /stores/{storeId}/outreach-lists', { storeId: 'nyc-5th' }],
    ['GET', '/c/a%20b', 'GET /c/{token}', { token: 'a b' }],
    ['POST', '/customers/batch', 'POST /customers/batch', {}],
  ])('%s %s selects %s', (method, path, expected, params) => {
    const match = matchRoute(routes, method, path);

    expect(match?.compiled.routeKey).toBe(expected);
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['an unknown path', 'GET', '/nope'],
    ['a known path with another method', 'DELETE', '/stores/nyc-5th'],
    ['an empty path parameter', 'GET', '/stores/'],
  ])('finds no route for %s', (_, method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });

  it('prefers a literal segment over a parameter', () => {
    const both = compileRoutes([route('GET', '/customers/{id}'), route('GET', '/customers/batch')]);

    expect(matchRoute(both, 'GET', '/customers/batch')?.compiled.routeKey).toBe('GET /customers/batch');
  });
});

describe('payload format 2.0', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['text/csv', true],
    ['application/x-www-form-urlencoded', false],
    ['application/octet-stream', false],
    [undefined, false],
  ])('a %s body arrives as text: %s', (contentType, text) => {
    expect(isTextContentType(contentType)).toBe(text);
  });

  it('answers a bare result as JSON 200', () => {
    const answer = answerFromResult({ hello: 'world' });

    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(JSON.parse(answer.body.toString())).toEqual({ hello: 'world' });
  });

  it('decodes a base64 body and turns cookies into set-cookie', () => {
    const answer = answerFromResult({
      statusCode: 201,
      body: Buffer.from('png').toString('base64'),
      isBase64Encoded: true,
      cookies: ['a=1', 'b=2'],
    });

    expect(answer.statusCode).toBe(201);
    expect(answer.body.toString()).toBe('png');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('treats an invalid status code as a function failure', () => {
    expect(() => answerFromResult({ statusCode: 'ok' })).toThrow(/statusCode/);
  });
});

describe('S3 event keys', () => {
  it.each([
    ['incoming/list.csv', 'incoming/list.csv'],
    ['incoming/my list (1).csv', 'incoming/my+list+%281%29.csv'],
    ['incoming/a+b&c=d.csv', 'incoming/a%2Bb%26c%3Dd.csv'],
    ['incoming/café.csv', 'incoming/caf%C3%A9.csv'],
  ])('spells %s as %s', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
  });

  it('decodes back to the stored key the way handlers must', () => {
    const key = 'incoming/Spring sale + VIP (2025).csv';

    expect(decodeURIComponent(encodeS3EventKey(key).replace(/\+/g, ' '))).toBe(key);
  });
});

describe('schedules', () => {
  it.each([['2025-03-30T01:00:00Z'], ['2025-03-30T01:00:00.250Z'], ['2025-03-30T06:30:00+05:30']])(
    'accepts %s',
    (time) => {
      expect(parseScheduleTime(time)).toBeInstanceOf(Date);
    },
  );

  it.each([['yesterday'], ['2025-03-30'], ['2025-03-30T01:00:00'], ['2025-13-40T01:00:00Z'], [42]])(
    'refuses %s',
    (time) => {
      expect(parseScheduleTime(time)).toBeUndefined();
    },
  );

  it('builds the EventBridge Scheduled Event with the given time', () => {
    const event = scheduledEvent('cart-sweeper', new Date('2025-03-30T01:00:00Z'));

    expect(event).toMatchObject({
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2025-03-30T01:00:00Z',
      detail: {},
    });
    expect(event.resources[0]).toMatch(/:rule\/cart-sweeper$/);
  });
});
