/**
 * Cart reminders, the pure rules (functions/carts/reminder-rules.ts; docs/rules.md, "Remote carts"):
 * when a share's one reminder is due, none with `remind: false` or reminders off, none in quiet
 * hours or already past; and why a due reminder is dropped unsent (a payment, a newer share, the
 * link's midnight, quiet hours at release); the optional share body.
 */
import { describe, expect, it } from 'vitest';
import { reminderMessage, reminderSkip, reminderTime, tokenOfUrl } from '../../functions/carts/reminder-rules';
import { parseShareBody } from '../../functions/carts/model';
import { ValidationError } from '../../functions/shared/errors';

// Midnight in New York on 2026-06-16 (EDT, UTC-4).
const expiresAt = '2026-06-16T04:00:00.000Z';
const store = { cartReminderHours: 3 as number | null, timezone: 'America/New_York', quietHours: null };
const morning = new Date('2026-06-15T14:00:00Z'); // 10:00 in New York

describe('reminderTime', () => {
  it('is cartReminderHours before the link expires', async () => {
    expect((await reminderTime({ expiresAt, now: morning, remind: true, store }))?.toISOString()).toBe(
      '2026-06-16T01:00:00.000Z',
    );
    expect(
      (
        await reminderTime({
          expiresAt,
          now: morning,
          remind: true,
          store: { ...store, cartReminderHours: 12 },
        })
      )?.toISOString(),
    ).toBe('2026-06-15T16:00:00.000Z');
  });

  it('is none with remind: false, or when the store has reminders off', async () => {
    expect(await reminderTime({ expiresAt, now: morning, remind: false, store })).toBeUndefined();
    expect(
      await reminderTime({ expiresAt, now: morning, remind: true, store: { ...store, cartReminderHours: null } }),
    ).toBe(undefined);
  });

  it('is none when that time has already passed at the share', async () => {
    const late = new Date('2026-06-16T01:00:00Z'); // 21:00 in New York, exactly the reminder's time
    expect(await reminderTime({ expiresAt, now: late, remind: true, store })).toBeUndefined();
    expect(await reminderTime({ expiresAt, now: new Date(late.getTime() - 1), remind: true, store })).toBeDefined();
  });

  it('is none when it would fall in quiet hours (skipped, not held), and due when it falls just outside them', async () => {
    const quiet = { ...store, quietHours: { start: '21:00', end: '08:00' } };
    // 21:00 local: the first minute of quiet hours.
    expect(await reminderTime({ expiresAt, now: morning, remind: true, store: quiet })).toBeUndefined();
    // 4 hours before: 20:00 local, still outside.
    expect(
      (
        await reminderTime({ expiresAt, now: morning, remind: true, store: { ...quiet, cartReminderHours: 4 } })
      )?.toISOString(),
    ).toBe('2026-06-16T00:00:00.000Z');
  });

  it('follows the store-local midnight across a DST change and in half-hour zones', async () => {
    // Kolkata (UTC+5:30): midnight of 2026-06-16 is 18:30Z the day before.
    const kolkata = { cartReminderHours: 2, timezone: 'Asia/Kolkata', quietHours: null };
    expect(
      (
        await reminderTime({
          expiresAt: '2026-06-15T18:30:00.000Z',
          now: new Date('2026-06-15T06:00:00Z'),
          remind: true,
          store: kolkata,
        })
      )?.toISOString(),
    ).toBe('2026-06-15T16:30:00.000Z');
  });
});

describe('reminderSkip', () => {
  const reminder = {
    conversationId: 'conv',
    expiresAt,
    cartId: 'cart-1',
    storeId: 's1',
    tokenHash: 'hash-1',
    sharedBy: 'ana',
    remindAt: '2026-06-16T01:00:00.000Z',
  };
  const dueAt = new Date(reminder.remindAt);
  const cart = { cartId: 'cart-1' };
  const skip = async (over: Partial<Parameters<typeof reminderSkip>[0]>) =>
    await reminderSkip({ reminder, cart, currentTokenHash: 'hash-1', store, now: dueAt, ...over });

  it('lets the reminder of the latest share of an unpaid cart go', async () => {
    expect(await skip({})).toBeUndefined();
  });

  it('cancels it once the cart is paid or gone, or is another cart', async () => {
    expect(await skip({ cart: { cartId: 'cart-1', paidAt: '2026-06-15T20:00:00Z' } })).toBe('cancelled');
    expect(await skip({ cart: undefined })).toBe('cancelled');
    expect(await skip({ cart: { cartId: 'cart-2' } })).toBe('cancelled');
  });

  it('cancels it when the cart was shared again since (only the latest share is reminded)', async () => {
    expect(await skip({ currentTokenHash: 'hash-2' })).toBe('cancelled');
    expect(await skip({ currentTokenHash: undefined })).toBe('cancelled');
  });

  it("drops it after the link's midnight, and in quiet hours at release", async () => {
    expect(await skip({ now: new Date(expiresAt) })).toBe('expired');
    expect(await skip({ store: { ...store, quietHours: { start: '20:30', end: '08:00' } } })).toBe('quiet-hours');
  });
});

describe('the reminder text and the share body', () => {
  it('names the store, the total and the link', () => {
    const text = reminderMessage({
      storeName: 'Fifth Avenue',
      url: 'https://shop.example/c/abc',
      total: 28_900,
      currency: 'USD',
      locale: 'en-US',
    });
    expect(text).toContain('Fifth Avenue');
    expect(text).toContain('$289.00');
    expect(text).toContain('https://shop.example/c/abc');
    expect(tokenOfUrl('https://shop.example/c/abc')).toBe('abc');
    expect(tokenOfUrl(undefined)).toBeUndefined();
  });

  it('takes no body, an empty one, or {channel, remind}; anything else is a 400 naming the field', () => {
    expect(parseShareBody('')).toEqual({});
    expect(parseShareBody('{}')).toEqual({});
    expect(parseShareBody('{"remind":false,"channel":"sms"}')).toEqual({ remind: false, channel: 'sms' });
    expect(() => parseShareBody('{"remind":"no"}')).toThrow(ValidationError);
    try {
      parseShareBody('{"remind":"no"}');
    } catch (error) {
      expect((error as ValidationError).errors?.[0]).toMatchObject({ in: 'body', field: 'remind' });
    }
    expect(() => parseShareBody('{not json')).toThrow(ValidationError);
  });
});
