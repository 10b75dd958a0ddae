/**
 * luxon, loaded on first use (README, "Measured"): every time-zone computation (quiet hours,
 * a cart's local midnight, a time shown on the store's clock) awaits `loadLuxon()`, which imports
 * the side bundle luxon.mts once per container; later calls share it.
 */
export type Luxon = typeof import('./luxon.mjs');

let loading: Promise<Luxon> | undefined;

export function loadLuxon(): Promise<Luxon> {
  loading ??= import('./luxon.mjs').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
