/**
 * The cart sweeper run by one time zone's schedule, against DynamoDB Local: a store's cart is
 * kept through the 2-hour payment grace after its local midnight and cleared after it by its own
 * zone's run, while another zone's carts (even ones already due) are left alone. Zones across DST
 * changes and with 30- and 45-minute offsets.
 */
import { DateTime } from 'luxon';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PAYMENT_GRACE_MS } from '../../functions/carts/rules';
import { CART_PREFIX } from '../../functions/carts/repository/keys';
import { lambdaContext } from '../support/http-events';
import { associate, cartCalls, itemsWithPrefix, seedConversation, shirt } from './carts-fixtures';

const stores = await import('../../functions/stores/repository');
const { handler: sweep } = await import('../../functions/carts/sweeper.handler');

const ZONES = [
  'America/New_York',
  'America/Toronto',
  'Asia/Kolkata',
  'Australia/Adelaide',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
] as const;
const storeIdOf = (zone: string) => `zone-${zone.replace(/[^A-Za-z]/g, '-').toLowerCase()}`;

beforeAll(async () => {
  let n = 200;
  for (const timezone of ZONES) {
    await stores.putStore(
      storeIdOf(timezone),
      { name: timezone, timezone, country: 'US', phoneNumber: `+1212555${n++}0`, currency: 'USD' },
      new Date(),
    );
  }
});
afterEach(() => vi.useRealTimers());

/** The UTC instant of 00:00 on `day` in `zone`. */
const midnightOf = (day: string, zone: string) => DateTime.fromISO(`${day}T00:00:00`, { zone }).toUTC().toJSDate();

/** A cart started two hours before `midnight` in a store of `zone`, so it expires exactly then. */
async function cartExpiringAt(zone: string, midnight: Date): Promise<string> {
  const { conversationId } = await seedConversation(storeIdOf(zone));
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(midnight.getTime() - 2 * 3_600_000));
  const created = await cartCalls(conversationId, associate(storeIdOf(zone))).putItem('A', shirt);
  vi.useRealTimers();
  expect(created.body.expiresAt).toBe(midnight.toISOString());
  return conversationId;
}

const openCarts = async () =>
  new Set((await itemsWithPrefix(CART_PREFIX)).map((item) => item.conversationId as string));
const zoneRun = (timezone: string, time: Date) =>
  sweep({ time: time.toISOString().replace('.000Z', 'Z'), timezone }, lambdaContext());

// Dates ahead of the real clock, so DynamoDB Local's TTL never removes a cart before a sweep does.
describe("a zone's midnight run", () => {
  it.each([
    {
      zone: 'America/New_York',
      day: '2027-03-14',
      utc: '2027-03-14T05:00:00.000Z',
      why: 'midnight before spring forward: still EST, 05:00Z',
    },
    {
      zone: 'America/New_York',
      day: '2027-03-15',
      utc: '2027-03-15T04:00:00.000Z',
      why: 'after the 23-hour day: EDT, 04:00Z',
    },
    {
      zone: 'America/New_York',
      day: '2027-11-07',
      utc: '2027-11-07T04:00:00.000Z',
      why: 'midnight before fall back: still EDT, 04:00Z',
    },
    {
      zone: 'America/New_York',
      day: '2027-11-08',
      utc: '2027-11-08T05:00:00.000Z',
      why: 'after the 25-hour day: EST, 05:00Z',
    },
    {
      zone: 'Asia/Kolkata',
      day: '2027-01-15',
      utc: '2027-01-14T18:30:00.000Z',
      why: '+05:30, no DST: 18:30Z the day before',
    },
    { zone: 'Australia/Adelaide', day: '2027-06-10', utc: '2027-06-09T14:30:00.000Z', why: '+09:30 standard time' },
    {
      zone: 'Australia/Adelaide',
      day: '2027-10-04',
      utc: '2027-10-03T13:30:00.000Z',
      why: '+10:30, the day after DST starts',
    },
    { zone: 'Pacific/Chatham', day: '2027-06-10', utc: '2027-06-09T11:15:00.000Z', why: '+12:45 standard time' },
    {
      zone: 'Pacific/Chatham',
      day: '2027-09-27',
      utc: '2027-09-26T10:15:00.000Z',
      why: '+13:45, the day after DST starts',
    },
  ])(
    '$zone on $day ($why): kept through the 2-hour payment grace, cleared after it, other zones kept',
    async ({ zone, day, utc }) => {
      const midnight = midnightOf(day, zone);
      expect(midnight.toISOString()).toBe(utc);
      const own = await cartExpiringAt(zone, midnight);
      // Kiritimati (+14) reaches the same date first: its cart is already due and must wait for its own run.
      const otherDue = await cartExpiringAt('Pacific/Kiritimati', midnightOf(day, 'Pacific/Kiritimati'));

      const early = await zoneRun(zone, new Date(midnight.getTime() + PAYMENT_GRACE_MS - 60_000));
      expect(early).toMatchObject({ deleted: 0 });
      expect(await openCarts()).toContain(own);

      const onTime = await zoneRun(zone, new Date(midnight.getTime() + PAYMENT_GRACE_MS));
      expect(onTime).toMatchObject({ timezone: zone, midnight: midnight.toISOString(), deleted: 1 });
      const open = await openCarts();
      expect(open).not.toContain(own);
      expect(open).toContain(otherDue);

      // The safety net clears what is due in every zone.
      await sweep({ time: new Date(midnight.getTime() + PAYMENT_GRACE_MS).toISOString() }, lambdaContext());
      expect(await openCarts()).not.toContain(otherDue);
    },
  );

  it('leaves a zone that shares the same instant (Toronto with New York) to its own schedule', async () => {
    const midnight = midnightOf('2027-07-01', 'America/New_York');
    const newYork = await cartExpiringAt('America/New_York', midnight);
    const toronto = await cartExpiringAt('America/Toronto', midnight);

    const graceOver = new Date(midnight.getTime() + PAYMENT_GRACE_MS);
    expect(await zoneRun('America/New_York', graceOver)).toMatchObject({ deleted: 1 });
    expect(await openCarts()).toContain(toronto);
    expect(await openCarts()).not.toContain(newYork);
    expect(await zoneRun('America/Toronto', new Date(graceOver.getTime() + 30_000))).toMatchObject({ deleted: 1 });
    expect(await openCarts()).not.toContain(toronto);
  });

  it('refuses an input whose zone is not an IANA time zone', async () => {
    await expect(zoneRun('Mars/Olympus', new Date('2027-01-01T00:00:00Z'))).rejects.toThrow();
  });
});
