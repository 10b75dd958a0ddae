/**
 * luxon on its own (~70 KB): deployed bundles keep it out of the handler file and build it into
 * `luxon.mjs` beside `index.mjs` (lib/constructs/bundling.ts, SIDE_BUNDLES), loaded by the first
 * request that computes in a store's time zone (zones.ts): an inbox page, a receipt or an inbound
 * message never does. Locally and in tests the same import resolves to this file.
 */
export { DateTime } from 'luxon';
