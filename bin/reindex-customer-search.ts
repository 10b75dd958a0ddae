/**
 * `TABLE_NAME=<table> npm run reindex-customer-search [-- --max-writes-per-second N]`: moves every
 * customer's search entries to the spread buckets (functions/stores/repository/search-index.ts;
 * README, "Loading customers"). Once, after the deploy that spread them; safe to re-run.
 */
import { parseArgs } from 'node:util';
import { reindexCustomerSearch } from '../functions/stores/repository/search-index';
import { TokenBucket } from '../functions/shared/token-bucket';

try {
  const { values } = parseArgs({ options: { 'max-writes-per-second': { type: 'string' } }, strict: true });
  const rate = Number(values['max-writes-per-second'] ?? 2_000);
  if (!Number.isInteger(rate) || rate <= 0) throw new Error('--max-writes-per-second must be a positive whole number.');
  if (!process.env.TABLE_NAME) throw new Error('TABLE_NAME must name the table to re-index.');
  const totals = await reindexCustomerSearch(new TokenBucket(rate), (t) =>
    console.log(`progress: ${t.customers} customers, ${t.writeUnits} write units`),
  );
  console.log(`done: ${totals.customers} customers re-indexed, ${totals.writeUnits} write units`);
} catch (error) {
  console.error((error as Error).message);
  console.error('usage: TABLE_NAME=<table> npm run reindex-customer-search [-- --max-writes-per-second N]');
  process.exit(1);
}
