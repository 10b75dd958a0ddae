/**
 * A write budget: a token bucket of `ratePerSecond` tokens a second, holding at most one second's
 * worth (`capacity`, the burst). `take(n)` waits until n tokens are there, then spends them, so
 * over any window of T seconds at most `capacity + ratePerSecond x T` tokens are spent. The clock
 * and the wait are injected, so tests run it on virtual time (no timed assertion).
 */

export interface BucketClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: BucketClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  readonly capacity: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ratePerSecond: number,
    private readonly clock: BucketClock = realClock,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`a write budget needs a rate above 0, not ${ratePerSecond}`);
    this.capacity = ratePerSecond;
    this.tokens = ratePerSecond;
    this.last = clock.now();
  }

  /** Waits until `n` tokens (at most the capacity) are there, and spends them; callers are served in order. */
  take(n: number): Promise<void> {
    if (n > this.capacity) throw new Error(`cannot take ${n} tokens from a bucket of ${this.capacity}`);
    const turn = this.queue.then(() => this.wait(n));
    this.queue = turn;
    return turn;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }

  private async wait(n: number): Promise<void> {
    this.refill();
    while (this.tokens < n) {
      await this.clock.sleep(Math.ceil(((n - this.tokens) / this.ratePerSecond) * 1000));
      this.refill();
    }
    this.tokens -= n;
  }
}
