/**
 * Budgets bench: the DynamoDB requests each operation of the message path and the inboxes makes
 * (docs/architecture.md, "Budgets"), counted on DynamoDB Local by test/integration/budgets.test.ts
 * — the same scenario the test asserts — and printed beside each budget with the requests in order.
 * Counts are deterministic: this is a figure for the reader, the test is what holds them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeResults } from './results';

export async function run(): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'budgets-')), 'budgets.json');
  const vitest = spawnSync('npx', ['vitest', 'run', 'test/integration/budgets.test.ts'], {
    env: { ...process.env, BUDGETS_REPORT: file },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (vitest.status !== 0) throw new Error('test/integration/budgets.test.ts failed: the counts are not the budgets');
  const report = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    { counted: number; budget: number; calls: string[] }
  >;
  console.table(
    Object.entries(report).map(([operation, { counted, budget, calls }]) => ({
      operation,
      counted,
      budget,
      requests: calls.join(' · '),
    })),
  );
  mergeResults(
    'budgets',
    Object.fromEntries(
      Object.entries(report).map(([operation, { counted, budget }]) => [operation, { counted, budget }]),
    ),
  );
}
