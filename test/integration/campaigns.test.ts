import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { lambdaContext, type Caller } from '../support/http-events';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { IMPORT_QUEUE_MAX_RECEIVES } from '../../lib/functions';
import {
  CapturedQueue,
  drain,
  outreachItemCount,
  s3Client,
  s3EventFor,
  upload,
  type QueuedMessage,
} from './campaigns-harness';

const tableName = await useFreshTable('campaigns');
const queue = new CapturedQueue();
const { handler: api } = await import('../../functions/campaigns/api.handler');
const { handler: importHandler } = await import('../../functions/campaigns/import.handler');
const { handler: writer } = await import('../../functions/campaigns/writer.handler');
const { handler: watchdog } = await import('../../functions/campaigns/watchdog.handler');
const { writerHooks } = await import('../../functions/campaigns/write-chunk');
const { markContacted } = await import('../../functions/campaigns/outreach');
const stores = await import('../../functions/stores/repository');
const { IMPORT_STALL_MINUTES } = await import('../../functions/campaigns/rules');
const { documentClient } = await import('../../functions/shared/clients');
const { logger } = await import('../../functions/shared/logger');
const call = invoker(api);

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const nycAssociate: Caller = { userId: 'assoc-1', role: 'associate', storeId: 'nyc' };
const laManager: Caller = { userId: 'mgr-1', role: 'manager', storeId: 'la' };

const HEADER = 'customer email,store id';
const customerIds = new Map<string, string>();
const emailOf = (i: number) => `customer${i}@example.com`;

async function importEvent(event: Awaited<ReturnType<typeof upload>>) {
  return importHandler(event, lambdaContext('import'));
}
const campaign = async (campaignId: string) =>
  (await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })).body;

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const watchdogAt = async (time: Date) =>
  watchdog(
    {
      version: '0',
      id: 'w',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '1',
      time: time.toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: {},
    },
    lambdaContext('watchdog'),
  );

/** Uploads a drop-folder file, imports it, drains the queue; returns the campaign id. */
async function importDropped(
  name: string,
  csv: string,
  order?: (m: QueuedMessage[]) => QueuedMessage[],
): Promise<string> {
  const [outcome] = await importEvent(await upload(`incoming/${name}.csv`, csv));
  await drain(queue, writer, order);
  return outcome!.campaignId!;
}

beforeAll(async () => {
  const now = new Date('2025-01-02T10:00:00Z');
  await stores.putStore(
    'nyc',
    { name: 'NYC', timezone: 'America/New_York', country: 'US', phoneNumber: '+12125550100', currency: 'USD' },
    now,
  );
  await stores.putStore(
    'la',
    { name: 'LA', timezone: 'America/Los_Angeles', country: 'US', phoneNumber: '+13105550100', currency: 'USD' },
    now,
  );
  for (let i = 0; i < 60; i++) {
    const out = await stores.createCustomer({ email: emailOf(i), firstName: `First${i}`, lastName: `Last${i}` }, now);
    customerIds.set(emailOf(i), out.customer.customerId);
  }
});

afterEach(() => {
  writerHooks.afterItemsWritten = async () => undefined;
  vi.restoreAllMocks();
  queue.take();
  queue.deadLetters.splice(0);
});

describe('a campaign dropped under incoming/', () => {
  const file = [
    `\uFEFF Customer Email , Store ID `, // 1 header with BOM, spaces, case
    `${emailOf(0)},nyc`, // 2 accepted
    `${emailOf(1).toUpperCase()},nyc`, // 3 accepted (case-insensitive)
    ``, // 4 blank
    `${emailOf(0)},nyc`, // 5 duplicate
    `nobody@example.com,nyc`, // 6 UNKNOWN_CUSTOMER
    `not-an-email,la`, // 7 INVALID_EMAIL
    `${emailOf(2)},`, // 8 MISSING_STORE_ID
    `${emailOf(3)},la,extra`, // 9 MALFORMED_ROW
    `"${emailOf(4)}","la"`, // 10 accepted, quoted
    `${emailOf(5)},typo-store`, // 11 accepted, unknown store
    `${emailOf(0)},la`, // 12 accepted (same customer, another store)
  ].join('\r\n');
  let campaignId: string;

  beforeAll(async () => {
    campaignId = await importDropped('Holidays 2024', file);
  });

  it('is named after the file and ends PARTIALLY_SUCCESSFUL, disabled, with every row accounted for', async () => {
    const details = await campaign(campaignId);
    expect(details).toMatchObject({
      campaignId,
      name: 'Holidays 2024',
      status: 'PARTIALLY_SUCCESSFUL',
      enabled: false,
      counts: { rows: 10, accepted: 5, rejected: 4, duplicates: 1 },
    });
    expect(details.counts.rows).toBe(details.counts.accepted + details.counts.rejected + details.counts.duplicates);
  });

  it('counts customers per store and flags store ids no store has', async () => {
    const details = await campaign(campaignId);
    expect(details.stores).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ storeId: 'nyc', customers: 2, knownStore: true }),
        expect.objectContaining({ storeId: 'la', customers: 2, knownStore: true }),
        expect.objectContaining({ storeId: 'typo-store', customers: 1, knownStore: false }),
      ]),
    );
    expect(details.stores).toHaveLength(3);
  });

  it('pages the rejections in line order with the reasons of the CSV rules (docs/rules.md)', async () => {
    const first = await call({
      routeKey: 'GET /campaigns/{campaignId}/rejections',
      pathParameters: { campaignId },
      query: { limit: '3' },
      caller: admin,
    });
    const second = await call({
      routeKey: 'GET /campaigns/{campaignId}/rejections',
      pathParameters: { campaignId },
      query: { limit: '3', cursor: first.body.nextCursor },
      caller: admin,
    });
    expect([...first.body.items, ...second.body.items]).toEqual([
      { line: 6, email: 'nobody@example.com', storeId: 'nyc', reason: 'UNKNOWN_CUSTOMER' },
      { line: 7, email: 'not-an-email', storeId: 'la', reason: 'INVALID_EMAIL' },
      { line: 8, email: emailOf(2), storeId: '', reason: 'MISSING_STORE_ID' },
      { line: 9, email: emailOf(3), storeId: 'la', reason: 'MALFORMED_ROW' },
    ]);
  });

  it('answers a tampered rejections cursor with 400', async () => {
    const cursor = Buffer.from(JSON.stringify({ pk: 'CAMPAIGN#other', sk: 'REJECTION#1' })).toString('base64url');
    const res = await call({
      routeKey: 'GET /campaigns/{campaignId}/rejections',
      pathParameters: { campaignId },
      query: { cursor },
      caller: admin,
    });
    expect(res.status).toBe(400);
  });

  it('shows no list to the store while disabled, then the list once enabled, then none once disabled again', async () => {
    const lists = () =>
      call({
        routeKey: 'GET /stores/{storeId}/outreach-lists',
        pathParameters: { storeId: 'nyc' },
        caller: nycAssociate,
      });
    expect((await lists()).body.items.find((l: any) => l.campaignId === campaignId)).toBeUndefined();

    expect(
      (await call({ routeKey: 'POST /campaigns/{campaignId}/enable', pathParameters: { campaignId }, caller: admin }))
        .status,
    ).toBe(200);
    expect((await lists()).body.items).toContainEqual({
      campaignId,
      name: 'Holidays 2024',
      customers: 2,
      contacted: 0,
    });

    expect(
      (await call({ routeKey: 'POST /campaigns/{campaignId}/disable', pathParameters: { campaignId }, caller: admin }))
        .status,
    ).toBe(200);
    expect((await lists()).body.items.find((l: any) => l.campaignId === campaignId)).toBeUndefined();
  });

  it("pages a store's list with names, across shards, and marks contacted once", async () => {
    await call({ routeKey: 'POST /campaigns/{campaignId}/enable', pathParameters: { campaignId }, caller: admin });
    const page = (cursor?: string) =>
      call({
        routeKey: 'GET /stores/{storeId}/outreach-lists/{campaignId}',
        pathParameters: { storeId: 'nyc', campaignId },
        query: { limit: '1', ...(cursor ? { cursor } : {}) },
        caller: nycAssociate,
      });
    const first = await page();
    const second = await page(first.body.nextCursor);
    const entries = [...first.body.items, ...second.body.items];
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          customerId: customerIds.get(emailOf(0)),
          email: emailOf(0),
          firstName: 'First0',
          lastName: 'Last0',
          contacted: false,
        },
        {
          customerId: customerIds.get(emailOf(1)),
          email: emailOf(1),
          firstName: 'First1',
          lastName: 'Last1',
          contacted: false,
        },
      ]),
    );

    await markContacted({ storeId: 'nyc', customerId: customerIds.get(emailOf(0))!, at: new Date() });
    await markContacted({ storeId: 'nyc', customerId: customerIds.get(emailOf(0))!, at: new Date() });

    const lists = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists',
      pathParameters: { storeId: 'nyc' },
      caller: nycAssociate,
    });
    expect(lists.body.items).toContainEqual({ campaignId, name: 'Holidays 2024', customers: 2, contacted: 1 });
    const all = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists/{campaignId}',
      pathParameters: { storeId: 'nyc', campaignId },
      caller: admin,
    });
    expect(all.body.items.find((e: any) => e.email === emailOf(0)).contacted).toBe(true);
    expect(all.body.nextCursor).toBeNull();
  });

  it('answers a tampered outreach cursor with 400', async () => {
    const cursor = Buffer.from(JSON.stringify({ shard: 99 })).toString('base64url');
    const res = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists/{campaignId}',
      pathParameters: { storeId: 'nyc', campaignId },
      query: { cursor },
      caller: admin,
    });
    expect(res.status).toBe(400);
  });

  it("refuses another store's user with 403 and lets an admin see any store", async () => {
    const other = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists',
      pathParameters: { storeId: 'nyc' },
      caller: laManager,
    });
    const asAdmin = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists',
      pathParameters: { storeId: 'la' },
      caller: admin,
    });
    expect(other.status).toBe(403);
    expect(asAdmin.status).toBe(200);
  });

  it('keeps every campaign route for admins (403 for store users)', async () => {
    const routes = [
      { routeKey: 'POST /campaigns', body: { name: 'x' } },
      { routeKey: 'GET /campaigns' },
      { routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId } },
      { routeKey: 'GET /campaigns/{campaignId}/rejections', pathParameters: { campaignId } },
      { routeKey: 'POST /campaigns/{campaignId}/enable', pathParameters: { campaignId } },
      { routeKey: 'POST /campaigns/{campaignId}/disable', pathParameters: { campaignId } },
      { routeKey: 'DELETE /campaigns/{campaignId}', pathParameters: { campaignId } },
    ];
    for (const route of routes)
      expect((await call({ ...route, caller: nycAssociate })).status, route.routeKey).toBe(403);
  });
});

describe('a campaign created with POST /campaigns and uploaded to the presigned URL', () => {
  it('imports the upload into that campaign, lists it newest first, and can be deleted once', async () => {
    // Arrange
    const created = await call({ routeKey: 'POST /campaigns', body: { name: 'Re-engage' }, caller: admin });
    expect(created.status).toBe(201);
    const { campaignId, upload: target } = created.body;
    expect(target.method).toBe('PUT');
    expect((await campaign(campaignId)).status).toBe('PROCESSING');
    const enableEarly = await call({
      routeKey: 'POST /campaigns/{campaignId}/enable',
      pathParameters: { campaignId },
      caller: admin,
    });

    // Act: the browser's PUT, then the S3 event it raises
    const csv = `${HEADER}\n${emailOf(10)},la\n${emailOf(11)},la\n`;
    const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: csv });
    const eTag = put.headers.get('etag') ?? '';
    const { s3EventFor } = await import('./campaigns-harness');
    await importHandler(s3EventFor(`campaigns/${campaignId}.csv`, eTag), lambdaContext('import'));
    await drain(queue, writer);

    // Assert
    expect(enableEarly.status).toBe(409);
    expect(put.status).toBe(200);
    expect(await campaign(campaignId)).toMatchObject({
      name: 'Re-engage',
      status: 'SUCCESSFUL',
      counts: { rows: 2, accepted: 2, rejected: 0, duplicates: 0 },
    });
    const listing = await call({ routeKey: 'GET /campaigns', caller: admin });
    expect(listing.body.items[0]).toMatchObject({
      campaignId,
      name: 'Re-engage',
      status: 'SUCCESSFUL',
      enabled: false,
    });

    // Delete: lists gone at once, entries purged in the background, a second delete is 404
    await call({ routeKey: 'POST /campaigns/{campaignId}/enable', pathParameters: { campaignId }, caller: admin });
    const deleted = await call({
      routeKey: 'DELETE /campaigns/{campaignId}',
      pathParameters: { campaignId },
      caller: admin,
    });
    const laLists = await call({
      routeKey: 'GET /stores/{storeId}/outreach-lists',
      pathParameters: { storeId: 'la' },
      caller: laManager,
    });
    expect(deleted.status).toBe(204);
    expect(laLists.body.items.find((l: any) => l.campaignId === campaignId)).toBeUndefined();
    expect(
      (await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })).status,
    ).toBe(404);
    expect(await outreachItemCount(campaignId, 'la')).toBe(2);
    await drain(queue, writer);
    expect(await outreachItemCount(campaignId, 'la')).toBe(0);
    expect(
      (await call({ routeKey: 'DELETE /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin }))
        .status,
    ).toBe(404);
  });
});

describe('files that fail', () => {
  it.each([
    [
      'swapped columns',
      'store id,customer email\nnyc,a@example.com\n',
      /"customer email", "store id".*found "store id", "customer email"/,
    ],
    ['a third column', `${HEADER},name\n${emailOf(0)},nyc,Ann\n`, /found "customer email", "store id", "name"/],
    ['an empty file', '', /empty/],
    ['a header only', `${HEADER}\n\n`, /no data rows/],
    ['a binary file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), /not text/],
  ])(
    '%s: FAILED with the reason, nothing queued or written, and a warning that says so',
    async (_name, content, error) => {
      const warnings = vi.spyOn(logger, 'warn');
      // Act
      const [outcome] = await importEvent(await upload(`incoming/bad-${_name}.csv`, content));
      // Assert
      const details = await campaign(outcome!.campaignId!);
      expect(details.status).toBe('FAILED');
      expect(details.error).toMatch(error);
      expect(warnings).toHaveBeenCalledWith('campaign import FAILED: the file was refused', {
        campaignId: outcome!.campaignId,
        key: `incoming/bad-${_name}.csv`,
        reason: details.error,
      });
      expect(queue.messages).toHaveLength(0);
      expect(details.stores).toEqual([]);
      const enable = await call({
        routeKey: 'POST /campaigns/{campaignId}/enable',
        pathParameters: { campaignId: outcome!.campaignId! },
        caller: admin,
      });
      expect(enable.status).toBe(409);
    },
  );

  it('every row rejected: FAILED, with the rejections listed', async () => {
    const campaignId = await importDropped('all-bad', `${HEADER}\nnobody@example.com,nyc\nbad,nyc\n`);
    const details = await campaign(campaignId);
    expect(details).toMatchObject({ status: 'FAILED', counts: { rows: 2, accepted: 0, rejected: 2, duplicates: 0 } });
    expect(details.error).toMatch(/No row was accepted/);
  });
});

/** 2,500 rows over 60 customers and 2 stores (plus unknowns): 3 chunks, with duplicates across chunks. */
function bigFile(): {
  csv: string;
  expected: { rows: number; accepted: number; rejected: number; duplicates: number };
} {
  const lines = [HEADER];
  for (let i = 0; i < 2500; i++)
    lines.push(i % 25 === 0 ? `unknown${i}@example.com,nyc` : `${emailOf(i % 60)},${i % 2 === 0 ? 'nyc' : 'la'}`);
  // i%60 and i%2 share parity, so each customer goes to one store: 60 distinct pairs; every 25th row is unknown (100).
  return { csv: lines.join('\n'), expected: { rows: 2500, accepted: 60, rejected: 100, duplicates: 2500 - 100 - 60 } };
}

describe('at-least-once delivery', () => {
  it('counts duplicates across chunks, whatever order the chunks finish in', async () => {
    const { csv, expected } = bigFile();
    const campaignId = await importDropped('reverse-order', csv, (waiting) => [...waiting].reverse());
    expect((await campaign(campaignId)).counts).toEqual(expected);
  });

  it('spreads rejections over shards and still pages all of them once, in line order, across chunks', async () => {
    // Arrange: 100 rejections (every 25th line) spread over 3 chunks and 8 shards
    const { csv } = bigFile();
    const campaignId = await importDropped('paged-rejections', csv, (waiting) => [...waiting].reverse());
    // Act
    const lines: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await call({
        routeKey: 'GET /campaigns/{campaignId}/rejections',
        pathParameters: { campaignId },
        query: { limit: '7', ...(cursor ? { cursor } : {}) },
        caller: admin,
      });
      expect(page.status).toBe(200);
      lines.push(...page.body.items.map((r: { line: number }) => r.line));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    // Assert: line i+2 holds data row i; every 25th row is unknown
    expect(lines).toEqual(Array.from({ length: 100 }, (_, k) => k * 25 + 2));
  });

  it('the same S3 event twice: one campaign, the same items and counts', async () => {
    // Arrange
    const { csv, expected } = bigFile();
    const event = await upload('incoming/twice.csv', csv);
    // Act
    const [first] = await importEvent(event);
    await drain(queue, writer);
    const [second] = await importEvent(event);
    await drain(queue, writer);
    // Assert
    expect(second!.campaignId).toBe(first!.campaignId);
    expect((await campaign(first!.campaignId!)).counts).toEqual(expected);
    expect(
      (await outreachItemCount(first!.campaignId!, 'nyc')) + (await outreachItemCount(first!.campaignId!, 'la')),
    ).toBe(60);
  });

  it('the same S3 event twice while the first import is still being written: same counts', async () => {
    const { csv, expected } = bigFile();
    const event = await upload('incoming/twice-concurrent.csv', csv);
    const [first] = await importEvent(event);
    await importEvent(event); // chunks now queued twice
    await drain(queue, writer);
    expect((await campaign(first!.campaignId!)).counts).toEqual(expected);
  });

  it('a chunk redelivered after a crash between its items and its counts is counted once', async () => {
    // Arrange: the writer dies once, after writing chunk 1's items, before applying its counts
    const { csv, expected } = bigFile();
    let crashes = 0;
    writerHooks.afterItemsWritten = async (message) => {
      if (message.chunk === 1 && crashes++ === 0) throw new Error('Lambda timed out');
    };
    // Act
    const campaignId = await importDropped('crash', csv);
    // Assert
    expect(crashes).toBe(2);
    expect(await campaign(campaignId)).toMatchObject({ status: 'PARTIALLY_SUCCESSFUL', counts: expected });
  });

  it('a chunk delivered again after it was counted changes nothing', async () => {
    const { csv, expected } = bigFile();
    const [outcome] = await importEvent(await upload('incoming/again.csv', csv));
    const chunks = queue.take();
    queue.messages.push(...chunks, ...chunks.map((m) => ({ ...m, receiveCount: 0 })));
    await drain(queue, writer);
    expect((await campaign(outcome!.campaignId!)).counts).toEqual(expected);
  });

  it('retries the UnprocessedItems of BatchWriteItem until every item is written', async () => {
    // Arrange: DynamoDB leaves the whole first batch unprocessed, as under throttling
    const send = documentClient.send.bind(documentClient);
    let refused = 0;
    vi.spyOn(documentClient, 'send').mockImplementation(async (command: any) => {
      if (command.constructor.name === 'BatchWriteCommand' && refused === 0) {
        refused = command.input.RequestItems[tableName].length;
        return { UnprocessedItems: command.input.RequestItems, $metadata: {} };
      }
      return send(command);
    });
    // Act
    const campaignId = await importDropped(
      'unprocessed',
      `${HEADER}\n${emailOf(20)},nyc\n${emailOf(21)},nyc\n${emailOf(22)},la\n`,
    );
    // Assert
    expect(refused).toBeGreaterThan(0);
    expect(await campaign(campaignId)).toMatchObject({ status: 'SUCCESSFUL', counts: { rows: 3, accepted: 3 } });
    expect(await outreachItemCount(campaignId, 'nyc')).toBe(2);
  });

  it('a chunk that keeps failing stays in the DLQ for a redrive; the watchdog fails the campaign with the rows it holds', async () => {
    // Arrange
    const { csv } = bigFile();
    writerHooks.afterItemsWritten = async (message) => {
      if (message.chunk === 0) throw new Error('poison');
    };
    const campaignId = await importDropped('poison', csv);
    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]!.receiveCount).toBe(IMPORT_QUEUE_MAX_RECEIVES);
    expect((await campaign(campaignId)).status).toBe('PROCESSING');
    // Act: the watchdog's first run after the stall threshold
    const early = await watchdogAt(minutesFromNow(IMPORT_STALL_MINUTES - 5));
    const late = await watchdogAt(minutesFromNow(IMPORT_STALL_MINUTES + 1));
    // Assert
    expect(early).toMatchObject({ stalled: 0, failed: 0 });
    expect(late).toMatchObject({ stalled: 1, failed: 1 });
    const details = await campaign(campaignId);
    expect(details.status).toBe('FAILED');
    expect(details.error).toContain('import interrupted; upload the file again');
    expect(details.error).toMatch(/lines 2–\d+ \(chunk 0\) could not be written after 5 attempts/);
    expect(queue.deadLetters).toHaveLength(1);
  });

  it('the watchdog fails an import that died after claiming its file, and finishes one whose last step was lost', async () => {
    // Arrange: one import dies before reading its file (the object is gone)
    const deadEvent = await upload('incoming/died.csv', `${HEADER}\n${emailOf(1)},nyc\n`);
    await s3Client.send(
      new DeleteObjectCommand({ Bucket: deadEvent.Records[0]!.s3.bucket.name, Key: 'incoming/died.csv' }),
    );
    await expect(importEvent(deadEvent)).rejects.toThrow();
    const { dropCampaignId } = await import('../../functions/campaigns/importer');
    const s3 = deadEvent.Records[0]!.s3;
    const died = dropCampaignId({
      bucket: s3.bucket.name,
      key: 'incoming/died.csv',
      eTag: s3.object.eTag,
      sequencer: s3.object.sequencer,
    });
    // …and another wrote every chunk but crashed before its final status write
    const send = documentClient.send.bind(documentClient);
    const finalWrites = vi.spyOn(documentClient, 'send').mockImplementation(async (command: any) => {
      if (command.constructor.name === 'UpdateCommand' && String(command.input.UpdateExpression).includes('finishedAt'))
        return { $metadata: {} };
      return send(command);
    });
    const lostEnd = await importDropped('lost-end', `${HEADER}\n${emailOf(2)},nyc\n${emailOf(3)},la\n`);
    finalWrites.mockRestore();
    expect((await campaign(died)).status).toBe('PROCESSING');
    expect((await campaign(lostEnd)).status).toBe('PROCESSING');
    // Act
    const outcome = await watchdogAt(minutesFromNow(IMPORT_STALL_MINUTES + 1));
    // Assert
    expect(outcome).toMatchObject({ stalled: 2, finished: 1, failed: 1 });
    expect(await campaign(died)).toMatchObject({
      status: 'FAILED',
      error: expect.stringContaining('import interrupted; upload the file again'),
    });
    expect(await campaign(lostEnd)).toMatchObject({
      status: 'SUCCESSFUL',
      counts: { rows: 2, accepted: 2, rejected: 0, duplicates: 0 },
    });
    // Finished imports leave the watchdog's index: a later run finds nothing
    expect(await watchdogAt(minutesFromNow(IMPORT_STALL_MINUTES + 20))).toMatchObject({ stalled: 0 });
  });

  it('ignores folder markers and files without a name', async () => {
    expect(await importEvent(s3EventFor('incoming/', 'folder-marker'))).toEqual([{ outcome: 'skipped' }]);
    expect(await importEvent(s3EventFor('incoming/.csv', 'nameless'))).toEqual([{ outcome: 'skipped' }]);
  });
});
