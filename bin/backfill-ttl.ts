/**
 * `npm run backfill-ttl -- --table <name> [--segments 4] [--max-writes-per-second 200] [--state <file>]`:
 * the one-off backfill of report markers' `ttl` from their `expiresAt` (README.md, "Runbook";
 * the work is functions/reports/backfill-ttl.ts). Uses the default AWS credential chain and
 * region; AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local. Saves its progress after every
 * scan page to the state file, so a run stopped (Ctrl-C, a lost session) goes on where it was
 * when started again with the same options; the file is removed once the scan is complete.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type BackfillProgress, backfillTtl } from '../functions/reports/backfill-ttl';

const usage = `usage: npm run backfill-ttl -- --table <name> [--segments <n>] [--max-writes-per-second <n>] [--page-size <n>] [--state <file>]
  --table                  the table (default: TABLE_NAME)
  --segments               parallel scan segments (default 4)
  --max-writes-per-second  the write budget across all segments (default 200)
  --page-size              items a scan page evaluates (default: DynamoDB's 1 MB pages)
  --state                  the progress file (default: backfill-ttl.<table>.json)`;

const positive = (name: string, value: string | undefined, fallback: number): number => {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer.`);
  return n;
};

try {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      segments: { type: 'string' },
      'max-writes-per-second': { type: 'string' },
      'page-size': { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const tableName = values.table ?? process.env.TABLE_NAME;
  if (!tableName) throw new Error('--table (or TABLE_NAME) is required.');
  const segments = positive('segments', values.segments, 4);
  const maxWritesPerSecond = positive('max-writes-per-second', values['max-writes-per-second'], 200);
  const pageSize = values['page-size'] === undefined ? undefined : positive('page-size', values['page-size'], 1);
  const stateFile = values.state ?? `backfill-ttl.${tableName}.json`;

  const saved = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { tableName: string; progress: BackfillProgress })
    : undefined;
  if (saved && saved.tableName !== tableName)
    throw new Error(`${stateFile} is the progress of table ${saved.tableName}.`);
  if (saved) console.log(`resuming from ${stateFile}: ${saved.progress.updated} updated so far`);

  const started = Date.now();
  let printedAt = 0;
  const print = (progress: Readonly<BackfillProgress>) => {
    const done = progress.cursors.filter((cursor) => cursor === 'done').length;
    const seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
    console.log(
      `segments done ${done}/${segments}; matched ${progress.matched}, updated ${progress.updated}, skipped ${progress.skipped} (${seconds} s)`,
    );
  };
  const summary = await backfillTtl({
    tableName,
    segments,
    maxWritesPerSecond,
    pageSize,
    resume: saved?.progress,
    onProgress: (progress) => {
      // Written whole, then renamed: a run killed mid-write leaves the previous progress.
      writeFileSync(`${stateFile}.tmp`, JSON.stringify({ tableName, progress }));
      renameSync(`${stateFile}.tmp`, stateFile);
      if (Date.now() - printedAt >= 1000) {
        printedAt = Date.now();
        print(progress);
      }
    },
  });
  print(summary);
  rmSync(stateFile, { force: true });
  console.log(`done: ttl set on ${summary.updated} items`);
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(1);
}
