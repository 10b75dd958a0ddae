/**
 * Bundle size and cold init per function: each manifest entry is bundled with exactly the esbuild
 * options CDK deploys (bench/bundle.ts), then a fresh `node` imports each bundle RUNS times,
 * round by round beside the SDK-only baseline, and the median is reported. Targets: < 1 MB minified, < 150 ms
 * init. Figures, not assertions: a miss is printed and recorded, it does not fail the run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { ENV } from '../functions/shared/env-names';
import { FUNCTIONS, type FunctionSpec } from '../lib/functions';
import { BUNDLING, REPO_ROOT, sideBundlesOf } from '../lib/constructs/bundling';
import { baseEnvironment } from '../lib/constructs/clienteling-function';
import { type BuiltBundle, bundleFunction } from './bundle';
import { mergeResults } from './results';

/** Rounds: on this shared machine one import of the same bundle ranges 38–77 ms within a run, so a median of 7 moved ratios by ±0.1 between runs; 21 holds them within a few hundredths. */
const RUNS = 21;
const MAX_BYTES = 1024 * 1024;
const MAX_INIT_MS = 150;
const CHILD_TIMEOUT_MS = 30_000;
const OUT_ROOT = join(REPO_ROOT, 'bench', 'tmp', 'bundles');

/** Every binding variable, set to a well-formed dummy: a handler's config check passes, nothing is called. */
const DUMMY_BINDINGS: Record<(typeof ENV)[keyof typeof ENV], string> = {
  [ENV.table]: 'bench-table',
  [ENV.uploads]: 'bench-uploads',
  [ENV.images]: 'bench-images',
  [ENV.importQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-import',
  [ENV.inboundQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-inbound.fifo',
  [ENV.senderQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-send',
  [ENV.bulkSenderQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-send-bulk',
  [ENV.mediaQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-media',
  [ENV.attributionQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-attribution',
  [ENV.erasureQueue]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-erasure.fifo',
  [ENV.twilioSecret]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-twilio',
  [ENV.paymentSecret]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-payment',
  [ENV.suppressionSecret]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-suppression',
  [ENV.cursorSecret]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-cursor',
  [ENV.publicBaseUrl]: 'https://bench.example.com',
  [ENV.paymentCheckoutUrl]: 'https://pay.example.com/checkout/{token}',
  [ENV.zoneScheduleGroup]: 'bench-zone-schedules',
  [ENV.zoneScheduleTarget]: 'arn:aws:lambda:us-east-1:123456789012:function:bench-sweeper',
  [ENV.zoneScheduleRole]: 'arn:aws:iam::123456789012:role/bench-scheduler',
  [ENV.eventBus]: 'bench-events',
  [ENV.webSocketCallbackUrl]: 'https://abc123.execute-api.us-east-1.amazonaws.com/live',
  [ENV.userPoolId]: 'us-east-1_bench1234',
  [ENV.userPoolClientId]: 'benchclient',
};

/**
 * Runs inside the child: the time to import the bundle, the CPU time that took (user + system:
 * what the import itself costs, which other processes on a shared machine do not stretch), and
 * the time since the process started.
 */
const CHILD_SCRIPT = `
const cpu = process.cpuUsage();
const started = performance.now();
await import(process.env.BENCH_BUNDLE_URL);
const imported = performance.now();
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ importMs: imported - started, cpuMs: (used.user + used.system) / 1000, sinceStartMs: imported }));
process.exit(0);
`;

interface ImportRun {
  readonly importMs: number;
  readonly cpuMs: number;
  readonly sinceStartMs: number;
}

interface BundleResult {
  readonly id: string;
  readonly entry: string;
  readonly bytes?: number;
  readonly gzipBytes?: number;
  /** Side bundles beside it, loaded on first use (the twilio REST client, the S3 SDK), not at init. */
  readonly lazyBytes?: number;
  /** The heavy modules it holds (lib/function-spec.ts, HeavyModule). */
  readonly heavy?: readonly string[];
  /** The largest packages in the bundle, by bytes in the output. */
  readonly largestInputs?: Array<{ name: string; bytes: number }>;
  readonly initMs?: number;
  /** CPU time of the import (median): the init work itself, whatever else the machine runs. */
  readonly initCpuMs?: number;
  readonly sinceStartMs?: number;
  readonly runsMs?: number[];
  readonly withinTargets?: boolean;
  readonly error?: string;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `node_modules/@aws-sdk/client-s3/dist-es/...` -> `@aws-sdk/client-s3`; own code -> its folder. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match) return match[1]!;
  return input.split('/').slice(0, 2).join('/');
}

function largestInputs(metafile: Metafile): Array<{ name: string; bytes: number }> {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(BUNDLING.outfile))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}

function importOnce(bundle: string, spec: FunctionSpec): Promise<ImportRun> {
  const { NODE_OPTIONS, ...base } = baseEnvironment(spec);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(NODE_OPTIONS?.split(' ') ?? []), '--input-type=module', '-e', CHILD_SCRIPT],
      {
        env: {
          PATH: process.env.PATH,
          ...base,
          ...DUMMY_BINDINGS,
          BENCH_BUNDLE_URL: pathToFileURL(bundle).href,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'bench',
          AWS_SECRET_ACCESS_KEY: 'bench',
          AWS_LAMBDA_FUNCTION_NAME: spec.id,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout) as ImportRun);
      } catch {
        reject(
          new Error(
            `importing the bundle of ${spec.entry} failed (exit ${code}): ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`,
          ),
        );
      }
    });
  });
}

/** A bundled function, ready to import: its figures so far, or the error that stopped it. */
interface Bundled {
  readonly spec: FunctionSpec;
  readonly result: BundleResult;
  readonly outfile?: string;
}

async function bundleOne(spec: FunctionSpec): Promise<Bundled> {
  let built: BuiltBundle;
  try {
    built = await bundleFunction(spec, join(OUT_ROOT, spec.id));
  } catch (error) {
    const errors =
      (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors ?? [];
    const detail = errors.length
      ? errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line} ` : ''}${e.text}`).join('; ')
      : String(error);
    return { spec, result: { id: spec.id, entry: spec.entry, error: `bundling ${spec.entry} failed: ${detail}` } };
  }
  const { outfile, bytes, metafile } = built;
  const result = {
    id: spec.id,
    entry: spec.entry,
    bytes,
    gzipBytes: gzipSync(readFileSync(outfile)).length,
    lazyBytes: sideBundlesOf(spec).length > 0 ? built.lazyBytes : undefined,
    heavy: built.heavy,
    largestInputs: largestInputs(metafile),
  };
  return { spec, result, outfile };
}

/**
 * Imports every bundle RUNS times, round by round (each round imports each bundle once), so the
 * baseline and every function see the same machine load: on a shared machine the load moves
 * between rounds, and a baseline measured only at the start would skew every ratio.
 */
async function importAll(bundled: readonly Bundled[]): Promise<BundleResult[]> {
  const runs = bundled.map(() => [] as ImportRun[]);
  const failures = new Map<number, string>();
  for (let round = 0; round < RUNS; round++)
    for (const [i, { spec, outfile }] of bundled.entries()) {
      if (!outfile || failures.has(i)) continue;
      process.stdout.write(`importing ${spec.id} (round ${round + 1} of ${RUNS})...`.padEnd(60) + '\r');
      try {
        runs[i]!.push(await importOnce(outfile, spec));
      } catch (error) {
        failures.set(i, (error as Error).message);
      }
    }
  return bundled.map(({ result, outfile }, i) => {
    if (!outfile) return result;
    const failure = failures.get(i);
    if (failure) return { ...result, withinTargets: false, error: failure };
    const initMs = median(runs[i]!.map((r) => r.importMs));
    return {
      ...result,
      initMs,
      initCpuMs: median(runs[i]!.map((r) => r.cpuMs)),
      sinceStartMs: median(runs[i]!.map((r) => r.sinceStartMs)),
      runsMs: runs[i]!.map((r) => Math.round(r.importMs * 10) / 10),
      withinTargets: result.bytes! < MAX_BYTES && initMs < MAX_INIT_MS,
    };
  });
}

const kb = (bytes?: number) => (bytes === undefined ? '-' : `${(bytes / 1024).toFixed(0)} KB`);
const ms = (value?: number) => (value === undefined ? '-' : `${value.toFixed(0)} ms`);

function printTable(results: readonly BundleResult[]): void {
  const rows = results.map((r) => [
    r.id,
    kb(r.bytes),
    kb(r.gzipBytes),
    kb(r.lazyBytes),
    ms(r.initMs),
    ms(r.initCpuMs),
    ms(r.sinceStartMs),
    r.error ? 'ERROR' : r.withinTargets ? 'ok' : 'MISS',
    (r.largestInputs ?? []).map((i) => `${i.name} ${kb(i.bytes)}`).join(', '),
  ]);
  const header = [
    'function',
    'minified',
    'gzip',
    'loaded on first use',
    'init (median)',
    'init CPU',
    'since start',
    `< 1 MB, < ${MAX_INIT_MS} ms`,
    'largest packages',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const r of results.filter((r) => r.error)) console.log(`\n${r.id}: ${r.error}`);
}

/** A bundle holding only the DynamoDB client: the limit cold init is read against (median ≤ 1.3x it, slowest ≤ 1.6x). */
const BASELINE: FunctionSpec = {
  id: 'SdkOnlyBaseline',
  capability: 'platform',
  entry: 'bench/sdk-only.ts',
  description: 'DynamoDB client only',
  uses: {},
};
const BUDGET = { median: 1.3, slowest: 1.6 } as const;

/** The median and slowest function against the baseline (results[0]), by one init figure. */
function ratios(results: readonly BundleResult[], figure: (result: BundleResult) => number | undefined) {
  const baseline = figure(results[0]!);
  const inits = results
    .slice(1)
    .flatMap((r) => (figure(r) === undefined ? [] : [figure(r)!]))
    .sort((a, b) => a - b);
  if (baseline === undefined || inits.length === 0) return undefined;
  return {
    baselineMs: baseline,
    median: inits[Math.floor(inits.length / 2)]! / baseline,
    slowest: inits.at(-1)! / baseline,
    budget: BUDGET,
  };
}

export async function run(): Promise<void> {
  process.stdout.write('bundling...\r');
  const bundled = await Promise.all([BASELINE, ...(FUNCTIONS as readonly FunctionSpec[])].map(bundleOne));
  const results = await importAll(bundled);
  process.stdout.write(' '.repeat(60) + '\r');
  printTable(results);
  const againstBaseline = ratios(results, (r) => r.initMs);
  const cpuAgainstBaseline = ratios(results, (r) => r.initCpuMs);
  for (const [what, figures] of [
    ['cold init (wall time)', againstBaseline],
    ['cold init (CPU time)', cpuAgainstBaseline],
  ] as const)
    if (figures)
      console.log(
        `\n${what} against the SDK-only bundle (${figures.baselineMs.toFixed(0)} ms): median ${figures.median.toFixed(2)}x (budget ${BUDGET.median}x), slowest ${figures.slowest.toFixed(2)}x (budget ${BUDGET.slowest}x)`,
      );
  // Init times scale with how busy the machine is; the load average says how to read them.
  const [load1] = loadavg();
  console.log(`\nload average ${load1!.toFixed(1)} on ${cpus().length} CPUs during the run`);
  mergeResults('bundles', {
    measuredAt: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, loadAverage1m: Math.round(load1! * 10) / 10 },
    runsPerFunction: RUNS,
    targets: { maxBytes: MAX_BYTES, maxInitMs: MAX_INIT_MS },
    againstBaseline,
    cpuAgainstBaseline,
    bundling: BUNDLING,
    functions: results,
  });
}
