/**
 * `npm run docs:tables`: rewrites the generated tables of docs/architecture.md (the capabilities,
 * the functions, the queues) from the manifest, between their `<!-- name:begin/end -->` markers
 * (lib/manifest-docs.ts), and formats the file as Biome would. Run it after changing
 * lib/functions.ts or lib/queues.ts; test/unit/docs-tables.test.ts fails until you do.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/local/defaults';
import { withGeneratedTables } from '../lib/manifest-docs';

const file = join(REPO_ROOT, 'docs', 'architecture.md');
const before = readFileSync(file, 'utf8');
writeFileSync(file, withGeneratedTables(before));
execFileSync(join(REPO_ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', file], { stdio: 'ignore' });
console.log(
  readFileSync(file, 'utf8') === before ? 'docs/architecture.md: up to date' : 'docs/architecture.md: tables rewritten',
);
