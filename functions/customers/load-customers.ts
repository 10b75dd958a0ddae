/**
 * The bulk customer loader (`npm run load-customers`; README, "Loading customers"): millions of
 * customers from a CSV into the table, within a write budget, resumable and idempotent.
 *
 * 1. Stream the file's rows (customer-csv.ts), skipping those up to the checkpoint's line.
 * 2. Gather rows into chunks of at most 500 whose write units (rules.ts customerWriteUnits: each
 *    customer is several items, written in a transaction) fit the budget's one-second burst.
 * 3. Take the chunk's units from the budget (a token bucket), then create the chunk with
 *    createCustomers: the same validation, de-duplication and repository as POST
 *    /customers/batch, so an email already stored counts as existing and a re-run creates nothing.
 * 4. After each chunk, save the checkpoint (the last line done, and the counts so far); every few
 *    seconds, report progress (rows read, created, existing, errors, write units/s).
 *
 * A crash between steps 3 and 4 re-sends that chunk on resume: its customers are then existing.
 */
import { createReadStream } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type BucketClock, realClock, TokenBucket } from '../shared/token-bucket';
import { type BatchResult, createCustomers, MAX_BATCH, TRY_AGAIN_DETAIL } from './create-customers';
import { type CustomerRow, readCustomerRows } from './customer-csv';
import { customerWriteUnits } from '../stores/rules';
import { CustomerInput } from '../stores/schemas';

export interface LoadTotals {
  /** Rows read and loaded in this run (rows skipped up to the checkpoint are not counted). */
  rowsRead: number;
  created: number;
  existing: number;
  errors: number;
  /** Write units spent from the budget. */
  writeUnits: number;
  /** Rows sent again after a passing failure (the table busy or slow). */
  retried: number;
}

export interface LoadProgress extends LoadTotals {
  /** The last line done. */
  line: number;
  /** Write units per second since the previous report. */
  writesPerSecond: number;
  done: boolean;
}

export interface LoadOptions {
  readonly rows: AsyncIterable<CustomerRow>;
  /** Rows starting before this line are skipped (already loaded). */
  readonly fromLine: number;
  readonly budget: TokenBucket;
  readonly clock: BucketClock;
  readonly progressEveryMs: number;
  onProgress(progress: LoadProgress): void;
  onError(line: number, detail: string): void;
  saveCheckpoint(line: number, totals: LoadTotals): Promise<void>;
}

/** Steps 1–4 above, for rows from anywhere (the file wrapper is loadCustomersFile). */
export async function loadCustomers(options: LoadOptions): Promise<LoadProgress> {
  const { budget, clock } = options;
  const totals: LoadTotals = { rowsRead: 0, created: 0, existing: 0, errors: 0, writeUnits: 0, retried: 0 };
  let line = options.fromLine - 1;
  let lastReport = { at: clock.now(), units: 0 };
  const progress = (done: boolean): LoadProgress => {
    const now = clock.now();
    const seconds = (now - lastReport.at) / 1000;
    const writesPerSecond = seconds > 0 ? (totals.writeUnits - lastReport.units) / seconds : 0;
    lastReport = { at: now, units: totals.writeUnits };
    return { ...totals, line, writesPerSecond, done };
  };

  let chunk: CustomerRow[] = [];
  let chunkUnits = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    const rows = chunk;
    const units = Math.min(chunkUnits, budget.capacity);
    chunk = [];
    chunkUnits = 0;
    await budget.take(units);
    const { result, retryUnits, retried } = await createWithRetries(
      rows.map((row) => row.entry),
      { budget, clock },
    );
    totals.rowsRead += rows.length;
    totals.created += result.created;
    totals.existing += result.existing;
    totals.errors += result.errors.length;
    totals.writeUnits += units + retryUnits;
    totals.retried += retried;
    for (const error of result.errors) options.onError(rows[error.index]!.line, error.detail);
    line = rows.at(-1)!.line;
    await options.saveCheckpoint(line, totals);
    if (clock.now() - lastReport.at >= options.progressEveryMs) options.onProgress(progress(false));
  };

  for await (const row of options.rows) {
    if (row.line < options.fromLine) continue;
    const parsed = CustomerInput.safeParse(row.entry);
    // An invalid row writes nothing: createCustomers reports it.
    const units = parsed.success ? customerWriteUnits(parsed.data) : 0;
    if (chunk.length === MAX_BATCH || (chunk.length > 0 && chunkUnits + units > budget.capacity)) await flush();
    chunk.push(row);
    chunkUnits += units;
  }
  await flush();
  const last = progress(true);
  options.onProgress(last);
  return last;
}

/** How many more times the entries that failed for a passing reason are sent, and the first wait. */
const TRY_AGAIN_ATTEMPTS = 4;
const TRY_AGAIN_BASE_MS = 500;

/**
 * createCustomers, then the entries that failed for a passing reason (TRY_AGAIN_DETAIL: the
 * table busy or slow) sent again after a growing wait, within the budget, up to 4 more times: a
 * bulk load reports as errors only what sending again would not fix. Indexes stay the batch's.
 */
async function createWithRetries(
  entries: readonly CustomerRow['entry'][],
  { budget, clock }: { budget: TokenBucket; clock: BucketClock },
): Promise<{ result: BatchResult; retryUnits: number; retried: number }> {
  const result = await createCustomers(entries, new Date());
  let retryUnits = 0;
  let retried = 0;
  for (let attempt = 1; attempt <= TRY_AGAIN_ATTEMPTS; attempt++) {
    const again = result.errors.filter((error) => error.detail === TRY_AGAIN_DETAIL).map((error) => error.index);
    if (again.length === 0) break;
    await clock.sleep(TRY_AGAIN_BASE_MS * 2 ** (attempt - 1));
    const retryEntries = again.map((index) => entries[index]!);
    retried += retryEntries.length;
    const units = Math.min(
      retryEntries.reduce<number>((sum, entry) => sum + customerWriteUnits(CustomerInput.parse(entry)), 0),
      budget.capacity,
    );
    await budget.take(units);
    retryUnits += units;
    const second = await createCustomers(retryEntries, new Date());
    const retriedIndexes = new Set(again);
    result.errors = [
      ...result.errors.filter((error) => !retriedIndexes.has(error.index)),
      ...second.errors.map((error) => ({ ...error, index: again[error.index]! })),
    ].sort((a, b) => a.index - b.index);
    result.customers.push(...second.customers.map((customer) => ({ ...customer, index: again[customer.index]! })));
    result.customers.sort((a, b) => a.index - b.index);
    result.created += second.created;
    result.existing += second.existing;
  }
  return { result, retryUnits, retried };
}

/** The checkpoint of a file: beside it, `<file>.load-customers.checkpoint`. */
export const checkpointPath = (file: string) => `${file}.load-customers.checkpoint`;

interface Checkpoint {
  readonly file: string;
  /** The last line done: a resume starts after it. */
  readonly line: number;
  readonly totals: LoadTotals;
  readonly at: string;
}

async function readCheckpoint(file: string): Promise<Checkpoint | undefined> {
  try {
    return JSON.parse(await readFile(checkpointPath(file), 'utf8')) as Checkpoint;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface LoadFileOptions {
  readonly file: string;
  readonly maxWritesPerSecond: number;
  /** Start at this line (the header is line 1) instead of after the checkpoint. */
  readonly fromLine?: number;
  readonly progressEveryMs?: number;
  readonly clock?: BucketClock;
  readonly open?: (file: string) => Readable;
  /** Before the first row: the line it starts at, and the checkpoint's line when it resumes. */
  onStart?(fromLine: number, checkpointLine: number | undefined): void;
  onProgress(progress: LoadProgress): void;
  onError(line: number, detail: string): void;
}

/**
 * Loads a CSV file, resuming after its checkpoint (or at `fromLine`), and keeps the checkpoint
 * when done, so a second run of a finished file skips it; `--from-line 2` loads it again (every
 * customer then counts as existing).
 */
export async function loadCustomersFile(options: LoadFileOptions): Promise<LoadProgress> {
  const clock = options.clock ?? realClock;
  const checkpoint = options.fromLine === undefined ? await readCheckpoint(options.file) : undefined;
  const fromLine = options.fromLine ?? (checkpoint ? checkpoint.line + 1 : 2);
  const open = options.open ?? ((file: string) => createReadStream(file));
  if (options.fromLine !== undefined) await rm(checkpointPath(options.file), { force: true });
  options.onStart?.(fromLine, checkpoint?.line);
  return loadCustomers({
    rows: readCustomerRows(open(options.file)),
    fromLine,
    budget: new TokenBucket(options.maxWritesPerSecond, clock),
    clock,
    progressEveryMs: options.progressEveryMs ?? 5_000,
    onProgress: options.onProgress,
    onError: options.onError,
    saveCheckpoint: (line, totals) =>
      writeFile(
        checkpointPath(options.file),
        JSON.stringify({ file: options.file, line, totals, at: new Date().toISOString() } satisfies Checkpoint),
      ),
  });
}
