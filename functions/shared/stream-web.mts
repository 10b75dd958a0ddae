/**
 * Stands in for `node:stream/web` in every handler bundle (lib/constructs/bundling.ts,
 * BUNDLING.alias). @middy/core imports `ReadableStream` from it at its top, only to tell a
 * streamed response body apart (`instanceof`), and no function here streams its response; but
 * the import alone loads Node's web streams, ~2 ms of every cold start (README, "Measured").
 * Here nothing loads until a check is made: it asks the global `ReadableStream`, which Node
 * loads on first access. The bundle guard (test/infra/bundles.test.ts) fails if any other
 * module comes to import `node:stream/web`, since it would get only this.
 */
export const ReadableStream = {
  [Symbol.hasInstance]: (value: unknown): boolean => value instanceof globalThis.ReadableStream,
};
