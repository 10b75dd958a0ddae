/**
 * Campaign import bench: 10k, 100k and 1M-row CSVs (customers pre-loaded) imported end to end on
 * the local stack, beside the two limits measured in the same run on the same file and engine:
 * a raw csv-parser pass, and DynamoDB Local's raw BatchWriteItem rate at concurrency 8. Also
 * the import path alone (parse + validate + chunk, SQS send stubbed) and the import function's
 * peak RSS, measured in a child process that runs only the import (the writers, the queue shim
 * and s3rver stay in this process, so their memory does not count against the import).
 *
 * Targets: end to end >= 0.5x the raw write rate; import path >= 0.5x the raw parse; peak RSS at
 * the largest size <= 1.5x that at 10k. `BENCH_MAX_ROWS` limits the sizes (e.g. 100000).
 * Figures, not assertions.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import csvParser from 'csv-parser';
import { forEachConcurrently } from '../functions/shared/concurrency';
import { startBenchStack } from './local-stack';
import { mergeResults } from './results';

const SIZES = [10_000, 100_000, 1_000_000];
const CUSTOMERS = 2_000;
const STORES = 500;
const RAW_WRITE_ITEMS = 100_000;
const RAW_WRITE_CONCURRENCY = 8;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const TMP = join(HERE, 'tmp', 'import');

const emailOf = (i: number) => `bench.customer${i}@example.com`;
const storeOf = (i: number) => `bench-store-${String(i).padStart(3, '0')}`;
const progress = (line: string) => process.stderr.write(`[import bench] ${line}\n`);

/** Row i: customer i mod 2,000 in store floor(i / 2,000) mod 500, so up to 1M rows are distinct (email, store) pairs. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('customer email,store id\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`${emailOf(i % CUSTOMERS)},${storeOf(Math.floor(i / CUSTOMERS) % STORES)}\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function rawParse(path: string): Promise<number> {
  const started = performance.now();
  let rows = 0;
  for await (const _row of createReadStream(path).pipe(csvParser({ headers: false }))) rows++;
  return (rows - 1) / ((performance.now() - started) / 1000);
}

async function importPathAlone(path: string): Promise<number> {
  const { queueChunks } = await import('../functions/campaigns/importer');
  const started = performance.now();
  const { rows } = await queueChunks('bench', createReadStream(path), async () => undefined);
  return rows / ((performance.now() - started) / 1000);
}

/** The engine's raw BatchWriteItem rate (items/s) at concurrency 8: the limit other benches are compared with. */
export async function rawBatchWriteRate(endpoint: string, tableName: string, items = RAW_WRITE_ITEMS): Promise<number> {
  const { localDynamoClient } = await import('../lib/local/engines');
  const client = DynamoDBDocumentClient.from(localDynamoClient(endpoint));
  const batches = Array.from({ length: items / 25 }, (_, batch) => batch);
  const started = performance.now();
  await forEachConcurrently(batches, RAW_WRITE_CONCURRENCY, async (batch) => {
    let pending: any[] | undefined = Array.from({ length: 25 }, (_, j) => ({
      PutRequest: {
        Item: {
          pk: `BENCHRAW#${batch % 64}`,
          sk: `${batch}-${j}`,
          customerId: `c-${batch}-${j}`,
          email: emailOf(j),
          firstName: 'Bench',
          lastName: 'Customer',
          contacted: false,
        },
      },
    }));
    while (pending && pending.length > 0) {
      const out: BatchWriteCommandOutput = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = out.UnprocessedItems?.[tableName];
    }
  });
  const rate = items / ((performance.now() - started) / 1000);
  client.destroy();
  return rate;
}

async function preloadCustomers(count: number): Promise<void> {
  const { createCustomer, findCustomerByEmail } = await import('../functions/stores/repository');
  if (await findCustomerByEmail(emailOf(count - 1))) return;
  const now = new Date();
  await forEachConcurrently(
    Array.from({ length: count }, (_, i) => i),
    16,
    (i) =>
      createCustomer({ email: emailOf(i), firstName: `Bench${i}`, lastName: 'Customer' }, now).then(() => undefined),
  );
}

interface ChildResult {
  peakRssMb: number;
  rows: number;
  chunks: number;
  importMs: number;
}

/** Runs the import function's use case alone in a fresh process and samples its RSS. */
function importInChild(bucket: string, sourceKey: string, campaignId: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        BENCH_IMPORT_CHILD: JSON.stringify({ bucket, sourceKey, campaignId }),
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0) resolve(JSON.parse(line) as ChildResult);
      else reject(new Error(`import child exited with ${code}: ${out}`));
    });
  });
}

async function childMain(spec: { bucket: string; sourceKey: string; campaignId: string }): Promise<void> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { client: s3 } = await (await import('../functions/shared/s3')).loadS3();
  const { importObject } = await import('../functions/campaigns/importer');
  const { sendBatchToImportQueue } = await import('../functions/campaigns/chunk-queue');
  const started = performance.now();
  const outcome = await importObject(
    { bucket: spec.bucket, key: `campaigns/${spec.campaignId}.csv`, eTag: 'bench' },
    new Date(),
    {
      open: async () =>
        (await s3.send(new GetObjectCommand({ Bucket: spec.bucket, Key: spec.sourceKey })))
          .Body as NodeJS.ReadableStream as never,
      send: sendBatchToImportQueue,
    },
  );
  const importMs = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  process.stdout.write(
    `${JSON.stringify({ peakRssMb: peak / 2 ** 20, rows: outcome.rows ?? 0, chunks: outcome.chunks ?? 0, importMs })}\n`,
  );
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

export async function runImportBench(): Promise<Record<string, unknown>> {
  const max = Number(process.env.BENCH_MAX_ROWS ?? Number.POSITIVE_INFINITY);
  const sizes = SIZES.filter((n) => n <= max);
  if (sizes.length === 0) sizes.push(Math.max(1, Math.floor(max)));
  rmSync(TMP, { recursive: true, force: true });
  mkdirSync(TMP, { recursive: true });

  const stack = await startBenchStack(TMP);
  try {
    const { localS3Client } = await import('../lib/local/engines');
    const { createCampaign, getCampaign } = await import('../functions/campaigns/repository');
    const s3 = localS3Client(stack.s3Endpoint);

    const loadStarted = performance.now();
    await preloadCustomers(Math.min(CUSTOMERS, Math.max(...sizes)));
    const preloadSeconds = (performance.now() - loadStarted) / 1000;
    progress(`customers pre-loaded in ${preloadSeconds.toFixed(1)} s`);
    const rawWrite = await rawBatchWriteRate(stack.dynamoEndpoint, stack.tableName);
    progress(`raw BatchWriteItem: ${rawWrite.toFixed(0)} items/s`);

    const runs: Array<Record<string, number | string>> = [];
    for (const rows of sizes) {
      const path = join(TMP, `campaign-${rows}.csv`);
      await writeCsv(path, rows);
      const parse = await rawParse(path);
      const importPath = await importPathAlone(path);
      progress(
        `${rows} rows: raw parse ${parse.toFixed(0)} rows/s, import path ${importPath.toFixed(0)} rows/s; importing end to end...`,
      );

      const sourceKey = `bench/campaign-${rows}.csv`;
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.buckets.uploads,
          Key: sourceKey,
          Body: createReadStream(path),
          ContentLength: statSync(path).size,
        }),
      );
      const campaignId = `bench-${rows}-${Date.now()}`;
      await createCampaign({ campaignId, name: `bench ${rows}`, now: new Date() });

      const started = performance.now();
      const child = await importInChild(stack.buckets.uploads, sourceKey, campaignId);
      let campaign = await getCampaign(campaignId);
      while (campaign?.status === 'PROCESSING') {
        await new Promise((r) => setTimeout(r, 250));
        campaign = await getCampaign(campaignId);
      }
      const endToEndSeconds = (performance.now() - started) / 1000;
      progress(
        `${rows} rows end to end in ${endToEndSeconds.toFixed(1)} s (${campaign?.status}), import peak RSS ${child.peakRssMb.toFixed(0)} MB`,
      );
      await stack.drained();
      runs.push({
        rows,
        status: campaign?.status ?? 'missing',
        accepted: campaign?.accepted ?? 0,
        endToEndRowsPerSecond: round(rows / endToEndSeconds),
        endToEndSeconds: round(endToEndSeconds, 1),
        importOnlyInStackSeconds: round(child.importMs / 1000, 1),
        rawParseRowsPerSecond: round(parse),
        importPathRowsPerSecond: round(importPath),
        importPeakRssMb: round(child.peakRssMb, 1),
        chunks: child.chunks,
      });
      rmSync(path, { force: true });
    }

    const base = runs[0]!;
    const largest = runs[runs.length - 1]!;
    const result = {
      measuredAt: new Date().toISOString(),
      customersPreloaded: Math.min(CUSTOMERS, Math.max(...sizes)),
      preloadSeconds: round(preloadSeconds, 1),
      rawBatchWriteItemsPerSecond: round(rawWrite),
      rawBatchWriteConcurrency: RAW_WRITE_CONCURRENCY,
      runs: runs.map((run) => ({
        ...run,
        endToEndVsRawWrite: round(Number(run.endToEndRowsPerSecond) / rawWrite, 2),
        importPathVsRawParse: round(Number(run.importPathRowsPerSecond) / Number(run.rawParseRowsPerSecond), 2),
      })),
      peakRssLargestVs10k: round(Number(largest.importPeakRssMb) / Number(base.importPeakRssMb), 2),
      targets: { endToEndVsRawWrite: '>= 0.5', importPathVsRawParse: '>= 0.5', peakRssLargestVs10k: '<= 1.5' },
    };
    printTable(result);
    return result;
  } finally {
    await stack.stop();
  }
}

function printTable(result: {
  rawBatchWriteItemsPerSecond: number;
  runs: Array<Record<string, unknown>>;
  peakRssLargestVs10k: number;
}): void {
  console.log(
    `raw BatchWriteItem (DynamoDB Local, concurrency ${RAW_WRITE_CONCURRENCY}): ${result.rawBatchWriteItemsPerSecond} items/s`,
  );
  console.table(
    result.runs.map((r) => ({
      rows: r.rows,
      status: r.status,
      'e2e rows/s': r.endToEndRowsPerSecond,
      'e2e / raw write (>=0.5)': r.endToEndVsRawWrite,
      'raw parse rows/s': r.rawParseRowsPerSecond,
      'import path rows/s': r.importPathRowsPerSecond,
      'path / parse (>=0.5)': r.importPathVsRawParse,
      'import peak RSS MB': r.importPeakRssMb,
    })),
  );
  console.log(`peak RSS, largest vs 10k: ${result.peakRssLargestVs10k}x (target <= 1.5x)`);
}

/** bench/run.ts entry: prints the table and records the figures under "import". */
export async function run(): Promise<void> {
  mergeResults('import', await runImportBench());
}

if (process.env.BENCH_IMPORT_CHILD) {
  await childMain(
    JSON.parse(process.env.BENCH_IMPORT_CHILD) as { bucket: string; sourceKey: string; campaignId: string },
  );
  process.exit(0);
}
