/** The local stack's emulation rules: tokens and the authorizer's claim form, route selection, v2 payload rules, S3 keys, the queue's redrive. */
import { describe, expect, it } from 'vitest';
import { compileRoutes, matchRoute, answerFromResult } from '../../lib/local/http-api';
import type { FunctionSpec, RouteSpec } from '../../lib/function-spec';
import { encodeS3EventKey, isTextContentType, md5OfMessageAttributes } from '../../lib/lambda-events';
import { parseScheduleTime, scheduledEvent } from '../../lib/local/schedules';
import { LocalQueue } from '../../lib/local/sqs-shim';
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

describe('the local import queue', () => {
  it('computes MD5OfMessageAttributes as SQS does', () => {
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
  });

  it('retries only the items a partial batch response names, then dead-letters them after maxReceives', async () => {
    const deadLettered: string[] = [];
    const receives: Record<string, string[]> = {};
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const dlq = new LocalQueue('http://q/dlq', {
      name: 'dlq',
      maxReceives: 1,
      retryDelayMs: 1,
      concurrency: 1,
      consumer: {
        batchSize: 10,
        invoke: async (event) => {
          deadLettered.push(...event.Records.map((r) => r.body));
          settle();
        },
      },
    });
    const queue = new LocalQueue('http://q/main', {
      name: 'main',
      maxReceives: 3,
      retryDelayMs: 1,
      concurrency: 1,
      deadLetters: dlq,
      consumer: {
        batchSize: 2,
        invoke: async (event) => {
          for (const r of event.Records)
            receives[r.body] = [...(receives[r.body] ?? []), r.attributes.ApproximateReceiveCount];
          return {
            batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({
              itemIdentifier: r.messageId,
            })),
          };
        },
      },
    });

    queue.send({ body: 'good' });
    queue.send({ body: 'bad' });
    await done;

    expect(receives).toEqual({ good: ['1'], bad: ['1', '2', '3'] });
    expect(deadLettered).toEqual(['bad']);
  });

  it('fails the whole batch when the consumer throws', async () => {
    const batches: string[][] = [];
    const deadLettered: string[] = [];
    let settle!: () => void;
    const done = new Promise<void>((r) => (settle = r));
    const dlq = new LocalQueue('http://q/dlq', {
      name: 'dlq',
      maxReceives: 1,
      retryDelayMs: 1,
      concurrency: 1,
      consumer: {
        batchSize: 10,
        invoke: async (event) => {
          deadLettered.push(...event.Records.map((r) => r.body));
          if (deadLettered.length === 2) settle();
        },
      },
    });
    const queue = new LocalQueue('http://q/main', {
      name: 'main',
      maxReceives: 2,
      retryDelayMs: 1,
      concurrency: 1,
      deadLetters: dlq,
      consumer: {
        batchSize: 2,
        invoke: async (event) => {
          batches.push(event.Records.map((r) => r.body));
          throw new Error('boom');
        },
      },
    });

    queue.send({ body: 'a' });
    queue.send({ body: 'b' });
    await done;

    expect(batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
    expect(deadLettered.sort()).toEqual(['a', 'b']);
  });
});

describe('the local FIFO queue', () => {
  /** A FIFO queue whose consumer records each batch and fails the bodies in `failOnce` the first time it sees them. */
  function fifo(options: { failOnce?: string[]; batchSize?: number; concurrency?: number } = {}) {
    const batches: string[][] = [];
    const failed = new Set<string>();
    let inFlightGroups = 0;
    let maxParallelSameGroup = 0;
    const queue = new LocalQueue('http://q/in.fifo', {
      name: 'in.fifo',
      fifo: true,
      maxReceives: 5,
      retryDelayMs: 5,
      concurrency: options.concurrency ?? 4,
      consumer: {
        batchSize: options.batchSize ?? 10,
        invoke: async (event) => {
          const groups = new Set(event.Records.map((r) => r.attributes.MessageGroupId));
          if (groups.has('g1')) maxParallelSameGroup = Math.max(maxParallelSameGroup, ++inFlightGroups);
          batches.push(event.Records.map((r) => r.body));
          await new Promise((r) => setTimeout(r, 2));
          if (groups.has('g1')) inFlightGroups--;
          // As Powertools' FIFO processor does: from the first failure on, the rest of the batch fails too.
          const firstFailure = event.Records.findIndex(
            (r) => (options.failOnce ?? []).includes(r.body) && !failed.has(r.body),
          );
          if (firstFailure < 0) return { batchItemFailures: [] };
          failed.add(event.Records[firstFailure]!.body);
          return { batchItemFailures: event.Records.slice(firstFailure).map((r) => ({ itemIdentifier: r.messageId })) };
        },
      },
    });
    const idle = () =>
      new Promise<void>((resolve) => {
        const check = () => (queue.busy() ? setTimeout(check, 5) : resolve());
        check();
      });
    return { queue, batches, idle, maxParallel: () => maxParallelSameGroup };
  }

  it('delivers a group in order, one batch of a group at a time, and keeps order across a retry', async () => {
    const { queue, batches, idle, maxParallel } = fifo({ failOnce: ['g1-2'], batchSize: 3 });
    for (let i = 0; i < 6; i++) queue.send({ body: `g1-${i}`, groupId: 'g1', deduplicationId: `d${i}` });

    await idle();

    const delivered = batches.flat().filter((b) => b.startsWith('g1-'));
    const lastSeen = (body: string) => delivered.lastIndexOf(body);
    const order = ['g1-0', 'g1-1', 'g1-2', 'g1-3', 'g1-4', 'g1-5'];
    expect(order.map(lastSeen)).toEqual([...order.map(lastSeen)].sort((a, b) => a - b));
    expect(maxParallel()).toBe(1);
  });

  it('drops a deduplication id seen within five minutes and answers with the first message id', () => {
    const { queue } = fifo();
    const first = queue.send({ body: 'x', groupId: 'g', deduplicationId: 'SM1' });
    const again = queue.send({ body: 'x', groupId: 'g', deduplicationId: 'SM1' });
    expect(again.MessageId).toBe(first.MessageId);
    expect(first.SequenceNumber).toMatch(/^\d{20}$/);
  });

  it('refuses a FIFO send without a group id, and a group id on a standard queue', () => {
    const { queue } = fifo();
    const standard = new LocalQueue('http://q/std', { name: 'std', maxReceives: 1, retryDelayMs: 1, concurrency: 1 });
    expect(() => queue.send({ body: 'x', deduplicationId: 'a' })).toThrow(/MessageGroupId/);
    expect(() => standard.send({ body: 'x', groupId: 'g' })).toThrow(/MessageGroupId/);
  });
});

describe('grants in the local runtime', () => {
  it("refuses a binding the function's `uses` does not grant, as AWS would by not setting it", async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LambdaRuntime, UngrantedBindingError } = await import('../../lib/local/lambda-runtime');
    const dir = mkdtempSync(join(tmpdir(), 'grants-'));
    const config = join(process.cwd(), 'functions/shared/config.ts');
    writeFileSync(
      join(dir, 'reads-table.handler.ts'),
      `import { loadConfig } from ${JSON.stringify(config)};\nexport const handler = async () => loadConfig('table').table;\n`,
    );
    process.env.TABLE_NAME = 'granted-table';
    const runtime = new LambdaRuntime(dir);
    const spec = (uses: object) =>
      ({
        id: 'ReadsTable',
        capability: 'platform',
        entry: 'reads-table.handler.ts',
        description: 'test',
        uses,
      }) as never;

    await expect(runtime.invoke(spec({}), 'http', 'test', {})).rejects.toBeInstanceOf(UngrantedBindingError);
    await expect(runtime.invoke(spec({ table: 'read' }), 'http', 'test', {})).resolves.toBe('granted-table');
  });

  it('hides an ungranted variable from a direct process.env read too, and only while that function runs', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { LambdaRuntime } = await import('../../lib/local/lambda-runtime');
    const dir = mkdtempSync(join(tmpdir(), 'grants-'));
    writeFileSync(
      join(dir, 'reads-env.handler.ts'),
      `export const handler = async () => [process.env.UPLOADS_BUCKET ?? null, 'UPLOADS_BUCKET' in process.env, Object.keys(process.env).includes('UPLOADS_BUCKET'), process.env.AWS_REGION ?? null];\n`,
    );
    process.env.UPLOADS_BUCKET = 'the-uploads';
    process.env.AWS_REGION = 'us-east-1';
    const runtime = new LambdaRuntime(dir);
    const spec = (uses: object) =>
      ({ id: 'ReadsEnv', capability: 'platform', entry: 'reads-env.handler.ts', description: 'test', uses }) as never;

    await expect(runtime.invoke(spec({ table: 'read' }), 'http', 'test', {})).resolves.toEqual([
      null,
      false,
      false,
      'us-east-1',
    ]);
    await expect(runtime.invoke(spec({ uploads: 'read' }), 'http', 'test', {})).resolves.toEqual([
      'the-uploads',
      true,
      true,
      'us-east-1',
    ]);
    expect(process.env.UPLOADS_BUCKET).toBe('the-uploads');
  });

  it('fails a real manifest function whose entry lacks a grant its code needs (the import watchdog without its table)', async () => {
    const { FUNCTIONS } = await import('../../lib/functions');
    const { scheduledEvent: scheduled } = await import('../../lib/lambda-events');
    const { LambdaRuntime, UngrantedBindingError } = await import('../../lib/local/lambda-runtime');
    const watchdog = (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.id === 'ImportWatchdog')!;
    const { table: _table, ...withoutTable } = watchdog.uses;
    process.env.TABLE_NAME = 'granted-table';
    const runtime = new LambdaRuntime(process.cwd());

    await expect(
      runtime.invoke({ ...watchdog, uses: withoutTable }, 'schedule', 'test', scheduled('import-watchdog', new Date())),
    ).rejects.toBeInstanceOf(UngrantedBindingError);
  });
});
