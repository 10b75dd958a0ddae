/**
 * The WebSocket API's `$connect`/`$disconnect` handler against DynamoDB Local, with aws-jwt-verify
 * doing the real verification: tokens are signed with a test RSA key whose JWKS is handed to the
 * verifier, so signature, issuer, audience, expiry and token use are all checked as on AWS.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext, webSocketEvent } from '../../lib/lambda-events';
import { useFreshTable } from '../support/table';

await useFreshTable('events-ws');
const POOL = 'us-east-1_TestPool1';
const CLIENT = 'testclient123';
process.env.USER_POOL_ID = POOL;
process.env.USER_POOL_CLIENT_ID = CLIENT;
const { handler, verifier } = await import('../../functions/events/websocket.handler');
const connectionStore = await import('../../functions/events/repository/connections');
const context = lambdaContext({ functionName: 'WebSocketConnections' }) as Context;

const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idToken(claims: Record<string, unknown>, key: KeyObject = privateKey, kid = 'test-key'): string {
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: ISSUER, aud: CLIENT, token_use: 'id', iat: now, exp: now + 3600, auth_time: now, ...claims };
  const unsigned = `${b64({ alg: 'RS256', kid, typ: 'JWT' })}.${b64(body)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

const event = (routeKey: '$connect' | '$disconnect', connectionId: string, token?: string) =>
  webSocketEvent({
    routeKey,
    connectionId,
    ...(token === undefined ? {} : { queryStringParameters: { token } }),
  }) as unknown as Parameters<typeof handler>[0];

beforeAll(() => {
  verifier.cacheJwks({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }],
  } as never);
});

const associate = { sub: 'alice', 'cognito:groups': ['associate'], 'custom:store_id': 'nyc-5th' };

describe('$connect', () => {
  it('stores the connection of a valid ID token under its store', async () => {
    const answer = await handler(event('$connect', 'conn-ok', idToken(associate)), context);
    expect(answer.statusCode).toBe(200);
    expect(await connectionStore.connectionsOf({ storeId: 'nyc-5th' }, new Date())).toContain('conn-ok');
  });

  it.each([
    ['no token', undefined],
    ['not a JWT', 'garbage'],
    ['signed by another key', idToken(associate, other.privateKey)],
    ['expired', idToken({ ...associate, iat: 1_600_000_000, exp: 1_600_000_600 })],
    ['for another app client', idToken({ ...associate, aud: 'someone-else' })],
    [
      'from another user pool',
      idToken({ ...associate, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' }),
    ],
    ['an access token, not an ID token', idToken({ ...associate, token_use: 'access', client_id: CLIENT })],
  ])('refuses a token that is %s with 401 and stores nothing', async (_why, token) => {
    const id = `conn-bad-${Math.random().toString(36).slice(2)}`;
    const answer = await handler(event('$connect', id, token), context);
    expect(answer.statusCode).toBe(401);
    expect(await connectionStore.connectionsOf({ storeId: 'nyc-5th' }, new Date())).not.toContain(id);
  });

  it('refuses a store role without a store with 403', async () => {
    const answer = await handler(
      event('$connect', 'conn-nostore', idToken({ sub: 'bob', 'cognito:groups': ['associate'] })),
      context,
    );
    expect(answer.statusCode).toBe(403);
  });
});

describe('$disconnect', () => {
  it('removes the connection', async () => {
    await handler(event('$connect', 'conn-bye', idToken(associate)), context);
    expect(await connectionStore.connectionsOf({ storeId: 'nyc-5th' }, new Date())).toContain('conn-bye');

    expect((await handler(event('$disconnect', 'conn-bye'), context)).statusCode).toBe(200);

    expect(await connectionStore.connectionsOf({ storeId: 'nyc-5th' }, new Date())).not.toContain('conn-bye');
  });
});
