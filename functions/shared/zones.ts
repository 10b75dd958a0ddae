/**
 * luxon, loaded on first use (README, "Measured"): every time-zone computation (quiet hours,
 * a cart's local midnight) awaits `loadLuxon()`, which imports
 * the side bundle luxon.mts once per container; later calls share it.
 */
import { onFirstUse } from './first-use';

type Luxon = typeof import('./luxon.mjs');

export const loadLuxon: () => Promise<Luxon> = /* @__PURE__ */ onFirstUse(() => import('./luxon.mjs'));
