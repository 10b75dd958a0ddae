/**
 * `npm run bench [-- name...]`: runs the named benchmarks, or all of them. Each prints its table
 * and merges its figures into bench/results.json under its own key. Figures, not assertions.
 * To add one: a module exporting `run(): Promise<void>`, and a line in BENCHES.
 */
export {};

const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  bundles: () => import('./bundles'),
  import: () => import('./import'),
  inbound: () => import('./inbound'),
  sender: () => import('./sender'),
  events: () => import('./events'),
  budgets: () => import('./budgets'),
};

const requested = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = requested.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}

for (const name of requested.length > 0 ? requested : Object.keys(BENCHES)) {
  console.log(`\n── ${name} ──`);
  const bench = await BENCHES[name]!();
  await bench.run();
}
