/** The worker pool and the backoff every batch and retry loop shares (functions/shared/concurrency.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoff, forEachConcurrently, slices } from '../../functions/shared/concurrency';

/** A promise the test settles by hand, to control when each piece of work ends. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('runs every item once, never more than the limit at a time, taking items in order', async () => {
    let running = 0;
    let peak = 0;
    const seen: Array<[number, number]> = [];
    await forEachConcurrently([10, 11, 12, 13, 14, 15, 16], 3, async (item, index) => {
      running++;
      peak = Math.max(peak, running);
      seen.push([item, index]);
      await new Promise((resolve) => setTimeout(resolve, 5 * (index % 3)));
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.map(([, index]) => index).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.slice(0, 3)).toEqual([
      [10, 0],
      [11, 1],
      [12, 2],
    ]);
  });

  it('starts the next item as soon as one finishes, not when the whole wave has', async () => {
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const done = forEachConcurrently([0, 1, 2], 2, async (i) => {
      started.push(i);
      await gates[i]!.promise;
    });
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.open();
    gates[2]!.open();
    await done;
  });

  it('starts nothing new after a failure, and rejects with it only once the running work has settled', async () => {
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let settled = false;
    const done = forEachConcurrently([0, 1, 2, 3], 2, async (i) => {
      started.push(i);
      await gates[i]!.promise;
    }).finally(() => {
      settled = true;
    });
    await tick();
    gates[0]!.fail(new Error('throttled'));
    await tick();
    expect(settled).toBe(false);
    gates[1]!.open();
    await expect(done).rejects.toThrow('throttled');
    expect(started).toEqual([0, 1]);
  });

  it('does nothing for no items, and treats a limit below one as one', async () => {
    const work = vi.fn(async () => {});
    await forEachConcurrently([], 4, work);
    expect(work).not.toHaveBeenCalled();
    await forEachConcurrently(['a', 'b'], 0, work);
    expect(work.mock.calls).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
  });
});

describe('slices', () => {
  it.each([
    [[1, 2, 3, 4, 5], 2, [[1, 2], [3, 4], [5]]],
    [
      [1, 2, 3, 4],
      2,
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [[], 25, []],
  ])('cuts %j into pieces of %i: %j', (all, size, expected) => {
    expect(slices(all, size)).toEqual(expected);
  });
});

describe('backoff', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each([
    // attempt, base, cap, the longest sleep, why
    [0, 25, 2_000, 25, 'the first retry waits up to the base'],
    [3, 25, 2_000, 200, 'each attempt doubles the ceiling'],
    [10, 25, 2_000, 2_000, 'the cap bounds a long run of retries'],
    [2, 20, 50, 50, 'a transaction retry with a low cap'],
  ])('attempt %i (base %i ms, cap %i ms) sleeps at most %i ms: %s', async (attempt, base, cap, longest) => {
    vi.useFakeTimers();
    // Math.random() stays below 1; at 1 the sleep is exactly the ceiling, which is what this checks.
    vi.spyOn(Math, 'random').mockReturnValue(1);
    let woke = false;
    const sleeping = backoff(attempt, base, cap).then(() => {
      woke = true;
    });
    await vi.advanceTimersByTimeAsync(longest - 1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('sleeps a random share of the ceiling (full jitter), not the ceiling itself', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    let woke = false;
    const sleeping = backoff(3, 25, 2_000).then(() => {
      woke = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
  });
});
