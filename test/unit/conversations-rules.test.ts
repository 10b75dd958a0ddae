import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  archiveCutoff,
  byNewestActivity,
  canSendImages,
  fillTemplate,
  isDueForArchive,
  nextOptInState,
  optInRequestText,
  parseKeyword,
  previewOf,
  sendRefusal,
  unreadCount,
  type OptInEvent,
  type OptInState,
} from '../../functions/conversations/rules';
import { callbackStatus, classifyCarrierFailure, statusRank } from '../../functions/conversations/delivery-rules';
import { renderTemplate, TEMPLATES } from '../../functions/conversations/templates';

describe('parseKeyword', () => {
  it.each([
    ['YES', 'opt-in', 'YES'],
    ['yes', 'opt-in', 'YES'],
    ['  Start  ', 'opt-in', 'START'],
    ['unstop', 'opt-in', 'UNSTOP'],
    ['STOP', 'opt-out', 'STOP'],
    ['stop ', 'opt-out', 'STOP'],
    ['StopAll', 'opt-out', 'STOPALL'],
    ['unsubscribe', 'opt-out', 'UNSUBSCRIBE'],
    ['Cancel', 'opt-out', 'CANCEL'],
    ['end', 'opt-out', 'END'],
    ['QUIT', 'opt-out', 'QUIT'],
    ['revoke', 'opt-out', 'REVOKE'],
    ['optout', 'opt-out', 'OPTOUT'],
    ['\tHELP\n', 'help', 'HELP'],
    ['info', 'help', 'INFO'],
  ])('reads %j as %s (%s)', (text, kind, keyword) => {
    expect(parseKeyword(text)).toEqual({ kind, keyword });
  });

  it.each([['yes please'], ['stop it'], ['OPT OUT'], [''], ['   '], ['Y'], ['helpme']])(
    'treats %j as an ordinary message',
    (text) => {
      expect(parseKeyword(text)).toEqual({ kind: 'none' });
    },
  );

  it('treats a missing body as an ordinary message', () => {
    expect(parseKeyword(undefined)).toEqual({ kind: 'none' });
  });
});

describe('nextOptInState', () => {
  const optIn: OptInEvent = { type: 'keyword', kind: 'opt-in' };
  const optOut: OptInEvent = { type: 'keyword', kind: 'opt-out' };
  const request: OptInEvent = { type: 'opt-in-request-sent' };
  const refused: OptInEvent = { type: 'twilio-21610' };
  it.each<[OptInState, OptInEvent, OptInState | undefined]>([
    ['NONE', request, 'REQUESTED'],
    ['REQUESTED', request, undefined],
    ['OPTED_OUT', request, undefined],
    ['OPTED_IN', request, undefined],
    ['NONE', optIn, 'OPTED_IN'],
    ['REQUESTED', optIn, 'OPTED_IN'],
    ['OPTED_OUT', optIn, 'OPTED_IN'],
    ['OPTED_IN', optIn, undefined],
    ['NONE', optOut, 'OPTED_OUT'],
    ['REQUESTED', optOut, 'OPTED_OUT'],
    ['OPTED_IN', optOut, 'OPTED_OUT'],
    ['OPTED_OUT', optOut, undefined],
    ['OPTED_IN', refused, 'OPTED_OUT'],
    ['OPTED_OUT', refused, undefined],
  ])('from %s on %j goes to %s', (from, event, to) => {
    expect(nextOptInState(from, event)).toBe(to);
  });
});

describe('sendRefusal', () => {
  it.each<[OptInState, 'opt-in-request' | 'message', string | undefined]>([
    ['NONE', 'opt-in-request', undefined],
    ['REQUESTED', 'opt-in-request', undefined],
    ['OPTED_OUT', 'opt-in-request', 'opted-out'],
    ['OPTED_IN', 'opt-in-request', 'already-opted-in'],
    ['NONE', 'message', 'not-opted-in'],
    ['REQUESTED', 'message', 'not-opted-in'],
    ['OPTED_OUT', 'message', 'opted-out'],
    ['OPTED_IN', 'message', undefined],
  ])('in state %s a %s is refused with %s', (state, kind, rule) => {
    expect(sendRefusal(state, kind)?.rule).toBe(rule);
  });

  it('says why an opted-out customer cannot be texted and how that changes', () => {
    expect(sendRefusal('OPTED_OUT', 'message')?.detail).toMatch(/opted out.*YES or START/);
  });
});

describe('optInRequestText', () => {
  it('names the store and says how to answer and how to stop', () => {
    const text = optInRequestText('Soho Store');
    expect(text).toContain('Soho Store');
    expect(text).toMatch(/Reply YES/);
    expect(text).toMatch(/Reply STOP/);
  });
});

describe('fillTemplate', () => {
  it.each([
    ['Hi {{firstName}}', { firstName: 'Ada' }, 'Hi Ada'],
    [
      'Hi {{ firstName }}, see {{link}}',
      { firstName: 'Ada', link: 'https://x.test/p?a=1' },
      'Hi Ada, see https://x.test/p?a=1',
    ],
    ['{{a}} and {{a}}', { a: 'x' }, 'x and x'],
    ['No variables', {}, 'No variables'],
  ])('fills %j', (text, variables, expected) => {
    expect(fillTemplate(text, variables)).toEqual({ ok: true, text: expected });
  });

  it.each([
    ['Hi {{firstName}}', {}, ['firstName'], []],
    ['Hi {{firstName}}', { firstName: '  ' }, ['firstName'], []],
    ['Hi {{firstName}}', { firstName: 'Ada', lastName: 'L' }, [], ['lastName']],
  ])('refuses %j with %j', (text, variables, missing, unknown) => {
    expect(fillTemplate(text, variables as Record<string, string>)).toEqual({ ok: false, missing, unknown });
  });

  it('renders a catalogue template and names a missing variable in a 400', () => {
    expect(renderTemplate('new-arrivals', { firstName: 'Ada', link: 'https://shop.test/new' })).toBe(
      'Hi Ada, new arrivals just landed that made me think of you: https://shop.test/new',
    );
    expect(() => renderTemplate('new-arrivals', { firstName: 'Ada' })).toThrow(/missing variable link/);
  });

  it('offers only text-and-link templates with their variables listed', () => {
    for (const template of TEMPLATES) {
      expect(template.variables.every((v) => template.text.includes(`{{${v}}}`))).toBe(true);
      expect(template.text).not.toMatch(/<img|\.(png|jpg|gif)\b/i);
    }
  });
});

describe('delivery status order', () => {
  it.each([
    ['queued', 'queued'],
    ['sending', 'sent'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['read', 'read'],
    ['received', undefined],
    ['canceled', undefined],
  ])('maps Twilio %s to %s', (twilioStatus, status) => {
    expect(callbackStatus(twilioStatus)?.status).toBe(status);
  });

  it('ranks queued < sent < delivered < read < undelivered = failed', () => {
    expect(statusRank('queued')).toBeLessThan(statusRank('sent'));
    expect(statusRank('sent')).toBeLessThan(statusRank('delivered'));
    expect(statusRank('delivered')).toBeLessThan(statusRank('read'));
    expect(statusRank('read')).toBeLessThan(statusRank('failed'));
    expect(statusRank('undelivered')).toBe(statusRank('failed'));
  });
});

describe('unreadCount', () => {
  it.each([
    [5, 2, 3],
    [5, 5, 0],
    [0, 0, 0],
    [3, 4, 0],
  ])('inbound %i read %i → %i unread', (inbound, read, unread) => {
    expect(unreadCount(inbound, read)).toBe(unread);
  });
});

describe('archive cutoff (4 calendar months)', () => {
  it.each([
    ['2026-06-30T12:00:00.000Z', '2026-02-28T12:00:00.000Z'],
    ['2026-07-31T00:00:00.000Z', '2026-03-31T00:00:00.000Z'],
    ['2026-03-01T00:00:00.000Z', '2025-11-01T00:00:00.000Z'],
    ['2028-06-29T08:00:00.000Z', '2028-02-29T08:00:00.000Z'],
  ])('at %s the cutoff is %s', (now, cutoff) => {
    expect(archiveCutoff(new Date(now)).toISOString()).toBe(cutoff);
  });

  it.each([
    ['2026-02-28T11:59:59.999Z', true],
    ['2026-02-28T12:00:00.000Z', false],
    ['2026-03-01T00:00:00.000Z', false],
    ['2026-01-31T00:00:00.000Z', true],
  ])('on 2026-06-30T12:00Z a conversation last active %s is due: %s', (lastActivityAt, due) => {
    expect(isDueForArchive(lastActivityAt, new Date('2026-06-30T12:00:00.000Z'))).toBe(due);
  });

  it("is luxon's minus 4 months in UTC on every day of four years, leap days included", () => {
    const mismatches: string[] = [];
    for (let day = Date.UTC(2026, 0, 1, 17, 45, 12, 345); day < Date.UTC(2030, 0, 1); day += 24 * 3600_000) {
      const now = new Date(day);
      const expected = DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months: 4 }).toJSDate().toISOString();
      if (archiveCutoff(now).toISOString() !== expected) mismatches.push(now.toISOString());
    }
    expect(mismatches).toEqual([]);
  });
});

describe('canSendImages', () => {
  it.each([
    ['US', true],
    ['CA', true],
    ['AU', true],
    ['us', true],
    ['GB', false],
    ['DE', false],
    ['IN', false],
  ])('%s → %s', (country, allowed) => {
    expect(canSendImages(country)).toBe(allowed);
  });
});

describe('classifyCarrierFailure', () => {
  it.each([
    // [why, failure, expected]
    ['the number is invalid', { code: 21211, httpStatus: 400 }, { kind: 'refused', errorCode: '21211' }],
    [
      'the customer opted out at the carrier',
      { code: 21610, httpStatus: 400 },
      { kind: 'refused', errorCode: '21610' },
    ],
    ['the number is not a mobile', { code: 21614, httpStatus: 400 }, { kind: 'refused', errorCode: '21614' }],
    ['Twilio throttles the account', { code: 20429, httpStatus: 429 }, { kind: 'unavailable', errorCode: '20429' }],
    ['a 429 without a code', { httpStatus: 429 }, { kind: 'unavailable', errorCode: '20429' }],
    ['Twilio is down', { code: 20500, httpStatus: 500 }, { kind: 'unavailable', errorCode: '20500' }],
    ['a gateway error without a body', { httpStatus: 502 }, { kind: 'unavailable', errorCode: 'HTTP_502' }],
    [
      'our credentials are wrong (not the number)',
      { code: 20003, httpStatus: 401 },
      { kind: 'unavailable', errorCode: '20003' },
    ],
    ['no answer at all', {}, { kind: 'unavailable', errorCode: 'CARRIER_UNREACHABLE' }],
    ['another 4xx without a code', { httpStatus: 404 }, { kind: 'refused', errorCode: 'HTTP_404' }],
  ])('%s', (_why, failure, expected) => {
    expect(classifyCarrierFailure(failure)).toEqual(expected);
  });
});

describe('byNewestActivity', () => {
  it('orders by last activity, newest first, and by id when two are equally recent', () => {
    const items = [
      { conversationId: 'a', lastActivityAt: '2026-01-01T00:00:00.000Z' },
      { conversationId: 'c', lastActivityAt: '2026-03-01T00:00:00.000Z' },
      { conversationId: 'b', lastActivityAt: '2026-03-01T00:00:00.000Z' },
    ];
    expect([...items].sort(byNewestActivity).map((i) => i.conversationId)).toEqual(['c', 'b', 'a']);
  });
});

describe("previewOf (the inbox item's text)", () => {
  it('keeps a text of up to 160 characters whole', () => {
    expect(previewOf('')).toBe('');
    expect(previewOf('x'.repeat(160))).toBe('x'.repeat(160));
  });

  it('cuts a longer one to 159 characters and an ellipsis', () => {
    const preview = previewOf(`${'x'.repeat(200)}`);
    expect(Array.from(preview)).toHaveLength(160);
    expect(preview).toBe(`${'x'.repeat(159)}…`);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const preview = previewOf('👍'.repeat(170));
    expect(preview).toBe(`${'👍'.repeat(159)}…`);
  });
});
