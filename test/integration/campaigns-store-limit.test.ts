/**
 * Hostile campaign files end in a final state: a file naming more distinct store ids than a
 * campaign holds is FAILED with the limit named, in a bounded number of DynamoDB requests; and
 * the import watchdog gives each stuck campaign a bounded share of its run, so one with the most
 * stores a campaign may have never keeps the others waiting (docs/rules.md, "Campaign CSV rules").
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { countRequests } from '../support/requests';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { lambdaContext, type Caller } from '../support/http-events';
import { CapturedQueue, drain, outreachItemCount, upload } from './campaigns-harness';

await useFreshTable('campaigns-stores');
const queue = new CapturedQueue();
const { handler: api } = await import('../../functions/campaigns/api.handler');
const { handler: importHandler } = await import('../../functions/campaigns/import.handler');
const { handler: writer } = await import('../../functions/campaigns/writer.handler');
const { watchImports } = await import('../../functions/campaigns/watch-imports');
const stores = await import('../../functions/stores/repository');
const { IMPORT_STALL_MINUTES } = await import('../../functions/campaigns/rules');
const { documentClient } = await import('../../functions/shared/clients');
const call = invoker(api);

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const HEADER = 'customer email,store id';
const CUSTOMERS = 60;
const emailOf = (i: number) => `customer${i}@example.com`;

/** `stores` rows, each a known customer at a store of its own: `store-0`, `store-1`, … */
const fileOfStores = (stores: number, prefix = 'store') =>
  [HEADER, ...Array.from({ length: stores }, (_, i) => `${emailOf(i % CUSTOMERS)},${prefix}-${i}`)].join('\n');

const campaign = async (campaignId: string) =>
  (await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })).body;

async function importDropped(name: string, csv: string): Promise<string> {
  const [outcome] = await importHandler(await upload(`incoming/${name}.csv`, csv), lambdaContext('import'));
  await drain(queue, writer);
  return outcome!.campaignId!;
}

/**
 * Runs `work` as if the end of every import were lost: chunks are written, but the finishing
 * counts see nothing and the final status write never lands, so the campaigns stay PROCESSING
 * with every chunk done and no list: what the watchdog must finish.
 */
async function withFinishLost<T>(work: () => Promise<T>): Promise<T> {
  const send = documentClient.send.bind(documentClient);
  const spy = vi.spyOn(documentClient, 'send').mockImplementation(async (command: any) => {
    const input = command.input ?? {};
    if (command.constructor.name === 'UpdateCommand' && String(input.UpdateExpression).includes('finishedAt'))
      return { $metadata: {} };
    if (command.constructor.name === 'QueryCommand' && input.Select === 'COUNT') return { Count: 0, $metadata: {} };
    return send(command);
  });
  try {
    return await work();
  } finally {
    spy.mockRestore();
  }
}

beforeAll(async () => {
  const now = new Date('2025-01-02T10:00:00Z');
  for (let i = 0; i < CUSTOMERS; i++) await stores.createCustomer({ email: emailOf(i) }, now);
});

afterEach(() => {
  vi.restoreAllMocks();
  queue.take();
});

describe('a file naming more distinct store ids than a campaign holds', () => {
  it('60,000 distinct store ids: FAILED naming the limit, nothing written, in a bounded number of requests', async () => {
    // Arrange
    const csv = fileOfStores(60_000);
    // Act
    const counted = await countRequests(() => importDropped('sixty-thousand-stores', csv));
    // Assert
    const details = await campaign(counted.result);
    expect(details.status).toBe('FAILED');
    expect(details.error).toMatch(
      /more than 2,000 distinct store ids \(the store id on line 2002 is one too many\); a campaign holds at most 2,000 stores/,
    );
    expect(details.stores).toEqual([]);
    expect(await outreachItemCount(counted.result, 'store-0')).toBe(0);
    // The refusal costs the campaign's creation, claim and failure, and whatever chunks were
    // already queued being dropped (a read each), never anything per store or per row.
    expect(counted.total).toBeLessThanOrEqual(10);
  });

  it('store ids that take more than 200,000 bytes together: FAILED naming the byte limit', async () => {
    const campaignId = await importDropped('long-store-ids', fileOfStores(700, 'x'.repeat(300)));
    expect(await campaign(campaignId)).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/store ids take more than 200,000 bytes together \(reached at line \d+\)/),
    });
  });
});

/**
 * Far more stores than one run's budget counts (about 8 COUNT queries a store), and few enough
 * that DynamoDB Local, at ~160 queries a second on a loaded machine, gets through them in a
 * minute or so: the full 2,000 took over 10 minutes under the whole suite.
 */
const LARGE = 240;

describe('the import watchdog with several stuck imports, one of them far larger than a run can finish', () => {
  it('finishes the small ones in its first run and the large one over the next runs, resuming its counts', async () => {
    // Arrange: the large import is the oldest, so a watchdog that gave it everything would starve the rest
    const { large, small } = await withFinishLost(async () => ({
      large: await importDropped('largest', fileOfStores(LARGE)),
      small: [
        await importDropped('small-a', fileOfStores(3, 'a')),
        await importDropped('small-b', fileOfStores(3, 'b')),
        await importDropped('small-c', fileOfStores(3, 'c')),
      ],
    }));
    for (const campaignId of [large, ...small]) expect((await campaign(campaignId)).status).toBe('PROCESSING');
    const stalledAt = new Date(Date.now() + (IMPORT_STALL_MINUTES + 1) * 60_000);
    const budgetMs = 300;

    // Act 1: a run whose deadline has passed starts nothing; all are the next run's
    expect(await watchImports(stalledAt, {}, Date.now(), budgetMs)).toEqual({
      stalled: 0,
      finished: 0,
      failed: 0,
      deferred: 4,
    });

    // Act 2: the first real run
    const first = await watchImports(stalledAt, {}, Date.now() + 60_000, budgetMs);

    // Assert: every small one finished beside the large one, which is left for the next run
    expect(first).toEqual({ stalled: 4, finished: 3, failed: 0, deferred: 1 });
    for (const campaignId of small)
      expect(await campaign(campaignId)).toMatchObject({ status: 'SUCCESSFUL', counts: { accepted: 3 } });
    let listed = (await campaign(large)).stores.length;
    expect((await campaign(large)).status).toBe('PROCESSING');
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThan(LARGE);

    // Act 3: later runs resume where the last one stopped, each adding lists, until it is done
    for (let run = 0; run < 200 && (await campaign(large)).status === 'PROCESSING'; run++) {
      const outcome = await watchImports(stalledAt, {}, Date.now() + 60_000, budgetMs);
      expect(outcome.stalled).toBe(1);
      const now = (await campaign(large)).stores.length;
      expect(now).toBeGreaterThan(listed);
      listed = now;
    }

    // Assert
    const details = await campaign(large);
    expect(details).toMatchObject({
      status: 'SUCCESSFUL',
      counts: { rows: LARGE, accepted: LARGE, rejected: 0, duplicates: 0 },
    });
    expect(details.stores).toHaveLength(LARGE);
    expect(await outreachItemCount(large, `store-${LARGE - 1}`)).toBe(1);
    expect(await watchImports(stalledAt, {}, Date.now() + 60_000, budgetMs)).toMatchObject({ stalled: 0, deferred: 0 });
  }, 600_000);
});
