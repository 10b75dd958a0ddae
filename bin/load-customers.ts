/**
 * `npm run load-customers -- --file customers.csv [--max-writes-per-second N] [--from-line N]`:
 * loads a customers CSV (columns email, phone, firstName, lastName) into the table named by
 * TABLE_NAME, through the same validation and repository as POST /customers/batch, within a write
 * budget (write units/s), resumable from `<file>.load-customers.checkpoint` (README, "Loading
 * customers"; functions/customers/load-customers.ts). Errors go to stderr with their line.
 */
import { parseArgs } from 'node:util';
import { loadCustomersFile } from '../functions/customers/load-customers';

/** Half of what a new on-demand table takes at once (4,000 write units/s), leaving the rest to the live traffic. */
const DEFAULT_WRITES_PER_SECOND = 2_000;

const usage = `usage: TABLE_NAME=<table> npm run load-customers -- --file <customers.csv> [--max-writes-per-second N] [--from-line N] [--progress-seconds N]
  --max-writes-per-second  the write budget in write units/s (default ${DEFAULT_WRITES_PER_SECOND}); each customer costs about 18
  --from-line              start at this line (the header is line 1) instead of after the checkpoint`;

const positive = (value: string | undefined, name: string, fallback?: number): number | undefined => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${value}.`);
  return n;
};

try {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      'max-writes-per-second': { type: 'string' },
      'from-line': { type: 'string' },
      'progress-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (!values.file) throw new Error('--file is required.');
  if (!process.env.TABLE_NAME) throw new Error('TABLE_NAME must name the table to load into.');
  const started = Date.now();
  const final = await loadCustomersFile({
    file: values.file,
    maxWritesPerSecond: positive(
      values['max-writes-per-second'],
      '--max-writes-per-second',
      DEFAULT_WRITES_PER_SECOND,
    )!,
    fromLine: positive(values['from-line'], '--from-line'),
    progressEveryMs: positive(values['progress-seconds'], '--progress-seconds', 5)! * 1000,
    onStart: (fromLine, checkpointLine) =>
      console.log(
        checkpointLine === undefined
          ? `loading from line ${fromLine}`
          : `resuming after line ${checkpointLine} (${values.file}.load-customers.checkpoint)`,
      ),
    onProgress: (p) =>
      console.log(
        `${p.done ? 'done' : 'progress'}: line ${p.line}, rows ${p.rowsRead}, created ${p.created}, existing ${p.existing}, errors ${p.errors}, retried ${p.retried}, ${Math.round(p.writesPerSecond)} writes/s`,
      ),
    onError: (line, detail) => console.error(`line ${line}: ${detail}`),
  });
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`${final.rowsRead} rows in ${minutes} min; ${final.writeUnits} write units`);
  process.exit(final.errors > 0 ? 2 : 0);
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(1);
}
