/**
 * The tables of docs/architecture.md that restate the manifest (the capabilities, every function
 * with its trigger and limits, every queue with its consumer and dead-letter queue), generated
 * from lib/functions.ts and lib/queues.ts so the document cannot drift from what is deployed.
 * `npm run docs:tables` (bin/docs-tables.ts) rewrites each section between its markers,
 * `<!-- <name>:begin -->` and `<!-- <name>:end -->`, and test/unit/docs-tables.test.ts fails when
 * the checked-in tables differ from what the manifest generates. CDK-free, like the manifest.
 */
import type { FunctionSpec } from './function-spec';
import { FUNCTIONS } from './functions';
import { QUEUES, queueConsumer } from './queues';

const MANIFEST = FUNCTIONS as readonly FunctionSpec[];
const code = (text: string) => `\`${text}\``;
const list = (items: readonly string[]) => items.join(', ');
const distinct = <T>(items: readonly T[]) => [...new Set(items)];

/** A Markdown table, its columns padded to their widest cell (as Biome formats one). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

/** The first path segments a function's routes live under: `/stores`, `/inbox`, … */
const routeRoots = (fn: FunctionSpec) => distinct((fn.routes ?? []).map((r) => `/${r.path.split('/')[1]}`));

/** What invokes one function, in a few words per trigger. */
function triggersOf(fn: FunctionSpec): string[] {
  const triggers: string[] = [];
  const routes = fn.routes ?? [];
  if (routes.length > 0 && routes.length <= 2) triggers.push(list(routes.map((r) => code(`${r.method} ${r.path}`))));
  else if (routes.length > 2) triggers.push(`${routes.length} routes under ${list(routeRoots(fn).map(code))}`);
  if (fn.fallback) triggers.push(`the ${code('$default')} route`);
  if (fn.s3) triggers.push(`S3 ${list(fn.s3.prefixes.map((p) => code(`${p}*${fn.s3!.suffix}`)))}`);
  if (fn.sqs) {
    const window = fn.sqs.maxBatchingWindowSeconds ? `, window ${fn.sqs.maxBatchingWindowSeconds} s` : '';
    triggers.push(
      `the ${code(fn.sqs.queue)} queue (batch ${fn.sqs.batchSize}${window}, ≤ ${fn.sqs.maxConcurrency} at once)`,
    );
  }
  if (fn.schedule) triggers.push(`schedule ${code(fn.schedule.name)}, every ${fn.schedule.everyMinutes} min`);
  if (fn.zoneMidnights) triggers.push("each store zone's 00:00 schedule");
  if (fn.stream) triggers.push('the table stream');
  if (fn.webSocket) triggers.push(`WebSocket ${list(fn.webSocket.routes.map(code))}`);
  return triggers;
}

/** The capabilities in the manifest's order, each with its functions. */
function capabilities(): Map<string, FunctionSpec[]> {
  const byCapability = new Map<string, FunctionSpec[]>();
  for (const fn of MANIFEST) byCapability.set(fn.capability, [...(byCapability.get(fn.capability) ?? []), fn]);
  return byCapability;
}

/** A capability's triggers, summed up by kind: route roots, S3 prefixes, queues, schedules, the rest. */
function capabilityTriggers(functions: readonly FunctionSpec[]): string {
  const named = (one: string, many: string, names: readonly string[]) =>
    names.length === 0 ? [] : [`${names.length === 1 ? one : many} ${list(names)}`];
  const roots = distinct(functions.flatMap(routeRoots));
  return [
    ...(roots.length > 0 ? [`routes (${list(roots.map(code))})`] : []),
    ...(functions.some((fn) => fn.fallback) ? [`the ${code('$default')} route`] : []),
    ...named('S3', 'S3', distinct(functions.flatMap((fn) => fn.s3?.prefixes ?? [])).map(code)),
    ...named(
      'queue',
      'queues',
      functions.flatMap((fn) => (fn.sqs ? [code(fn.sqs.queue)] : [])),
    ),
    ...named(
      'schedule',
      'schedules',
      functions.flatMap((fn) => (fn.schedule ? [`${code(fn.schedule.name)} (${fn.schedule.everyMinutes} min)`] : [])),
    ),
    ...(functions.some((fn) => fn.zoneMidnights) ? ["each store zone's 00:00 schedule"] : []),
    ...(functions.some((fn) => fn.stream) ? ['the table stream'] : []),
    ...(functions.some((fn) => fn.webSocket) ? ['the WebSocket API'] : []),
  ].join('; ');
}

/** capability | folder | functions | triggers. */
export function capabilitiesTable(): string {
  const rows = [...capabilities()].map(([capability, functions]) => [
    capability,
    list(distinct(functions.map((fn) => code(`${fn.entry.split('/').slice(0, 2).join('/')}/`)))),
    list(functions.map((fn) => fn.id)),
    capabilityTriggers(functions),
  ]);
  return markdownTable(['capability', 'folder', 'functions (manifest ids)', 'triggers'], rows);
}

/** function | capability | handler | triggered by | reserved concurrency | memory, timeout. */
export function functionsTable(): string {
  const rows = MANIFEST.map((fn) => [
    fn.id,
    fn.capability,
    code(fn.entry.replace(/^functions\//, '')),
    triggersOf(fn).join('; '),
    fn.reservedConcurrency === undefined ? '—' : String(fn.reservedConcurrency),
    `${fn.memoryMb === undefined ? 'default' : `${fn.memoryMb} MB`}, ${fn.timeoutSeconds === undefined ? 'default' : `${fn.timeoutSeconds} s`}`,
  ]);
  return markdownTable(
    ['function', 'capability', 'handler (`functions/…`)', 'triggered by', 'reserved concurrency', 'memory, timeout'],
    rows,
  );
}

/** queue | FIFO | consumer | visibility | dead letters. */
export function queuesTable(): string {
  const rows = QUEUES.map((queue) => {
    const consumer = queueConsumer(queue.name);
    return [
      code(queue.name),
      queue.fifo ? 'FIFO' : 'standard',
      code(queue.sendBinding),
      `${consumer.id} (batch ${consumer.sqs.batchSize}, ≤ ${consumer.sqs.maxConcurrency} at once)`,
      `${queue.visibilityTimeoutSeconds} s`,
      `${queue.deadLetters.id} after ${queue.deadLetters.maxReceives} receives (kept ${queue.deadLetters.retentionDays} days)`,
    ];
  });
  return markdownTable(['queue', 'kind', 'senders grant', 'consumer', 'visibility', 'dead-letter queue'], rows);
}

/** The generated sections of docs/architecture.md, by marker name. */
export const ARCHITECTURE_TABLES: Readonly<Record<string, () => string>> = {
  capabilities: capabilitiesTable,
  functions: functionsTable,
  queues: queuesTable,
};

/** The text between `<!-- name:begin -->` and `<!-- name:end -->`, trimmed; throws when the markers are missing. */
export function sectionOf(document: string, name: string): string {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(begin);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/architecture.md has no ${begin} … ${end} section`);
  return document.slice(from + begin.length, to).trim();
}

/** The document with each generated section replaced by what the manifest generates now. */
export function withGeneratedTables(document: string): string {
  let rewritten = document;
  for (const [name, generate] of Object.entries(ARCHITECTURE_TABLES)) {
    sectionOf(rewritten, name); // throws when the markers are missing
    const begin = `<!-- ${name}:begin -->`;
    const start = rewritten.indexOf(begin) + begin.length;
    const stop = rewritten.indexOf(`<!-- ${name}:end -->`);
    rewritten = `${rewritten.slice(0, start)}\n\n${generate()}\n\n${rewritten.slice(stop)}`;
  }
  return rewritten;
}
