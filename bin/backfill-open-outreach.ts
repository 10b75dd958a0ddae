/**
 * `npm run backfill-open-outreach -- [--table <name>] [--max-writes-per-second 200]`: the one-off
 * build of customers' open-outreach items for campaigns imported before them (README.md,
 * "Runbook"; the work is functions/campaigns/backfill-open-outreach.ts). Uses the default AWS
 * credential chain and region; AWS_ENDPOINT_URL_DYNAMODB points it at DynamoDB Local.
 * Idempotent: a run stopped half-way is run again from the start.
 */
import { parseArgs } from 'node:util';

const usage = `usage: npm run backfill-open-outreach -- [--table <name>] [--max-writes-per-second <n>]
  --table                  the table (default: TABLE_NAME)
  --max-writes-per-second  the write budget (default 200)`;

try {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      'max-writes-per-second': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const table = values.table ?? process.env.TABLE_NAME;
  if (!table) throw new Error('--table (or TABLE_NAME) is required.');
  const rate = Number(values['max-writes-per-second'] ?? 200);
  if (!Number.isInteger(rate) || rate < 1) throw new Error('--max-writes-per-second must be a positive integer.');
  process.env.TABLE_NAME = table;
  const { backfillOpenOutreach } = await import('../functions/campaigns/backfill-open-outreach');
  const done = await backfillOpenOutreach({
    maxWritesPerSecond: rate,
    onProgress: (p) =>
      console.log(
        `campaign ${p.campaignId}: ${p.campaigns} campaigns, ${p.entries} entries, ${p.writes} writes so far`,
      ),
  });
  console.log(`done: ${done.campaigns} campaigns, ${done.entries} entries, ${done.writes} item writes`);
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(2);
}
