/**
 * The generated tables of docs/architecture.md (lib/manifest-docs.ts): the capabilities, the
 * functions and the queues as the manifest declares them. A change to lib/functions.ts or
 * lib/queues.ts that is not followed by `npm run docs:tables` fails here, naming the section.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/local/defaults';
import { FUNCTIONS } from '../../lib/functions';
import { QUEUES } from '../../lib/queues';
import { ARCHITECTURE_TABLES, sectionOf, withGeneratedTables } from '../../lib/manifest-docs';

const architecture = readFileSync(join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');

/** A table's cells, trimmed: what it says, whatever padding a formatter gave it. */
const cellsOf = (table: string) =>
  table
    .trim()
    .split('\n')
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()));

describe('docs/architecture.md, the tables generated from the manifest', () => {
  it.each(Object.keys(ARCHITECTURE_TABLES))(
    'the %s table is what the manifest generates (npm run docs:tables)',
    (name) => {
      expect(cellsOf(sectionOf(architecture, name)), `run npm run docs:tables: the ${name} table drifted`).toEqual(
        cellsOf(ARCHITECTURE_TABLES[name]!()),
      );
    },
  );

  it('names every function and every queue of the manifest once, with its limits', () => {
    const functions = cellsOf(sectionOf(architecture, 'functions')).slice(2);
    expect(functions.map((row) => row[1])).toEqual(FUNCTIONS.map((fn) => fn.id));
    const writer = functions.find((row) => row[1] === 'OutreachWriter')!;
    expect(writer[5]).toBe(String(FUNCTIONS.find((fn) => fn.id === 'OutreachWriter')!.reservedConcurrency));
    const queues = cellsOf(sectionOf(architecture, 'queues')).slice(2);
    expect(queues.map((row) => row[1])).toEqual(QUEUES.map((q) => `\`${q.name}\``));
    const imports = QUEUES.find((q) => q.name === 'import')!;
    expect(queues[0]![6]).toBe(
      `${imports.deadLetters.id} after ${imports.deadLetters.maxReceives} receives (kept 14 days)`,
    );
  });

  it('rewrites a stale section and keeps the prose around it', () => {
    const stale = architecture.replace(
      /<!-- queues:begin -->[\s\S]*?<!-- queues:end -->/,
      '<!-- queues:begin -->\n| queue |\n| --- |\n| old |\n<!-- queues:end -->',
    );
    const rewritten = withGeneratedTables(stale);
    expect(cellsOf(sectionOf(rewritten, 'queues'))).toEqual(cellsOf(ARCHITECTURE_TABLES.queues!()));
    expect(rewritten.replace(/<!-- (\w+):begin -->[\s\S]*?<!-- \1:end -->/g, '')).toBe(
      architecture.replace(/<!-- (\w+):begin -->[\s\S]*?<!-- \1:end -->/g, ''),
    );
  });

  it('refuses a document without the markers', () => {
    expect(() => withGeneratedTables('# Architecture\n')).toThrow(/no <!-- capabilities:begin -->/);
  });
});
