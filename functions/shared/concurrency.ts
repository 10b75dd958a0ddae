/**
 * Doing several things at once within a limit, and waiting before a retry: the worker pool and
 * the backoff that every batch loop and retry loop uses (DynamoDB batches and transactions, SQS
 * batch sends, batch customer creation). No AWS import: callers bring the work.
 */

/**
 * Sleeps a random time up to `baseMs * 2^attempt`, capped at `capMs`: the "full jitter" backoff
 * AWS recommends, so callers that collided (throttled, or cancelled by a transaction conflict)
 * spread out instead of retrying in step.
 */
export async function backoff(attempt: number, baseMs = 25, capMs = 2_000): Promise<void> {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Runs `work` on every item, at most `limit` at once, taking items in order. Resolves when all
 * are done; on the first failure no new item is started, and it rejects with that failure once
 * the items already running have settled (so nothing still runs when the caller hears of it).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  let failure: unknown;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed) throw failure;
}

/** Slices `all` into arrays of at most `size`, in order. */
export function slices<T>(all: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}
