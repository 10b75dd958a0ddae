import { describe, expect, it } from 'vitest';
import {
  addMoney,
  bucketValue,
  csvCell,
  csvLine,
  isAssociateSend,
  mergeSketches,
  reportDays,
  revenueOf,
  SKETCH_BUCKETS,
  sketchAttribute,
  sketchBucket,
  sketchMedian,
  withinAttributionWindow,
} from '../../functions/reports/rules';

const paidAt = new Date('2026-03-31T12:00:00Z');
const daysBefore = (ms: number) => new Date(paidAt.getTime() - ms);
const DAY = 24 * 3600 * 1000;

describe('withinAttributionWindow', () => {
  it.each([
    ['a touch the same minute', daysBefore(60_000), true],
    ['a touch exactly 30 days before', daysBefore(30 * DAY), true],
    ['a touch 30 days and a second before', daysBefore(30 * DAY + 1000), false],
    ['a touch across a DST change, 29 days before', daysBefore(29 * DAY), true],
    ['a touch after the payment (clock skew)', new Date(paidAt.getTime() + 1000), false],
  ])('%s → %s', (_why, touchedAt, expected) => {
    expect(withinAttributionWindow(touchedAt, paidAt)).toBe(expected);
  });
});

describe('isAssociateSend', () => {
  it.each([
    ['an associate typing a message', 'u-1', 'u-1', true],
    ['a system note', 'system:payments', 'system:payments', false],
    ["a receipt under the sharer's name, acted by the system", 'u-1', 'system:payments', false],
  ])('%s → %s', (_why, sentBy, acting, expected) => {
    expect(isAssociateSend(sentBy, acting)).toBe(expected);
  });
});

describe('csvCell: formula safety and quoting', () => {
  it.each([
    ['a plain email', 'ada@example.com', 'ada@example.com'],
    ['a formula', '=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['a plus sign', '+1 555', "'+1 555"],
    ['a minus sign', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a comma', 'a,b', '"a,b"'],
    ['a line break', 'a\nb', '"a\nb"'],
    ['a quote inside', 'say "hi"', '"say ""hi"""'],
    ['an equals sign not first', 'a=b', 'a=b'],
    ['a number', 12900, '12900'],
    ['a boolean', true, 'true'],
    ['an empty cell', '', ''],
  ])('%s', (_why, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('ends each line with CRLF', () => {
    expect(csvLine(['a', '=b', 1])).toBe("a,'=b,1\r\n");
  });
});

describe('reportDays', () => {
  it('lists the days from and to, both included, across a month end', () => {
    expect(reportDays('2026-02-27', '2026-03-02')).toEqual({
      days: ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02'],
    });
  });
  it('takes a single day', () => {
    expect(reportDays('2026-03-01', '2026-03-01')).toEqual({ days: ['2026-03-01'] });
  });
  it.each([
    ['to before from', '2026-03-02', '2026-03-01'],
    ['an impossible date', '2026-02-30', '2026-03-01'],
    ['not a date', 'yesterday', '2026-03-01'],
    ['more than 366 days', '2025-01-01', '2026-03-01'],
  ])('refuses %s', (_why, from, to) => {
    expect(reportDays(from, to)).toHaveProperty('error');
  });
});

describe('money per currency', () => {
  it('sums counter items per currency and never across currencies', () => {
    expect(
      revenueOf([{ rev_USD: 100, rev_EUR: 5, ordersPaid: 2 }, { rev_USD: 50 }, { rev_usd: 7, revenue: 9 }]),
    ).toEqual([
      { currency: 'EUR', amount: 5 },
      { currency: 'USD', amount: 150 },
    ]);
    expect(
      addMoney(
        [{ currency: 'USD', amount: 1 }],
        [
          { currency: 'CAD', amount: 2 },
          { currency: 'USD', amount: 3 },
        ],
      ),
    ).toEqual([
      { currency: 'CAD', amount: 2 },
      { currency: 'USD', amount: 4 },
    ]);
  });
});

describe('first-response sketch', () => {
  it('puts sub-second waits in bucket 0 and caps very long ones', () => {
    expect(sketchBucket(0)).toBe(0);
    expect(sketchBucket(0.4)).toBe(0);
    expect(sketchBucket(-3)).toBe(0);
    expect(sketchBucket(1)).toBe(1);
    expect(sketchBucket(1e12)).toBe(SKETCH_BUCKETS - 1);
  });

  it('answers every wait from 1 s to 30 days within 5% of itself', () => {
    for (let seconds = 1; seconds < 30 * 24 * 3600; seconds *= 1.37) {
      const answered = bucketValue(sketchBucket(seconds));
      expect(Math.abs(answered - seconds) / seconds).toBeLessThanOrEqual(0.05);
    }
  });

  it('merges per-day histograms and answers the median within the bound', () => {
    const waits = [
      [5, 60, 61],
      [62, 3600],
      [90, 7200, 4],
    ];
    const days = waits.map((day) => {
      const item: Record<string, number> = {};
      for (const wait of day)
        item[sketchAttribute(sketchBucket(wait))] = (item[sketchAttribute(sketchBucket(wait))] ?? 0) + 1;
      return item;
    });
    // Sorted: 4 5 60 61 62 90 3600 7200 → lower median 61
    const median = sketchMedian(mergeSketches(days))!;
    expect(Math.abs(median - 61) / 61).toBeLessThanOrEqual(0.05);
  });

  it('answers null without samples', () => {
    expect(sketchMedian(mergeSketches([{ messagesSent: 3 }]))).toBeNull();
  });
});
