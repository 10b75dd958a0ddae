import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IMPORT_STALL_MINUTES } from '../../functions/campaigns/rules';
import { loadOrCreateSigningKey, mintToken } from '../../lib/local/tokens';
import { eventually } from '../support/e2e';
import { callStack, startStackProcess, type StackProcess } from '../support/stack-process';

const root = mkdtempSync(join(tmpdir(), 'clienteling-watchdog-'));
const dataDir = join(root, 'data');
const dropDir = join(root, 'drop');
const running: StackProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((stack) => stack.stop()));
  rmSync(root, { recursive: true, force: true });
});

/** A call as the watchdog test's admin. */
const call = (stack: StackProcess, method: string, path: string, body?: unknown) =>
  callStack(
    stack,
    mintToken(loadOrCreateSigningKey(stack.dataDir), { role: 'clienteling-admin', userId: 'watchdog-admin' }),
    method,
    path,
    body,
  );

describe('an import whose stack was stopped half-way', () => {
  it('stays PROCESSING after the restart until the import-watchdog turns it FAILED with the reason', {
    timeout: 300_000,
  }, async () => {
    // Arrange: a store, 100 customers and a 40,000-row file, on a stack of its own (100, not more:
    // DynamoDB Local takes tens of milliseconds a customer on a loaded machine, and the batch
    // must answer within the API function's timeout)
    const first = await startStackProcess(dataDir, dropDir);
    running.push(first);
    expect(
      (
        await call(first, 'PUT', '/stores/wd-store', {
          name: 'Watchdog',
          timezone: 'Europe/Paris',
          country: 'FR',
          phoneNumber: '+33123456789',
          currency: 'EUR',
        })
      ).status,
    ).toBe(201);
    const emails = Array.from({ length: 100 }, (_, i) => `wd-${i}@example.com`);
    expect(
      (await call(first, 'POST', '/customers/batch', { customers: emails.map((email) => ({ email })) })).status,
    ).toBe(200);
    const created = await call(first, 'POST', '/campaigns', { name: 'Killed half-way' });
    const { campaignId, upload } = created.body;
    const rows = Array.from({ length: 40_000 }, (_, i) => `${emails[i % emails.length]},wd-store-${i % 40}`);
    const put = await fetch(upload.url, {
      method: upload.method,
      headers: upload.headers,
      body: `customer email,store id\n${rows.join('\n')}\n`,
    });
    expect(put.status).toBe(200);

    // Act 1: stop the stack once the writers are at work, before the import can end
    await eventually(
      async () => {
        const invocations: Array<{ trigger: string; outcome: string }> = (
          await call(first, 'GET', '/_local/invocations')
        ).body;
        return invocations.some((i) => i.trigger === 'sqs' && i.outcome === 'ok') ? true : undefined;
      },
      120_000,
      50,
    );
    await first.stop();
    const second = await startStackProcess(dataDir, dropDir);
    running.push(second);
    const afterRestart = await call(second, 'GET', `/campaigns/${campaignId}`);
    const enableWhileStuck = await call(second, 'POST', `/campaigns/${campaignId}/enable`);
    // Act 2: the watchdog now (too early), then after the stall threshold
    const early = await call(second, 'POST', '/_local/schedules/import-watchdog', { time: new Date().toISOString() });
    const late = await call(second, 'POST', '/_local/schedules/import-watchdog', {
      time: new Date(Date.now() + (IMPORT_STALL_MINUTES + 1) * 60_000).toISOString(),
    });
    const afterWatchdog = await call(second, 'GET', `/campaigns/${campaignId}`);

    // Assert
    expect(afterRestart.body.status).toBe('PROCESSING');
    expect(enableWhileStuck.status).toBe(409);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ stalled: 0, failed: 0 });
    expect(late.body).toMatchObject({ stalled: 1, failed: 1 });
    expect(afterWatchdog.body).toMatchObject({ status: 'FAILED', enabled: false });
    expect(afterWatchdog.body.error).toContain('import interrupted; upload the file again');
    expect((await call(second, 'POST', `/campaigns/${campaignId}/enable`)).status).toBe(409);
  });
});
