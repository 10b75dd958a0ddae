/** The zone schedules' pure parts: names, expression and input, "which midnight" for a zone run, the local rate rendering. */
import { describe, expect, it } from 'vitest';
import { localMidnightAtOrBefore, nextLocalMidnight } from '../../functions/carts/local-time';
import { MIDNIGHT_CRON, midnightSchedule, SCHEDULE_NAME, zoneScheduleName } from '../../functions/stores/rules';
import { rateExpression } from '../../lib/local/zone-schedules';

/** Zones this runtime knows, plus aliases luxon accepts that Intl's canonical list leaves out. */
const ALL_ZONES = [
  ...Intl.supportedValuesOf('timeZone'),
  ...Array.from({ length: 15 }, (_, n) => [`Etc/GMT+${n}`, `Etc/GMT-${n}`]).flat(),
  'US/Eastern',
  'Asia/Calcutta',
  'America/Argentina/ComodRivadavia',
  'UTC',
  'Etc/UTC',
];

describe('zoneScheduleName', () => {
  it.each([
    ['Asia/Kolkata', 'cart-midnight-Asia-Kolkata', 'slash becomes a dash'],
    ['America/Port-au-Prince', 'cart-midnight-America-Port-au-Prince', 'dashes stay'],
    [
      'America/Argentina/Buenos_Aires',
      'cart-midnight-America-Argentina-Buenos_Aires',
      'underscores and nested regions stay readable',
    ],
    ['Etc/GMT+5', 'cart-midnight-Etc-GMT-plus-5', 'plus is spelled out, not dropped'],
    ['Etc/GMT-5', 'cart-midnight-Etc-GMT-5', 'and so differs from minus'],
    ['UTC', 'cart-midnight-UTC', 'single-part names'],
  ])('%s → %s (%s)', (zone, name) => {
    expect(zoneScheduleName(zone)).toBe(name);
  });

  it('gives every known zone a name EventBridge Scheduler accepts (1-64 of [0-9A-Za-z_.-])', () => {
    const invalid = ALL_ZONES.map(zoneScheduleName).filter((name) => !SCHEDULE_NAME.test(name));
    expect(invalid).toEqual([]);
  });

  it('never gives two zones the same name', () => {
    const byName = new Map<string, string[]>();
    for (const zone of new Set(ALL_ZONES))
      byName.set(zoneScheduleName(zone), [...(byName.get(zoneScheduleName(zone)) ?? []), zone]);
    expect([...byName.values()].filter((zones) => zones.length > 1)).toEqual([]);
  });

  it('refuses a zone that would make an invalid name', () => {
    expect(() => zoneScheduleName('Bad zone!')).toThrow(/schedule name/);
  });
});

describe('midnightSchedule', () => {
  it('is 00:00 every day in the zone, with the zone and the scheduled time as the sweeper input', () => {
    const schedule = midnightSchedule('Pacific/Chatham');

    expect(schedule).toMatchObject({
      name: 'cart-midnight-Pacific-Chatham',
      expression: 'cron(0 0 * * ? *)',
      timezone: 'Pacific/Chatham',
    });
    expect(MIDNIGHT_CRON).toBe('cron(0 0 * * ? *)');
    expect(JSON.parse(schedule.input)).toEqual({ time: '<aws.scheduler.scheduled-time>', timezone: 'Pacific/Chatham' });
  });
});

describe('localMidnightAtOrBefore', () => {
  it.each([
    ['2027-01-14T18:30:00Z', 'Asia/Kolkata', '2027-01-14T18:30:00Z', 'exactly midnight (+05:30) is that midnight'],
    ['2027-01-14T18:29:00Z', 'Asia/Kolkata', '2027-01-13T18:30:00Z', 'a minute before is still the previous day'],
    ['2027-03-14T05:00:00Z', 'America/New_York', '2027-03-14T05:00:00Z', 'spring-forward day starts in EST'],
    ['2027-03-15T04:00:30Z', 'America/New_York', '2027-03-15T04:00:00Z', 'after the 23-hour day: EDT, late by 30 s'],
    ['2027-11-08T05:00:00Z', 'America/New_York', '2027-11-08T05:00:00Z', 'after the 25-hour day: EST'],
    ['2027-10-03T13:30:00Z', 'Australia/Adelaide', '2027-10-03T13:30:00Z', '+10:30 after DST starts'],
    ['2027-09-26T10:15:00Z', 'Pacific/Chatham', '2027-09-26T10:15:00Z', '+13:45 after DST starts'],
    ['2027-06-09T11:14:59Z', 'Pacific/Chatham', '2027-06-08T11:15:00Z', '+12:45, a second early'],
  ])('%s in %s → %s (%s)', async (now, zone, expected) => {
    expect((await localMidnightAtOrBefore(new Date(now), zone)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it.each([
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Adelaide',
    'Pacific/Chatham',
    'America/Santiago',
    'Asia/Beirut',
  ])(
    'lands in %s on the instant a cart started the day before expires at, every day of 2027 (DST days included)',
    async (zone) => {
      const mismatches: string[] = [];
      for (let day = 0; day < 365; day++) {
        const startedAt = new Date(Date.UTC(2027, 0, 1, 12) + day * 86_400_000);
        const expiresAt = await nextLocalMidnight(startedAt, zone);
        if ((await localMidnightAtOrBefore(expiresAt, zone)).getTime() !== expiresAt.getTime())
          mismatches.push(expiresAt.toISOString());
      }
      expect(mismatches).toEqual([]);
    },
  );
});

describe('rateExpression (local listing of the manifest schedules)', () => {
  it.each([
    [15, 'rate(15 minutes)'],
    [1, 'rate(1 minute)'],
    [60, 'rate(1 hour)'],
    [120, 'rate(2 hours)'],
    [1440, 'rate(1 day)'],
    [2880, 'rate(2 days)'],
  ])('%i minutes → %s', (minutes, expression) => {
    expect(rateExpression(minutes)).toBe(expression);
  });
});
