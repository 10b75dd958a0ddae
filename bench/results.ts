/**
 * bench/results.json: one key per benchmark ("bundles", "import", "api"), merged so that running
 * one benchmark keeps the figures of the others.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS_PATH = fileURLToPath(new URL('./results.json', import.meta.url));

export function mergeResults(key: string, value: unknown): void {
  const current = existsSync(RESULTS_PATH)
    ? (JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Record<string, unknown>)
    : {};
  current[key] = value;
  // Write then rename, so a concurrent reader never sees half a file.
  const partial = `${RESULTS_PATH}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(current, null, 2)}\n`);
  renameSync(partial, RESULTS_PATH);
}
