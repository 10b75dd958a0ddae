/**
 * `npm run bench [-- name...]`: runs the named benchmarks, or all of them. Each prints its table
 * and merges its figures into bench/results.json under its own key. Figures, not assertions.
 * To add one: a module exporting `run(): Promise<void>`, and a line in BENCHES. `sizes` records
 * bundle sizes rather than measuring, so it runs only when named.
 */
export {};

const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  bundles: () => import('./bundles'),
  sizes: () => import('./sizes'),
  import: () => import('./import'),
  inbound: () => import('./inbound'),
  sender: () => import('./sender'),
  events: () => import('./events'),
  budgets: () => import('./budgets'),
  api: () => import('./api'),
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}

const everyBench = Object.keys(BENCHES).filter((name) => name !== 'sizes');
for (const name of requested.length > 0 ? requested : everyBench) {
  console.log(`\n── ${name} ──`);
  const bench = await BENCHES[name]!();
  await bench.run();
}
