import { describe, expect, it } from 'vitest';
import {
  CircuitBreaker,
  MAX_RETRY_DELAY_SECONDS,
  pace,
  RETRY_WINDOW_MS,
  retryDelaySeconds,
  takenByCarrier,
} from '../../functions/conversations/sending-rules';

describe('pace (one number, 1 message/s)', () => {
  const intervalMs = 1000;
  const now = 1_000_000;

  it.each([
    ['an idle number sends now', undefined, 'interactive', { book: { slotAt: now, nextSlotAt: now + 1000 } }],
    ['a slot in the past is now', now - 5000, 'bulk', { book: { slotAt: now, nextSlotAt: now + 1000 } }],
    ['bulk books the next second', now + 1000, 'bulk', { book: { slotAt: now + 1000, nextSlotAt: now + 2000 } }],
    ['bulk waits beyond a second', now + 4000, 'bulk', { waitMs: 3000 }],
    [
      'interactive books up to 10 s ahead, ahead of bulk',
      now + 4000,
      'interactive',
      { book: { slotAt: now + 4000, nextSlotAt: now + 5000 } },
    ],
    ['interactive waits beyond 10 s', now + 12_500, 'interactive', { waitMs: 2500 }],
  ] as const)('%s', (_name, nextSlotAt, priority, expected) => {
    expect(pace({ now, nextSlotAt, intervalMs, priority })).toEqual(expected);
  });

  it('a steady bulk load leaves the slots beyond a second to interactive sends', () => {
    let nextSlotAt: number | undefined;
    let t = now;
    let bulkSent = 0;
    // Bulk keeps asking every 100 ms for 10 s: it never books more than a second ahead.
    for (; t < now + 10_000; t += 100) {
      const decision = pace({ now: t, nextSlotAt, intervalMs, priority: 'bulk' });
      if ('book' in decision) {
        nextSlotAt = decision.book.nextSlotAt;
        bulkSent++;
        expect(decision.book.slotAt - t).toBeLessThanOrEqual(1000);
      }
    }
    expect(bulkSent).toBeGreaterThanOrEqual(10);
    expect(bulkSent).toBeLessThanOrEqual(12);
    const reply = pace({ now: t, nextSlotAt, intervalMs, priority: 'interactive' });
    expect(reply).toHaveProperty('book');
  });
});

describe('retryDelaySeconds', () => {
  const first = 0;
  it('grows from the base, with jitter between half and all of the ceiling', () => {
    const low = (attempt: number) =>
      retryDelaySeconds({ attempt, firstAttemptAt: first, now: first, baseSeconds: 5, random: () => 0 });
    const high = (attempt: number) =>
      retryDelaySeconds({ attempt, firstAttemptAt: first, now: first, baseSeconds: 5, random: () => 1 });
    expect([low(1), high(1)]).toEqual([3, 5]);
    expect([low(2), high(2)]).toEqual([5, 10]);
    expect([low(4), high(4)]).toEqual([20, 40]);
    expect(high(20)).toBe(MAX_RETRY_DELAY_SECONDS);
  });

  it('gives up once the next try would start more than 15 minutes after the first', () => {
    const at = (now: number) =>
      retryDelaySeconds({ attempt: 9, firstAttemptAt: first, now, baseSeconds: 5, random: () => 1 });
    expect(at(RETRY_WINDOW_MS - 301_000)).toBe(300);
    expect(at(RETRY_WINDOW_MS - 299_000)).toBeUndefined();
  });
});

describe('CircuitBreaker', () => {
  it('opens after five failures in a row, lets one probe through after 30 s, closes on its success', () => {
    const breaker = new CircuitBreaker(5, 30_000);
    for (let i = 0; i < 4; i++) breaker.failed(i);
    expect(breaker.waitMs(10)).toBe(0);
    breaker.failed(100);
    expect(breaker.waitMs(1100)).toBe(29_000);
    expect(breaker.waitMs(30_100)).toBe(0); // the probe
    expect(breaker.waitMs(30_101)).toBe(30_000); // nobody else while it is out
    breaker.succeeded();
    expect(breaker.waitMs(30_200)).toBe(0);
  });

  it('a failed probe opens it again', () => {
    const breaker = new CircuitBreaker(2, 1000);
    breaker.failed(0);
    breaker.failed(0);
    expect(breaker.waitMs(1000)).toBe(0);
    breaker.failed(1000);
    expect(breaker.waitMs(1500)).toBe(500);
  });
});

describe('takenByCarrier', () => {
  const claimedAt = '2026-12-02T10:00:00.000Z';
  const at = (iso: string) => new Date(iso);
  it('matches the same body created since the claim, allowing a minute of clock skew', () => {
    const messages = [
      { sid: 'SMearlier', body: 'Your receipt', createdAt: at('2026-12-02T09:58:00.000Z') },
      { sid: 'SMskewed', body: 'Your receipt', createdAt: at('2026-12-02T09:59:30.000Z') },
      { sid: 'SMother', body: 'Something else', createdAt: at('2026-12-02T10:00:05.000Z') },
    ];
    expect(takenByCarrier(messages, { body: 'Your receipt', claimedAt })).toBe('SMskewed');
    expect(takenByCarrier(messages.slice(0, 1), { body: 'Your receipt', claimedAt })).toBeUndefined();
  });
  it('takes the most recent of several, in whatever order the list gives them', () => {
    const messages = [
      { sid: 'SMfirst', body: 'Hi', createdAt: at('2026-12-02T10:00:01.000Z') },
      { sid: 'SMlast', body: 'Hi', createdAt: at('2026-12-02T10:00:03.000Z') },
    ];
    expect(takenByCarrier(messages, { body: 'Hi', claimedAt })).toBe('SMlast');
    expect(takenByCarrier([], { body: 'Hi', claimedAt })).toBeUndefined();
  });
});
