/**
 * Uploads the import ignores say why, in one log line with the key (docs/rules.md, "Campaign CSV
 * rules", Lifecycle): a second file for a campaign whose import ended, and a file for a campaign
 * id nobody created. Real uploads to s3rver and S3 events as S3 sends them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Caller, lambdaContext } from '../support/http-events';
import { invoker } from '../support/invoke';
import { useFreshTable } from '../support/table';
import { CapturedQueue, drain, upload } from './campaigns-harness';

await useFreshTable('campaigns-ignored');
const queue = new CapturedQueue();
const call = invoker((await import('../../functions/campaigns/api.handler')).handler);
const { handler: importHandler } = await import('../../functions/campaigns/import.handler');
const { handler: writer } = await import('../../functions/campaigns/writer.handler');
const { logger } = await import('../../functions/shared/logger');
const stores = await import('../../functions/stores/repository');

const admin: Caller = { userId: 'admin-1', role: 'clienteling-admin' };
const HEADER = 'customer email,store id';

afterEach(() => {
  vi.restoreAllMocks();
  queue.take();
});

/** The logged lines whose message starts with `prefix`, with their attributes. */
const linesOf = (spy: { mock: { calls: unknown[][] } }, prefix: string) =>
  spy.mock.calls.filter(([message]) => typeof message === 'string' && message.startsWith(prefix)) as Array<
    [string, Record<string, unknown>]
  >;

describe('an upload the import ignores', () => {
  it('a second file for a campaign whose import ended: one warning with the key and why, nothing imported', async () => {
    // Arrange: a campaign imported to the end
    await stores.createCustomer({ email: 'ignored1@example.com' }, new Date('2025-01-02T10:00:00Z'));
    const { campaignId } = (await call({ routeKey: 'POST /campaigns', body: { name: 'Once' }, caller: admin })).body;
    const key = `campaigns/${campaignId}.csv`;
    await importHandler(await upload(key, `${HEADER}\nignored1@example.com,nyc\n`), lambdaContext('import'));
    await drain(queue, writer);
    const before = (
      await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })
    ).body;
    const warnings = vi.spyOn(logger, 'warn');
    const infos = vi.spyOn(logger, 'info');

    // Act: the same URL used again with another file
    const outcomes = await importHandler(
      await upload(key, `${HEADER}\nignored1@example.com,nyc\nother@example.com,nyc\n`),
      lambdaContext('import'),
    );

    // Assert
    expect(before.status).toBe('SUCCESSFUL');
    expect(outcomes).toEqual([{ campaignId, outcome: 'skipped' }]);
    const ignored = linesOf(warnings, 'upload ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]![1]).toMatchObject({
      campaignId,
      key,
      reason: expect.stringContaining('has ended (SUCCESSFUL)'),
    });
    expect(linesOf(infos, 'campaign import')).toHaveLength(0);
    expect(queue.take()).toHaveLength(0);
    expect(
      (await call({ routeKey: 'GET /campaigns/{campaignId}', pathParameters: { campaignId }, caller: admin })).body,
    ).toEqual(before);
  });

  it('a file for a campaign id nobody created: one warning saying so, with the key', async () => {
    // Arrange
    const warnings = vi.spyOn(logger, 'warn');
    const key = 'campaigns/00000000-0000-4000-8000-000000000000.csv';

    // Act
    const outcomes = await importHandler(await upload(key, `${HEADER}\nx@example.com,nyc\n`), lambdaContext('import'));

    // Assert
    expect(outcomes).toEqual([{ outcome: 'skipped' }]);
    const ignored = linesOf(warnings, 'upload ignored');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]![1]).toMatchObject({ key, reason: expect.stringContaining('no campaign has this id') });
  });
});
