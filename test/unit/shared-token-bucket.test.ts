/** The write budget (functions/shared/token-bucket.ts) on virtual time: a second of burst, then the rate, callers in order. */
import { describe, expect, it } from 'vitest';
import { type BucketClock, TokenBucket } from '../../functions/shared/token-bucket';

function virtualClock(): BucketClock & { ms: number } {
  const clock = {
    ms: 0,
    now: () => clock.ms,
    sleep: async (ms: number) => {
      clock.ms += ms;
    },
  };
  return clock;
}

describe('TokenBucket', () => {
  it('gives one second of the rate at once, then the rate', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(100, clock);
    const taken: Array<[number, number]> = [];
    for (let i = 0; i < 30; i++) {
      await bucket.take(20);
      taken.push([clock.ms, 20]);
    }
    // 600 tokens: 100 at once, the other 500 at 100/s.
    expect(clock.ms).toBe(5_000);
    let sum = 0;
    for (const [at, n] of taken) {
      sum += n;
      expect(sum).toBeLessThanOrEqual(100 + (100 * at) / 1000);
    }
  });

  it('serves concurrent callers in order, and refuses more than it can ever hold', async () => {
    const clock = virtualClock();
    const bucket = new TokenBucket(10, clock);
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => bucket.take(10).then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
    expect(clock.ms).toBe(2_000);
    expect(() => bucket.take(11)).toThrow(/cannot take 11/);
    expect(() => new TokenBucket(0)).toThrow(/above 0/);
  });
});
