/**
 * A side bundle (or anything costly) loaded on the first call, not at cold start (README,
 * "Measured"): later calls share the one load; a load that failed is tried again by the next call
 * instead of failing every call of the container. Used for the twilio REST client, the S3 SDK
 * and luxon (lib/constructs/bundling.ts, SIDE_BUNDLES).
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/**
 * A value built on the first call, not at cold start: an SDK client a function may not need on
 * every request (README, "Measured"), an Intl table. Later calls get the same value.
 */
export function builtOnFirstCall<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}
