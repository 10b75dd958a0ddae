/**
 * The bulk customer loader against DynamoDB Local (functions/customers/load-customers.ts): a
 * 400-row file with bad rows and repeated emails loads what is valid, once; a re-run creates
 * nothing; the checkpoint resumes where a run stopped; and the write budget holds, asserted on
 * the write units the table was sent per window of virtual time (an injected clock), not on
 * wall time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketClock } from '../../functions/shared/token-bucket';
import { useFreshTable } from '../support/table';

await useFreshTable('load-customers');
const { dynamo } = await import('../../functions/shared/clients');
const { checkpointPath, loadCustomersFile } = await import('../../functions/customers/load-customers');
const { findCustomerByEmail, searchCustomers } = await import('../../functions/stores/repository');

/** Virtual time: it moves only when the budget waits. */
function virtualClock(): BucketClock & { ms: number } {
  const clock = {
    ms: 0,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.ms += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return clock;
}

/** Write units the table is sent (transactional items count 2), stamped with the virtual time. */
const sent: Array<{ at: number; units: number }> = [];
let stamp: () => number = () => 0;
/** Transactions still to fail as a busy table fails them (after the SDK's own retries). */
let failingTransactions = 0;
dynamo.middlewareStack.add(
  (next, context) => async (args) => {
    if (context.commandName === 'TransactWriteItemsCommand' && failingTransactions > 0) {
      failingTransactions--;
      throw Object.assign(new Error('The request processing has failed because of an unknown error'), {
        name: 'InternalServerError',
      });
    }
    if (context.commandName === 'TransactWriteItemsCommand') {
      const items = (args.input as { TransactItems?: unknown[] }).TransactItems?.length ?? 0;
      sent.push({ at: stamp(), units: items * 2 });
    }
    return next(args);
  },
  { step: 'initialize', name: 'loadCustomersWriteCounter' },
);

const dir = mkdtempSync(join(tmpdir(), 'load-customers-'));
const ROWS = 400;
/** DynamoDB Local takes tens of milliseconds a transaction on a shared machine: 400 customers can take minutes under load. */
const SLOW_MS = 900_000;
const BAD = new Set([10, 333, 350]); // invalid email
const REPEATS = new Set([20, 377, 399]); // the email of row 1
const NO_PHONE = new Set([3, 4, 5]);

const AREA: Record<string, number> = { bulk: 415, resume: 646, budget: 718, busy: 929 };

function customersCsv(file: string, rows: number, tag: string): string {
  const lines = ['email,phone,firstName,lastName'];
  for (let i = 1; i <= rows; i++) {
    const email = BAD.has(i) ? `not-an-email-${i}` : REPEATS.has(i) ? `${tag}1@example.com` : `${tag}${i}@example.com`;
    // Each file its own numbers: phones are unique across customers.
    const phone = NO_PHONE.has(i) ? '' : `+1${AREA[tag]}${String(7_000_000 + i)}`;
    lines.push(`${email},${phone},Ada${i},Lovelace`);
  }
  const path = join(dir, file);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const quiet = { onProgress: () => {}, onError: () => {} };

describe('loadCustomersFile', () => {
  let file: string;
  const errors: Array<[number, string]> = [];
  beforeAll(() => {
    file = customersCsv('customers.csv', ROWS, 'bulk');
  });
  afterAll(() => {
    stamp = () => 0;
  });

  it(
    'loads every valid row once: bad rows are errors with their line, repeated emails existing',
    async () => {
      const clock = virtualClock();
      stamp = clock.now;
      const progress: number[] = [];
      const done = await loadCustomersFile({
        file,
        maxWritesPerSecond: 50_000,
        clock,
        progressEveryMs: 0,
        onProgress: (p) => progress.push(p.rowsRead),
        onError: (line, detail) => errors.push([line, detail]),
      });
      // Lines count the header as line 1. First, so that a row lost for another reason shows its detail.
      expect(errors.map(([line, detail]) => [line - 1, detail.includes('email')])).toEqual(
        [...BAD].map((row) => [row, true]),
      );
      expect(done).toMatchObject({ rowsRead: ROWS, created: ROWS - BAD.size - REPEATS.size, errors: BAD.size });
      expect(done.existing).toBe(REPEATS.size);
      expect(done.line).toBe(ROWS + 1);
      expect(errors[0]![1]).toMatch(/email/);
      expect(progress.at(-1)).toBe(ROWS);
      // Stored through the same repository: found by email and by the spread phone search.
      const ada = await findCustomerByEmail('bulk42@example.com');
      expect(ada).toMatchObject({ firstName: 'Ada42', lastName: 'Lovelace', phone: '+14157000042' });
      expect((await searchCustomers('+14157000042', 10)).items.map((c) => c.customerId)).toEqual([ada!.customerId]);
    },
    SLOW_MS,
  );

  it(
    'skips a finished file by its checkpoint, and re-loading its lines creates nothing',
    async () => {
      const again = await loadCustomersFile({ file, maxWritesPerSecond: 50_000, clock: virtualClock(), ...quiet });
      expect(again).toMatchObject({ rowsRead: 0, created: 0 });

      // The last 50 rows again (rows 377 and 399 repeat row 1; none is bad): every one is existing.
      const reloaded = await loadCustomersFile({
        file,
        fromLine: ROWS + 1 - 49,
        maxWritesPerSecond: 50_000,
        clock: virtualClock(),
        ...quiet,
      });
      expect(reloaded).toMatchObject({ rowsRead: 50, created: 0, existing: 50, errors: 0 });
    },
    SLOW_MS,
  );

  it(
    'resumes after the checkpoint of a run that stopped',
    async () => {
      const path = customersCsv('resume.csv', 300, 'resume');
      writeFileSync(
        checkpointPath(path),
        JSON.stringify({ file: path, line: 201, totals: {}, at: new Date().toISOString() }),
      );
      let startedAt: number | undefined;
      const rest = await loadCustomersFile({
        file: path,
        maxWritesPerSecond: 50_000,
        clock: virtualClock(),
        onStart: (fromLine) => {
          startedAt = fromLine;
        },
        ...quiet,
      });
      expect(startedAt).toBe(202);
      // Rows 201–300 (lines 202–301), of which rows 377 and 399 are past this file's end: all new.
      expect(rest).toMatchObject({ rowsRead: 100, created: 100 });
      expect(await findCustomerByEmail('resume200@example.com')).toBeUndefined();
      expect(await findCustomerByEmail('resume201@example.com')).toBeDefined();
    },
    SLOW_MS,
  );

  it(
    'sends again, after a wait, the rows a busy table failed: none is lost as an error',
    async () => {
      const path = customersCsv('busy.csv', 60, 'busy');
      const errorsSeen: Array<[number, string]> = [];
      failingTransactions = 20;
      const clock = virtualClock();
      const done = await loadCustomersFile({
        file: path,
        maxWritesPerSecond: 50_000,
        clock,
        progressEveryMs: 0,
        onProgress: () => {},
        onError: (line, detail) => errorsSeen.push([line, detail]),
      });
      expect(failingTransactions).toBe(0);
      // Row 10 is bad, row 20 repeats row 1: the only errors and existing; every other row created once.
      expect(errorsSeen.map(([line]) => line - 1)).toEqual([10]);
      // Sent again: the 20 rows whose transactions failed (rows 1–21 but the bad row 10) and row 20,
      // the repeat of row 1, which could be neither created nor existing while row 1 had failed.
      expect(done).toMatchObject({ rowsRead: 60, created: 58, existing: 1, errors: 1, retried: 21 });
      expect(clock.ms).toBeGreaterThanOrEqual(500);
      expect(await findCustomerByEmail('busy59@example.com')).toBeDefined();
    },
    SLOW_MS,
  );

  it(
    'never sends the table more than its budget: at most one second of burst plus the rate over any window',
    async () => {
      const path = customersCsv('budget.csv', 300, 'budget');
      const rate = 2_000;
      const clock = virtualClock();
      stamp = clock.now;
      sent.length = 0;
      const done = await loadCustomersFile({ file: path, maxWritesPerSecond: rate, clock, ...quiet });
      expect(done.created).toBe(300 - 2); // row 10 is bad, row 20 repeats row 1
      const total = sent.reduce((sum, s) => sum + s.units, 0);
      // What the budget counted covers what the table was sent (a repeat within a chunk is counted, never sent).
      expect(total).toBeLessThanOrEqual(done.writeUnits);
      expect(total).toBeGreaterThan(300 * 10);
      // Over [0, t] at most the burst (one second's rate) plus the rate for t.
      const byTime = [...sent].sort((a, b) => a.at - b.at);
      let cumulative = 0;
      for (const s of byTime) {
        cumulative += s.units;
        expect(cumulative, `at ${s.at} ms`).toBeLessThanOrEqual(rate + (rate * s.at) / 1000);
      }
      // Any one-second window of virtual time: at most the burst plus a second's rate.
      for (const s of byTime) {
        const inWindow = byTime.filter((o) => o.at >= s.at && o.at < s.at + 1000).reduce((sum, o) => sum + o.units, 0);
        expect(inWindow).toBeLessThanOrEqual(2 * rate);
      }
      // And the budget is used, not starved: the run took about total / rate seconds of virtual time.
      expect(clock.ms).toBeGreaterThanOrEqual(((total - rate) / rate) * 1000);
      // (unless a busy table made it wait to send rows again: then that wait is on the clock too)
      if (done.retried === 0) expect(clock.ms).toBeLessThanOrEqual((done.writeUnits / rate) * 1000 + 1000);
    },
    SLOW_MS,
  );
});
