/** Quiet hours and scheduled sends: pure rules, "now" always a parameter (never the clock). */
import { describe, expect, it } from 'vitest';
import { quietHoursEnd, releaseTime } from '../../functions/conversations/quiet-hours';
import { isTooFarAhead, optInRequestCutoff } from '../../functions/conversations/rules';

const NIGHT = { start: '21:00', end: '08:00' };

describe('quietHoursEnd', () => {
  it.each([
    // why, now (UTC), zone, window, end of quiet hours (UTC) or null when not quiet
    [
      '22:00 EST: after the start, ends the next morning',
      '2026-01-15T03:00:00Z',
      'America/New_York',
      NIGHT,
      '2026-01-15T13:00:00.000Z',
    ],
    [
      '07:00 EST: before the end, ends the same morning',
      '2026-01-15T12:00:00Z',
      'America/New_York',
      NIGHT,
      '2026-01-15T13:00:00.000Z',
    ],
    ['08:00 EST: the end itself is no longer quiet', '2026-01-15T13:00:00Z', 'America/New_York', NIGHT, null],
    [
      '21:00 EST: the start itself is quiet',
      '2026-01-15T02:00:00Z',
      'America/New_York',
      NIGHT,
      '2026-01-15T13:00:00.000Z',
    ],
    ['20:59 EST: a minute before the start', '2026-01-15T01:59:00Z', 'America/New_York', NIGHT, null],
    ['noon in New York is not quiet', '2026-07-01T16:00:00Z', 'America/New_York', NIGHT, null],
    [
      '01:00 EST on the spring-forward night: 08:00 is already EDT (UTC-4)',
      '2026-03-08T06:00:00Z',
      'America/New_York',
      NIGHT,
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'an end of 02:30 on the spring-forward night does not exist: the first instant after the gap',
      '2026-03-08T05:00:00Z',
      'America/New_York',
      { start: '22:00', end: '02:30' },
      '2026-03-08T07:30:00.000Z',
    ],
    [
      '00:30 EDT on the fall-back night: 08:00 is EST (UTC-5)',
      '2026-11-01T04:30:00Z',
      'America/New_York',
      NIGHT,
      '2026-11-01T13:00:00.000Z',
    ],
    [
      '21:30 in Kolkata (UTC+5:30, a half-hour zone)',
      '2026-01-15T16:00:00Z',
      'Asia/Kolkata',
      NIGHT,
      '2026-01-16T02:30:00.000Z',
    ],
    ['20:59 in Kolkata is not quiet yet', '2026-01-15T15:29:00Z', 'Asia/Kolkata', NIGHT, null],
    [
      '21:30 in Adelaide in summer (UTC+10:30, half-hour and DST)',
      '2026-01-15T11:00:00Z',
      'Australia/Adelaide',
      NIGHT,
      '2026-01-15T21:30:00.000Z',
    ],
    [
      '21:45 on the Chatham Islands (UTC+13:45)',
      '2026-01-15T08:00:00Z',
      'Pacific/Chatham',
      NIGHT,
      '2026-01-15T18:15:00.000Z',
    ],
    [
      'a daytime window (12:00-13:30) does not span midnight',
      '2026-01-15T12:15:00Z',
      'Europe/London',
      { start: '12:00', end: '13:30' },
      '2026-01-15T13:30:00.000Z',
    ],
    ['after a daytime window', '2026-01-15T13:30:00Z', 'Europe/London', { start: '12:00', end: '13:30' }, null],
    [
      'a window ending at midnight ends at the next 00:00',
      '2026-01-15T23:00:00Z',
      'Europe/London',
      { start: '22:00', end: '00:00' },
      '2026-01-16T00:00:00.000Z',
    ],
    ['no quiet hours (null)', '2026-01-15T03:00:00Z', 'America/New_York', null, null],
  ])('%s', async (_why, now, zone, window, expected) => {
    expect((await quietHoursEnd(new Date(now), zone, window))?.toISOString() ?? null).toBe(expected);
  });
});

describe('releaseTime', () => {
  const now = new Date('2026-01-15T03:00:00Z'); // 22:00 in New York
  const base = { now, timezone: 'America/New_York', quietHours: NIGHT, exempt: false };
  const hoursFromNow = (h: number) => new Date(now.getTime() + h * 3600_000);
  it.each([
    ['held until the end of quiet hours', {}, '2026-01-15T13:00:00.000Z'],
    ['a reply within 24 h of the customer goes at once', { lastInboundAt: hoursFromNow(-2).toISOString() }, null],
    [
      'a customer who wrote 25 h ago is not being answered',
      { lastInboundAt: hoursFromNow(-25).toISOString() },
      '2026-01-15T13:00:00.000Z',
    ],
    ['exempt sends (receipts) go at once', { exempt: true }, null],
    ['quiet hours off: at once', { quietHours: null }, null],
    ['a sendAt in the day is kept', { sendAt: new Date('2026-01-15T16:00:00Z') }, '2026-01-15T16:00:00.000Z'],
    [
      'a sendAt in the night waits for the morning after it',
      { sendAt: new Date('2026-01-16T04:00:00Z') },
      '2026-01-16T13:00:00.000Z',
    ],
    [
      'a sendAt in the past outside quiet hours: at once',
      { now: new Date('2026-01-15T15:00:00Z'), sendAt: new Date('2026-01-15T14:00:00Z') },
      null,
    ],
    [
      'a sendAt with quiet hours off is kept',
      { quietHours: null, sendAt: hoursFromNow(3) },
      hoursFromNow(3).toISOString(),
    ],
    [
      'the reply window is measured at the send time',
      { lastInboundAt: hoursFromNow(-23).toISOString(), sendAt: hoursFromNow(2) },
      '2026-01-15T13:00:00.000Z',
    ],
  ])('%s', async (_why, overrides, expected) => {
    expect((await releaseTime({ ...base, ...overrides }))?.toISOString() ?? null).toBe(expected);
  });
});

describe('limits', () => {
  const now = new Date('2026-01-15T00:00:00Z');
  it.each([
    ['exactly 30 days ahead is allowed', 30 * 24 * 3600_000, false],
    ['a millisecond more is too far', 30 * 24 * 3600_000 + 1, true],
    ['tomorrow is fine', 24 * 3600_000, false],
  ])('%s', (_why, ahead, expected) => {
    expect(isTooFarAhead(new Date(now.getTime() + ahead), now)).toBe(expected);
  });

  it('allows one opt-in request per 24 hours', () => {
    expect(optInRequestCutoff(now).toISOString()).toBe('2026-01-14T00:00:00.000Z');
  });
});
