/**
 * A campaign's import progress over DynamoDB Local (docs/rules.md, "Campaign CSV rules",
 * Progress): `uploadedAt` is null until the file arrives; while PROCESSING, `progress.rowsRead`
 * appears mid-file (recorded on the import's clock, one write per interval) and
 * `progress.rowsWritten` follows the chunk writers; a progress write that comes after the end
 * changes nothing. The file is streamed to the import by the test, so it can look between rows.
 */
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_BUCKETS } from '../support/buckets';
import { type Caller, lambdaContext } from '../support/http-events';
import { invoker } from '../support/invoke';
import { countRequests } from '../support/requests';
import { useFreshTable } from '../support/table';
import { CapturedQueue, drain, sqsEvent } from './campaigns-harness';

await useFreshTable('campaigns-progress');
const queue = new CapturedQueue();
const call = invoker((await import('../../functions/campaigns/api.handler')).handler);
const { handler: writer } = await import('../../functions/campaigns/writer.handler');
const { importObject } = await import('../../functions/campaigns/importer');
const { recordRowsRead, stalledImports } = await import('../../functions/campaigns/repository');
const stores = await import('../../functions/stores/repository');

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const HEADER = 'customer email,store id';
const CUSTOMERS = 10;
const ROWS = 4_000;
const EVERY_MS = 5_000;
/** Row i: one of 10 customers at one of 4 stores (20 distinct pairs, the rest duplicates). */
const rowOf = (i: number) => `progress${i % CUSTOMERS}@example.com,s${i % 4}\n`;
const rowsText = (from: number, to: number) => {
  let text = '';
  for (let i = from; i < to; i++) text += rowOf(i);
  return Buffer.from(text);
};

const campaign = async (campaignId: string) =>
  (await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })).body;

/** Polls the campaign until `ready` holds (the import runs on while the test's file waits). */
async function campaignWhen(campaignId: string, ready: (body: any) => boolean): Promise<any> {
  for (let tries = 0; tries < 200; tries++) {
    const body = await campaign(campaignId);
    if (ready(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`campaign ${campaignId} never got there: ${JSON.stringify(await campaign(campaignId))}`);
}

beforeAll(async () => {
  const now = new Date('2025-01-02T10:00:00Z');
  for (let i = 0; i < CUSTOMERS; i++)
    await stores.createCustomer({ email: `progress${i}@example.com`, firstName: `P${i}` }, now);
});

describe('the progress of a campaign import', () => {
  it('shows uploadedAt null before the file, rowsRead mid-file, rowsWritten as chunks are written, then the result', async () => {
    // Arrange: a campaign from POST /campaigns, its file not uploaded yet
    const created = await call({ routeKey: 'POST /campaigns', body: { name: 'Progress' }, caller: admin });
    const { campaignId } = created.body;
    const beforeFile = await campaign(campaignId);
    let time = Date.parse('2025-01-02T10:00:00Z');
    let midFile: any;
    let linesSentAtMidFile = 0;
    async function* file() {
      yield Buffer.from(`${HEADER}\n`);
      for (let from = 0; from < 1_500; from += 100) yield rowsText(from, from + 100);
      time += EVERY_MS + 1_000; // the rows from here on are read 6 s after the import started
      for (let from = 1_500; from < 3_000; from += 100) yield rowsText(from, from + 100);
      linesSentAtMidFile = 3_000;
      midFile = await campaignWhen(campaignId, (body) => body.progress?.rowsRead > 0);
      yield rowsText(3_000, ROWS);
    }

    // Act: the import reads the file; then the writers take one chunk, then the rest
    const { result: outcome, calls } = await countRequests(() =>
      importObject(
        { bucket: TEST_BUCKETS.uploads, key: `campaigns/${campaignId}.csv`, eTag: '"progress"' },
        new Date(time),
        {
          open: async () => Readable.from(file(), { objectMode: false }),
          isErasureRewrite: async () => false,
          clock: () => new Date(time),
          progressEveryMs: EVERY_MS,
        },
      ),
    );
    const fileRead = await campaign(campaignId);
    const [first, ...rest] = queue.take();
    await writer(sqsEvent([first!]), lambdaContext('writer'));
    const oneChunkWritten = await campaign(campaignId);
    queue.messages.push(...rest);
    await drain(queue, writer);
    const finished = await campaign(campaignId);
    const listed = (await call({ routeKey: 'GET /campaigns', caller: admin })).body.items;

    // Assert
    expect(beforeFile).toMatchObject({
      status: 'PROCESSING',
      uploadedAt: null,
      progress: { rowsRead: 0, rowsWritten: 0 },
    });
    expect(outcome).toMatchObject({ outcome: 'queued', rows: ROWS });
    expect(outcome.chunks).toBeGreaterThan(1);
    expect(midFile.status).toBe('PROCESSING');
    expect(midFile.uploadedAt).toBe('2025-01-02T10:00:00.000Z');
    expect(midFile.progress.rowsRead).toBeGreaterThan(0);
    expect(midFile.progress.rowsRead).toBeLessThanOrEqual(linesSentAtMidFile);
    expect(midFile.progress.rowsWritten).toBe(0);
    // One progress write for the one interval that passed, never one per row
    expect(calls.filter((c) => c.startsWith('UpdateItem CAMPAIGN'))).toHaveLength(3); // claim, rows read, chunk total
    expect(fileRead.progress).toEqual({ rowsRead: ROWS, rowsWritten: 0 });
    expect(oneChunkWritten).toMatchObject({
      status: 'PROCESSING',
      progress: { rowsRead: ROWS, rowsWritten: JSON.parse(first!.body).rows.length },
    });
    expect(oneChunkWritten.progress.rowsWritten).toBeGreaterThan(0);
    expect(finished).toMatchObject({
      status: 'SUCCESSFUL',
      uploadedAt: '2025-01-02T10:00:00.000Z',
      counts: { rows: ROWS, accepted: 20, rejected: 0, duplicates: ROWS - 20 },
    });
    expect(finished.progress).toBeUndefined();
    expect(Object.keys(listed.find((item: any) => item.campaignId === campaignId)).sort()).toEqual(
      ['campaignId', 'counts', 'createdAt', 'enabled', 'name', 'status'].sort(),
    );
  });

  it('never lets a late progress write touch a finished campaign', async () => {
    // Arrange: a small file imported to the end
    const created = await call({ routeKey: 'POST /campaigns', body: { name: 'Late write' }, caller: admin });
    const { campaignId } = created.body;
    await importObject(
      { bucket: TEST_BUCKETS.uploads, key: `campaigns/${campaignId}.csv`, eTag: '"late"' },
      new Date('2025-01-02T10:00:00Z'),
      { open: async () => Readable.from([Buffer.from(`${HEADER}\n${rowOf(1)}`)]), isErasureRewrite: async () => false },
    );
    await drain(queue, writer);
    const before = await campaign(campaignId);

    // Act: a progress write that lost the race with the final status
    const written = await recordRowsRead(campaignId, 999, new Date('2025-01-02T10:00:30Z'));

    // Assert
    expect(before.status).toBe('SUCCESSFUL');
    expect(written).toBe(false);
    expect(await campaign(campaignId)).toEqual(before);
    expect(await stalledImports(new Date('2030-01-01T00:00:00Z'))).not.toContain(campaignId);
  });
});
