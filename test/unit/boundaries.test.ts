/**
 * The import boundaries of functions/ (docs/architecture.md, "Layers"): every capability folder
 * has a layer, and a file may import only its own capability or one below it; no two capabilities
 * import each other, however far round (read off the import graph, not only the declared order);
 * and nothing under functions/ imports lib/ (the infrastructure never enters a Lambda bundle).
 * Imports are read with TypeScript's own pre-processor (static, `import type`, re-exports and
 * dynamic `import()`), so a comment or a string that looks like an import is not one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers, bottom to top: the one declaration of the order (docs/architecture.md prints it).
 * A capability may import those before it in this list, never one after it.
 */
const LAYERS = [
  'shared',
  'stores',
  'campaigns',
  'reports',
  'conversations',
  'carts',
  'tasks',
  'events',
  'customers',
  'platform',
] as const;

/** Files outside functions/ a function may import: the generated API document it serves. */
const OUTSIDE_ALLOWED = ['docs/openapi.json'];

const REPO = resolve(import.meta.dirname, '../..');

interface Import {
  /** The importing file, relative to the repository. */
  readonly file: string;
  readonly line: number;
  /** The import as written. */
  readonly specifier: string;
  /** What it resolves to, relative to the repository. */
  readonly target: string;
}

/** Every relative import of one source file (packages are not capabilities). */
function importsOf(file: string, source: string): Import[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .filter((ref) => ref.fileName.startsWith('.'))
    .map((ref) => ({
      file,
      line: source.slice(0, ref.pos).split('\n').length,
      specifier: ref.fileName,
      target: relative(REPO, resolve(REPO, dirname(file), ref.fileName))
        .split(sep)
        .join('/'),
    }));
}

/** The capability folder of a path under functions/, or undefined for a path outside it. */
const capabilityOf = (path: string): string | undefined =>
  path.startsWith('functions/') ? path.split('/')[1] : undefined;

const describeImport = (i: Import) => `${i.file}:${i.line} imports '${i.specifier}'`;

/** Capabilities in a cycle of the capability graph: its strongly connected components of two or more (Tarjan). */
function cyclesOf(edges: ReadonlyMap<string, ReadonlyMap<string, Import>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/**
 * What breaks the boundaries in these sources (path relative to the repository → text), one
 * message per offence, each naming the file, its line and the import.
 */
function boundaryViolations(sources: ReadonlyMap<string, string>, layers: readonly string[] = LAYERS): string[] {
  const violations: string[] = [];
  const edges = new Map<string, Map<string, Import>>();
  for (const [file, source] of sources) {
    const from = capabilityOf(file)!;
    if (!layers.includes(from)) violations.push(`${file}: functions/${from}/ has no layer in LAYERS`);
    for (const i of importsOf(file, source)) {
      const to = capabilityOf(i.target);
      if (to === undefined) {
        if (i.target.startsWith('lib/')) violations.push(`${describeImport(i)}: functions/ never imports lib/`);
        else if (!OUTSIDE_ALLOWED.includes(i.target)) violations.push(`${describeImport(i)}: outside functions/`);
        continue;
      }
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, i);
      if (layers.indexOf(to) > layers.indexOf(from))
        violations.push(`${describeImport(i)}: ${from} may not import ${to}, a layer above it`);
    }
  }
  for (const cycle of cyclesOf(edges)) {
    const links = cycle.flatMap((from) =>
      cycle.filter((to) => edges.get(from)?.has(to)).map((to) => describeImport(edges.get(from)!.get(to)!)),
    );
    violations.push(`capabilities import each other: ${cycle.join(', ')} (${links.join('; ')})`);
  }
  return violations;
}

/** Every .ts and .mts file under functions/, by path relative to the repository. */
function functionSources(): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(REPO, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.m?ts$/.test(entry.name)) sources.set(path, readFileSync(join(REPO, path), 'utf8'));
    }
  };
  walk('functions');
  return sources;
}

describe('the import boundaries of functions/', () => {
  it('hold: no upward import, no cycle between capabilities, no import of lib/', () => {
    const sources = functionSources();
    expect(sources.size).toBeGreaterThan(100);
    expect(boundaryViolations(sources)).toEqual([]);
  });

  it('give every folder of functions/ a layer, and every layer a folder', () => {
    const folders = readdirSync(join(REPO, 'functions'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual([...LAYERS].sort());
  });

  it('are the order docs/architecture.md prints', () => {
    const doc = readFileSync(join(REPO, 'docs/architecture.md'), 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('Layers, bottom to top:'));
    expect(line?.match(/`(\w+)`/g)?.map((name) => name.slice(1, -1))).toEqual([...LAYERS]);
  });
});

describe('the boundary check itself', () => {
  const file = (path: string, ...imports: string[]) =>
    [path, imports.map((from, i) => `import { x${i} } from '${from}';`).join('\n')] as const;

  it('names the file, the line and the import of an upward import', () => {
    const sources = new Map([file('functions/stores/rules.ts', '../shared/clock', '../carts/model')]);
    expect(boundaryViolations(sources)).toEqual([
      "functions/stores/rules.ts:2 imports '../carts/model': stores may not import carts, a layer above it",
    ]);
  });

  it('names a cycle, read off the graph: every capability in it and the import of each link', () => {
    const sources = new Map([
      file('functions/stores/a.ts', '../campaigns/b'),
      file('functions/campaigns/b.ts', '../reports/c'),
      file('functions/reports/c.ts', '../stores/a'),
    ]);
    // A cycle always has an upward link too (stores → campaigns, campaigns → reports here); its
    // own message names the whole loop, whatever the declared order says.
    const cycles = boundaryViolations(sources).filter((v) => v.includes('each other'));
    expect(cycles).toEqual([
      'capabilities import each other: campaigns, reports, stores (' +
        "functions/campaigns/b.ts:1 imports '../reports/c'; functions/reports/c.ts:1 imports '../stores/a'; " +
        "functions/stores/a.ts:1 imports '../campaigns/b')",
    ]);
  });

  it('refuses lib/ and anything else outside functions/, type-only and dynamic imports included', () => {
    const sources = new Map([
      [
        'functions/campaigns/writer.handler.ts',
        "import type { X } from '../../lib/functions';\nconst y = await import('../../bin/tool');\n" +
          "// from '../../lib/not-an-import'\nimport doc from '../../docs/openapi.json';",
      ],
    ]);
    expect(boundaryViolations(sources)).toEqual([
      "functions/campaigns/writer.handler.ts:1 imports '../../lib/functions': functions/ never imports lib/",
      "functions/campaigns/writer.handler.ts:2 imports '../../bin/tool': outside functions/",
    ]);
  });

  it('refuses a folder with no layer', () => {
    expect(boundaryViolations(new Map([file('functions/billing/x.ts')]))).toEqual([
      'functions/billing/x.ts: functions/billing/ has no layer in LAYERS',
    ]);
  });
});
