/**
 * `npm run bench -- sizes`: bundles every function (bench/bundle.ts) and records each bundle's
 * minified size in bench/bundle-sizes.json, the sizes test/infra/bundles.test.ts holds bundles to
 * (at most 10 % over). Run it after a change that is meant to grow a bundle, and commit the file.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS, type FunctionSpec } from '../lib/functions';
import { REPO_ROOT } from '../lib/constructs/bundling';
import { bundleFunction, type BuiltBundle } from './bundle';

const SIZES_PATH = fileURLToPath(new URL('./bundle-sizes.json', import.meta.url));

/** Bundles every manifest entry at once (esbuild builds in parallel) under `root`, one folder per function. */
export async function bundleAll(root: string): Promise<Map<string, BuiltBundle>> {
  const specs = FUNCTIONS as readonly FunctionSpec[];
  const built = await Promise.all(specs.map((spec) => bundleFunction(spec, join(root, spec.id))));
  return new Map(specs.map((spec, i) => [spec.id, built[i]!]));
}

/** The recorded minified size of each function's bundle, by function id; empty before the first record. */
export function recordedSizes(): Record<string, number> {
  return existsSync(SIZES_PATH) ? (JSON.parse(readFileSync(SIZES_PATH, 'utf8')) as Record<string, number>) : {};
}

export async function run(): Promise<void> {
  const built = await bundleAll(join(REPO_ROOT, 'bench', 'tmp', 'sizes'));
  const before = recordedSizes();
  const sizes = Object.fromEntries([...built].map(([id, bundle]) => [id, bundle.bytes]));
  console.table(
    Object.entries(sizes).map(([id, bytes]) => ({
      function: id,
      'recorded before': before[id] ?? '-',
      now: bytes,
      change: before[id] ? `${(((bytes - before[id]) / before[id]) * 100).toFixed(1)} %` : '-',
    })),
  );
  const partial = `${SIZES_PATH}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(sizes, null, 2)}\n`);
  renameSync(partial, SIZES_PATH);
  console.log(`recorded in ${SIZES_PATH}`);
}
