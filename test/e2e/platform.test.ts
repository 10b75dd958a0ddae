/** The local stack as a client sees it: the gateway's own answers, the authorizer, local schedules, S3 and drop-folder triggers, the outbox. */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { apiClient } from '../support/api-client';
import {
  api,
  baseUrl,
  drain,
  dropFile,
  eventually,
  invocations,
  outbox,
  runSchedule,
  s3Client,
  tokenFor,
  uploadsBucket,
} from '../support/e2e';
import { mintToken } from '../../lib/local/tokens';
import { OPENAPI_FILE } from '../../lib/openapi/files';

const s3 = s3Client();
afterAll(() => s3.destroy());

const admin = () => api(tokenFor({ role: 'clienteling-admin', userId: 'platform-admin' }));

describe('the HTTP API gateway', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const res = await admin().get('/no-such-route');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('answers a known path with a method it does not serve with 404, as HTTP APIs do', async () => {
    const res = await admin().delete('/stores/nyc-5th');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it.each([
    ['no token', undefined],
    ['a garbage token', 'garbage'],
    ['an expired token', tokenFor({ role: 'clienteling-admin', userId: 'late', ttlSeconds: -60 })],
    [
      'a token signed with another key',
      mintToken(Buffer.alloc(32, 1), { role: 'clienteling-admin', userId: 'forger' }),
    ],
  ])('refuses a JWT route with %s: 401 problem+json, and the function never runs', async (_, token) => {
    const storeId = `unauth-${randomUUID()}`;

    const res = await apiClient(token).GET('/stores/{storeId}', { params: { path: { storeId } } });

    expect(res.response.status).toBe(401);
    expect(res.response.headers.get('content-type')).toBe('application/problem+json');
    expect(res.error).toMatchObject({ status: 401 });
    expect((await invocations()).filter((i) => i.subject.includes(storeId))).toEqual([]);
  });

  it("passes a valid token through to the route's function", async () => {
    const storeId = `missing-${randomUUID()}`;

    const res = await apiClient(tokenFor({ role: 'clienteling-admin', userId: 'platform-admin' })).GET(
      '/stores/{storeId}',
      { params: { path: { storeId } } },
    );

    expect(res.response.status).toBe(404);
    expect(res.error?.detail).not.toMatch(/No route/);
    expect(res.response.headers.get('apigw-requestid')).toBeTruthy();
    expect((await invocations()).filter((i) => i.subject === `GET /stores/${storeId}`)).toMatchObject([
      { functionId: 'StoresApi', trigger: 'http' },
    ]);
  });
});

describe('the API description', () => {
  it("serves GET /openapi.json without a token: the committed document with the stack's own address first, through its manifest function", async () => {
    const res = await apiClient().GET('/openapi.json');

    const committed = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'));
    const { servers, ...served } = res.data as typeof committed;
    const { servers: committedServers, ...rest } = committed;
    expect(res.response.status).toBe(200);
    expect(served).toEqual(rest);
    expect(servers[0].url).toBe(baseUrl());
    expect(servers.slice(1)).toEqual(committedServers.filter((server: { url: string }) => server.url !== baseUrl()));
    expect((await invocations()).filter((i) => i.subject === 'GET /openapi.json').at(-1)).toMatchObject({
      functionId: 'ApiDescription',
      trigger: 'http',
    });
  });
});

describe('local schedules', () => {
  it('answers 404 for a schedule name the manifest does not have', async () => {
    const res = await runSchedule('no-such-schedule', '2025-03-30T01:00:00Z');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
  });

  it.each([['yesterday'], ['2025-03-30'], ['2025-03-30T01:00:00']])('answers 400 for the time %s', async (time) => {
    const res = await runSchedule('cart-sweeper', time);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400 });
  });

  it("fires the schedule's function once with the given time", async () => {
    // A time no other run uses, so the invocation found is this one.
    const time = new Date(Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1e9) * 1000)
      .toISOString()
      .replace('.000Z', 'Z');

    await runSchedule('cart-sweeper', time);

    expect((await invocations()).filter((i) => i.subject === `cart-sweeper @ ${time}`)).toMatchObject([
      { functionId: 'CartSweeper', trigger: 'schedule' },
    ]);
  });
});

describe('S3 triggers', () => {
  it("invokes the manifest's import function for an object put under incoming/", async () => {
    const key = `incoming/platform ${randomUUID()} (1).csv`;

    await s3.send(
      new PutObjectCommand({
        Bucket: uploadsBucket(),
        Key: key,
        Body: 'customer email,store id\n',
        ContentType: 'text/csv',
      }),
    );
    await drain();

    const runs = (await invocations()).filter((i) => i.subject === `s3://${uploadsBucket()}/${key}`);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((i) => i.functionId === 'CampaignImport' && i.trigger === 's3')).toBe(true);
  });

  it('invokes nothing for an object outside the trigger prefixes', async () => {
    const key = `elsewhere/${randomUUID()}.csv`;

    await s3.send(new PutObjectCommand({ Bucket: uploadsBucket(), Key: key, Body: 'x' }));
    await drain();

    expect((await invocations()).filter((i) => i.subject.includes(key))).toEqual([]);
  });
});

describe('s3rver under the stack', () => {
  it('pages ListObjectsV2 with continuation tokens (needs node --openssl-legacy-provider)', async () => {
    const prefix = `paging-${randomUUID()}/`;
    for (const name of ['a', 'b', 'c'])
      await s3.send(new PutObjectCommand({ Bucket: uploadsBucket(), Key: prefix + name, Body: name }));

    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: uploadsBucket(), Prefix: prefix, MaxKeys: 1, ContinuationToken: token }),
      );
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      token = page.NextContinuationToken;
    } while (token);

    expect(keys).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
  });
});

describe('the drop folder', () => {
  it('uploads a dropped file to incoming/<name>, which starts the import, and moves it aside', async () => {
    const name = `dropped-${randomUUID()}.csv`;

    dropFile(name, 'customer email,store id\nsomeone@example.com,nyc-5th\n');
    const run = await eventually(async () =>
      (await invocations()).find((i) => i.subject === `s3://${uploadsBucket()}/incoming/${name}`),
    );

    expect(run.functionId).toBe('CampaignImport');
    // The file is moved aside once S3 has acknowledged the upload; the trigger can run before
    // that acknowledgement reaches the drop folder, so the move is awaited, not assumed.
    const dropDir = inject('localDropDir');
    const moved = await eventually(async () => readdirSync(join(dropDir, 'imported')).find((f) => f.endsWith(name)));
    expect(moved).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(existsSync(join(dropDir, name))).toBe(false);
  });
});

describe('the Twilio outbox', () => {
  it('serves the outbox as a JSON array', async () => {
    expect(Array.isArray(await outbox())).toBe(true);
  });
});
