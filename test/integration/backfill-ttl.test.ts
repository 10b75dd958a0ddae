/**
 * `npm run backfill-ttl`'s work against DynamoDB Local: report markers that carry their expiry
 * in `expiresAt` only get `ttl`; everything else is left as it was; a second run writes nothing;
 * an interrupted run resumes from its last progress. New markers carry `ttl` themselves.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countRequests } from '../support/requests';
import { useFreshTable } from '../support/table';

const tableName = await useFreshTable('backfill');
const { backfillTtl, writeBudget } = await import('../../functions/reports/backfill-ttl');
const { countOnce, EVENT_MARKER_SECONDS } = await import('../../functions/reports/repository/counters');
const { documentClient } = await import('../../functions/shared/clients');
const { BatchWriteCommand, GetCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');

const get = async (pk: string, sk: string) =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;

const MARKERS = 30;
const expiresAt = (i: number) => 1_790_000_000 + i;

describe('backfill-ttl', () => {
  it('sets ttl from expiresAt on the markers without it, leaves every other item, and writes nothing the second time', async () => {
    const markers = Array.from({ length: MARKERS }, (_, i) => ({
      pk: `REPORTEVENT#out:m-${i}`,
      sk: 'EVENT',
      type: 'reportEvent',
      at: '2026-01-01T00:00:00.000Z',
      expiresAt: expiresAt(i),
    }));
    const others = [
      // A marker that has its ttl already (a different value, so a rewrite would show).
      { pk: 'REPORTEVENT#out:has-ttl', sk: 'EVENT', type: 'reportEvent', expiresAt: 1_790_000_000, ttl: 42 },
      // A cart: its expiresAt is an ISO time, beside its own ttl; a link-like item with no ttl at all.
      { pk: 'CART#c-1', sk: 'DAY#2026-01-02T05:00:00.000Z', expiresAt: '2026-01-02T05:00:00.000Z', ttl: 1_767_330_000 },
      { pk: 'CARTLINK#x', sk: 'CARTLINK', expiresAt: '2026-01-02T05:00:00.000Z' },
      { pk: 'STORE#s-1', sk: 'STORE', name: 'No expiry' },
    ];
    await documentClient.send(
      new BatchWriteCommand({
        RequestItems: { [tableName]: [...markers, ...others].slice(0, 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    await documentClient.send(
      new BatchWriteCommand({
        RequestItems: { [tableName]: [...markers, ...others].slice(25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );

    const progress: number[] = [];
    const first = await backfillTtl({
      tableName,
      segments: 3,
      maxWritesPerSecond: 10_000,
      pageSize: 4,
      onProgress: (p) => {
        progress.push(p.updated);
      },
    });

    expect(first).toMatchObject({ matched: MARKERS, updated: MARKERS, skipped: 0, cursors: ['done', 'done', 'done'] });
    expect(progress.length).toBeGreaterThan(3);
    for (const [i, marker] of markers.entries())
      expect(await get(marker.pk, marker.sk)).toEqual({ ...marker, ttl: expiresAt(i) });
    for (const other of others) expect(await get(other.pk, other.sk)).toEqual(other);

    const second = await countRequests(() => backfillTtl({ tableName, segments: 3, maxWritesPerSecond: 10_000 }));
    expect(second.result).toMatchObject({ matched: 0, updated: 0, skipped: 0 });
    expect(second.byCommand).toEqual({ Scan: 3 });
  }, 180_000); // ~70 requests paced one by one: slow only on a loaded machine

  it('resumes an interrupted run from its last progress', async () => {
    const prefix = `REPORTEVENT#in:${randomUUID()}`;
    const items = Array.from({ length: 10 }, (_, i) => ({
      pk: `${prefix}-${i}`,
      sk: 'EVENT',
      expiresAt: 1_800_000_000 + i,
    }));
    await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    let last: Parameters<NonNullable<Parameters<typeof backfillTtl>[0]['onProgress']>>[0] | undefined;
    await expect(
      backfillTtl({
        tableName,
        segments: 1,
        maxWritesPerSecond: 10_000,
        pageSize: 3,
        onProgress: (p) => {
          last = structuredClone(p);
          if (p.updated >= 3) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    // Progress comes after each scan page (3 items evaluated), and where these random keys fall
    // among the table's other items decides how many a page holds: at least 3 done, not all 10.
    const doneBefore = last!.updated;
    expect(doneBefore).toBeGreaterThanOrEqual(3);
    expect(doneBefore).toBeLessThan(10);
    expect(last!.cursors[0]).not.toBe('done');

    const resumed = await countRequests(() =>
      backfillTtl({ tableName, segments: 1, maxWritesPerSecond: 10_000, pageSize: 3, resume: last }),
    );
    expect(resumed.result).toMatchObject({ matched: 10, updated: 10, skipped: 0, cursors: ['done'] });
    // Only those left, and none done before: a resumed run does not scan from the start.
    expect(resumed.byCommand.UpdateItem).toBe(10 - doneBefore);
    for (const item of items) expect(await get(item.pk, item.sk)).toMatchObject({ ttl: item.expiresAt });
  });

  it('leaves an item given a ttl between the scan and the write (skipped)', async () => {
    const prefix = `REPORTEVENT#pay:${randomUUID()}`;
    const items = Array.from({ length: 3 }, (_, i) => ({
      pk: `${prefix}-${i}`,
      sk: 'EVENT',
      expiresAt: 1_810_000_000 + i,
    }));
    await documentClient.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    let raced = false;
    const run = await backfillTtl({
      tableName,
      segments: 1,
      maxWritesPerSecond: 1,
      // A frozen clock: every write after the first waits, and while the first wait lasts, another writer sets ttl.
      now: () => 0,
      sleep: async () => {
        if (raced) return;
        raced = true;
        for (const item of items)
          await documentClient.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET #ttl = :ttl',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: { ':ttl': 7 },
            }),
          );
      },
    });
    expect(run).toMatchObject({ matched: 3, updated: 1, skipped: 2 });
    for (const item of items) expect(await get(item.pk, item.sk)).toMatchObject({ ttl: 7 });
  });

  it('spaces writes to the budget across every caller', async () => {
    let clock = 0;
    const waits: number[] = [];
    const acquire = writeBudget(
      4,
      () => clock,
      async (ms) => {
        waits.push(ms);
      },
    );
    await Promise.all(Array.from({ length: 5 }, () => acquire()));
    expect(waits).toEqual([250, 500, 750, 1000]);
    clock = 5_000;
    await acquire();
    expect(waits).toHaveLength(4);
    expect(() => writeBudget(0)).toThrow();
  });
});

describe('report markers', () => {
  it('carry ttl, epoch seconds 35 days ahead, and no expiresAt', async () => {
    const now = new Date('2026-04-01T12:00:00Z');
    const event = `out:${randomUUID()}`;
    expect(await countOnce(event, [], now)).toBe('counted');
    const marker = await get(`REPORTEVENT#${event}`, 'EVENT');
    expect(marker).toMatchObject({ type: 'reportEvent', ttl: now.getTime() / 1000 + EVENT_MARKER_SECONDS });
    expect(marker).not.toHaveProperty('expiresAt');
  });
});
