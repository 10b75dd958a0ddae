/**
 * The "first 15 minutes" walkthrough (README, "First 15 minutes"): `npm run demo` run as a new user
 * runs it, against the local stack, with nothing prepared (the harness's stack has no demo data, so
 * the walkthrough creates its store). Every step must report success, in order, and what the steps
 * claim must be what the API then answers: the customer opted in, the payment attributed to the
 * campaign, the export written.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/local/defaults';
import { WALKTHROUGH_STEPS } from '../../lib/local/walkthrough';
import { apiClient } from '../support/api-client';
import { baseUrl, tokenFor } from '../support/e2e';

const admin = apiClient(tokenFor({ role: 'clienteling-admin', userId: 'demo-test-admin' }));
const associate = apiClient(
  tokenFor({ role: 'associate', storeId: 'chicago-michigan', userId: 'demo-test-associate' }),
);

/** Runs bin/demo.ts as `npm run demo` does; answers its exit code and output. */
async function runDemo(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/demo.ts', ...args], {
      cwd: REPO_ROOT,
      timeout: 150_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
  }
}

describe('npm run demo', () => {
  it('walks store → customers → CSV → list → conversation → YES → message → cart → pay → report → export', async () => {
    // Act
    const { code, stdout } = await runDemo(['--url', baseUrl()]);

    // Assert: every step reported success, in order, each with what it did
    expect(code, stdout).toBe(0);
    const reported = stdout.split('\n').filter((line) => /^[✓✗] /.test(line));
    expect(reported.map((line) => line.slice(0, 1)).join('')).toBe('✓'.repeat(WALKTHROUGH_STEPS.length));
    expect(reported.map((line) => /^✓ +\d+\/\d+ (.+?) {2,}/.exec(line)?.[1]?.trim())).toEqual([...WALKTHROUGH_STEPS]);
    expect(reported[0]).toMatch(/chicago-michigan .*quiet hours off \((created|already there)\)/);
    expect(reported[2]).toMatch(/3 rows, 2 accepted, 1 rejected/);
    expect(reported[6]).toMatch(/queued, now (sent|delivered)/);
    expect(reported[10]).toContain('2 customers, 1 contacted, 1 replied, 1 cart shared, 1 paid, revenue $129.00');

    // Assert: the API answers what the steps claimed
    const campaignId = /campaigns\/([0-9a-f-]{36})\/report/.exec(stdout)?.[1];
    const conversationId = /conversations\/([0-9a-f-]{36})\/messages/.exec(stdout)?.[1];
    expect(campaignId && conversationId, stdout).toBeTruthy();
    const report = await admin.GET('/campaigns/{campaignId}/report', { params: { path: { campaignId: campaignId! } } });
    expect(report.data?.totals).toEqual({
      customers: 2,
      contacted: 1,
      replied: 1,
      cartsShared: 1,
      ordersPaid: 1,
      revenue: [{ currency: 'USD', amount: 12_900 }],
    });
    const conversation = await associate.GET('/conversations/{conversationId}', {
      params: { path: { conversationId: conversationId! } },
    });
    expect(conversation.data).toMatchObject({ storeId: 'chicago-michigan', optIn: 'OPTED_IN' });
  }, 180_000); // the walkthrough waits for imports, queues and the export, beside the other files' load

  it('stops at the first step that fails, says why and exits 1', async () => {
    // Act: a store that neither exists nor is a demo store
    const { code, stdout } = await runDemo(['--url', baseUrl(), '--store', 'no-such-demo-store']);

    // Assert
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ +1\/12 store +store no-such-demo-store does not exist and is not a demo store/);
    expect(stdout).toContain('The walkthrough stopped after 0 of 12 steps');
  });
});
