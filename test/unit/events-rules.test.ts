import { describe, expect, it } from 'vitest';
import { convKey, messageKey } from '../../functions/conversations/repository/keys';
import type { ChangeRecord } from '../../functions/events/model';
import {
  MAX_FRAME_BYTES,
  conversationNeeded,
  eventId,
  eventsOf,
  framesOf,
  passesSourceFilter,
} from '../../functions/events/rules';

const AT = '2026-11-22T10:00:00.000Z';
const conversation = { storeId: 'nyc-5th', customerId: 'cust-1' };
const msg = (extra: Record<string, unknown>) => ({
  ...messageKey('c1', 'm1'),
  messageId: 'm1',
  conversationId: 'c1',
  ...extra,
});
const conv = (extra: Record<string, unknown>) => ({
  ...convKey('c1'),
  conversationId: 'c1',
  storeId: 'nyc-5th',
  customerId: 'cust-1',
  ...extra,
});
const payment = (extra: Record<string, unknown>) => ({
  pk: 'CARTPAYMENT#p1',
  sk: 'CARTPAYMENT',
  paymentId: 'p1',
  conversationId: 'c1',
  storeId: 'nyc-5th',
  amount: 8900,
  currency: 'USD',
  ...extra,
});
const campaign = (extra: Record<string, unknown>) => ({
  pk: 'CAMPAIGN#k1',
  sk: 'CAMPAIGN',
  campaignId: 'k1',
  ...extra,
});

const record = (
  kind: ChangeRecord['kind'],
  oldImage?: Record<string, unknown>,
  newImage?: Record<string, unknown>,
): ChangeRecord => ({
  eventId: 'ev-1',
  kind,
  at: AT,
  ...(oldImage ? { oldImage } : {}),
  ...(newImage ? { newImage } : {}),
});

describe('eventsOf', () => {
  it.each([
    // why, record, expected [type, storeId, data] or nothing
    [
      'a new inbound message is received',
      record('INSERT', undefined, msg({ direction: 'inbound', status: 'received' })),
      ['message.received', 'nyc-5th', { conversationId: 'c1', messageId: 'm1', customerId: 'cust-1' }],
    ],
    [
      'a conversation taken by an associate is assigned, from nobody',
      record('MODIFY', conv({ optIn: 'OPTED_IN' }), conv({ optIn: 'OPTED_IN', assignee: 'assoc-1' })),
      ['conversation.assigned', 'nyc-5th', { conversationId: 'c1', assignee: 'assoc-1', previous: null }],
    ],
    [
      'a conversation handed to a colleague names both',
      record(
        'MODIFY',
        conv({ optIn: 'OPTED_IN', assignee: 'assoc-1' }),
        conv({ optIn: 'OPTED_IN', assignee: 'assoc-2' }),
      ),
      ['conversation.assigned', 'nyc-5th', { conversationId: 'c1', assignee: 'assoc-2', previous: 'assoc-1' }],
    ],
    [
      'a conversation unassigned by a manager',
      record('MODIFY', conv({ optIn: 'OPTED_IN', assignee: 'assoc-1' }), conv({ optIn: 'OPTED_IN' })),
      ['conversation.assigned', 'nyc-5th', { conversationId: 'c1', assignee: null, previous: 'assoc-1' }],
    ],
    [
      'a new outbound message has no status change yet',
      record('INSERT', undefined, msg({ direction: 'outbound', status: 'queued' })),
      undefined,
    ],
    [
      'an outbound message moving on is a status event',
      record(
        'MODIFY',
        msg({ direction: 'outbound', status: 'queued' }),
        msg({ direction: 'outbound', status: 'sent' }),
      ),
      ['message.status', 'nyc-5th', { conversationId: 'c1', messageId: 'm1', status: 'sent' }],
    ],
    [
      'a failure carries its error code',
      record(
        'MODIFY',
        msg({ direction: 'outbound', status: 'sent' }),
        msg({ direction: 'outbound', status: 'undelivered', errorCode: '30003' }),
      ),
      [
        'message.status',
        'nyc-5th',
        { conversationId: 'c1', messageId: 'm1', status: 'undelivered', errorCode: '30003' },
      ],
    ],
    [
      'a retried send going back to queued is a change too',
      record(
        'MODIFY',
        msg({ direction: 'outbound', status: 'failed', retriable: true }),
        msg({ direction: 'outbound', status: 'queued' }),
      ),
      ['message.status', 'nyc-5th', { conversationId: 'c1', messageId: 'm1', status: 'queued' }],
    ],
    [
      'an outbound write that keeps the status (the SID recorded) is no event',
      record(
        'MODIFY',
        msg({ direction: 'outbound', status: 'sent' }),
        msg({ direction: 'outbound', status: 'sent', twilioSid: 'SM1' }),
      ),
      undefined,
    ],
    [
      'an inbound message changed later (media copied) is not received again',
      record(
        'MODIFY',
        msg({ direction: 'inbound', status: 'received' }),
        msg({ direction: 'inbound', status: 'received', media: [] }),
      ),
      undefined,
    ],
    ['a deleted message is no event', record('REMOVE', msg({ direction: 'inbound' })), undefined],
    [
      'a customer item deleted (only erasure does) is the erasure, for admins',
      record('REMOVE', { pk: 'CUSTOMER#cust-9', sk: 'CUSTOMER', email: 'x@example.com' }),
      ['customer.erased', null, { customerId: 'cust-9' }],
    ],
    [
      'an opt-in from NONE',
      record('MODIFY', conv({ optIn: 'NONE' }), conv({ optIn: 'OPTED_IN' })),
      ['optin.changed', 'nyc-5th', { conversationId: 'c1', customerId: 'cust-1', optIn: 'OPTED_IN', channel: 'sms' }],
    ],
    [
      'a WhatsApp opt-out, with its channel (SMS consent untouched)',
      record(
        'MODIFY',
        conv({ optIn: 'OPTED_IN', waOptIn: 'OPTED_IN' }),
        conv({ optIn: 'OPTED_IN', waOptIn: 'OPTED_OUT' }),
      ),
      [
        'optin.changed',
        'nyc-5th',
        { conversationId: 'c1', customerId: 'cust-1', optIn: 'OPTED_OUT', channel: 'whatsapp' },
      ],
    ],
    [
      'an opt-out',
      record('MODIFY', conv({ optIn: 'OPTED_IN' }), conv({ optIn: 'OPTED_OUT' })),
      ['optin.changed', 'nyc-5th', { conversationId: 'c1', customerId: 'cust-1', optIn: 'OPTED_OUT', channel: 'sms' }],
    ],
    ['a conversation created at NONE is no change', record('INSERT', undefined, conv({ optIn: 'NONE' })), undefined],
    [
      'a conversation write that keeps its opt-in (new activity) is no event',
      record('MODIFY', conv({ optIn: 'OPTED_IN', inboundCount: 1 }), conv({ optIn: 'OPTED_IN', inboundCount: 2 })),
      undefined,
    ],
    [
      'a payment settling is not completed yet',
      record('INSERT', undefined, payment({ status: 'SETTLING' })),
      undefined,
    ],
    [
      'a payment reaching COMPLETED',
      record('MODIFY', payment({ status: 'SETTLING' }), payment({ status: 'COMPLETED' })),
      ['payment.completed', 'nyc-5th', { conversationId: 'c1', paymentId: 'p1', amount: 8900, currency: 'USD' }],
    ],
    [
      'a completed payment written again (a redelivery helping) is no second event',
      record('MODIFY', payment({ status: 'COMPLETED' }), payment({ status: 'COMPLETED', receiptState: 'SENT' })),
      undefined,
    ],
    [
      'a campaign finishing',
      record('MODIFY', campaign({ status: 'PROCESSING' }), campaign({ status: 'PARTIALLY_SUCCESSFUL' })),
      ['campaign.finished', null, { campaignId: 'k1', status: 'PARTIALLY_SUCCESSFUL' }],
    ],
    [
      'a campaign failing',
      record('MODIFY', campaign({ status: 'PROCESSING' }), campaign({ status: 'FAILED' })),
      ['campaign.finished', null, { campaignId: 'k1', status: 'FAILED' }],
    ],
    [
      'a campaign still processing',
      record('MODIFY', campaign({ status: 'PROCESSING', rows: 1 }), campaign({ status: 'PROCESSING', rows: 2 })),
      undefined,
    ],
    [
      'a finished campaign enabled or deleted later is no second event',
      record('MODIFY', campaign({ status: 'SUCCESSFUL' }), campaign({ status: 'SUCCESSFUL', enabled: true })),
      undefined,
    ],
    [
      'a campaign list or chunk item is no event',
      record('INSERT', undefined, { pk: 'CAMPAIGN#k1', sk: 'LIST#nyc-5th', status: 'FAILED' }),
      undefined,
    ],
    [
      'a cart is no event',
      record('MODIFY', { pk: 'CART#c1', sk: 'DAY#x', version: 1 }, { pk: 'CART#c1', sk: 'DAY#x', version: 2 }),
      undefined,
    ],
  ] as const)('%s', (_why, change, expected) => {
    const events = eventsOf(change, conversation);
    // The event source's filter must let through every record that makes an event.
    if (expected) expect(passesSourceFilter(change.kind, String((change.newImage ?? change.oldImage)?.sk))).toBe(true);
    if (!expected) {
      expect(events).toEqual([]);
      return;
    }
    const [type, storeId, data] = expected;
    expect(events).toEqual([{ id: eventId('ev-1', type), type, time: AT, storeId, data }]);
  });

  it('makes no message event without the conversation (it is gone: no store to tell)', () => {
    expect(eventsOf(record('INSERT', undefined, msg({ direction: 'inbound' })))).toEqual([]);
  });

  it('gives a redelivered record the same id, and another record or type another one', () => {
    const change = record('INSERT', undefined, msg({ direction: 'inbound' }));
    const [first] = eventsOf(change, conversation);
    const [again] = eventsOf({ ...change }, conversation);
    const [other] = eventsOf({ ...change, eventId: 'ev-2' }, conversation);
    expect(again!.id).toBe(first!.id);
    expect(other!.id).not.toBe(first!.id);
    expect(eventId('ev-1', 'message.received')).not.toBe(eventId('ev-1', 'message.status'));
  });
});

describe('conversationNeeded', () => {
  it.each([
    ['an inbound message insert', record('INSERT', undefined, msg({ direction: 'inbound' })), 'c1'],
    [
      'an outbound status change',
      record(
        'MODIFY',
        msg({ direction: 'outbound', status: 'queued' }),
        msg({ direction: 'outbound', status: 'sent' }),
      ),
      'c1',
    ],
    [
      'an outbound write without a status change (no lookup for nothing)',
      record('MODIFY', msg({ direction: 'outbound', status: 'sent' }), msg({ direction: 'outbound', status: 'sent' })),
      undefined,
    ],
    [
      'a conversation item (it carries its store)',
      record('MODIFY', conv({ optIn: 'NONE' }), conv({ optIn: 'OPTED_IN' })),
      undefined,
    ],
    [
      'a payment (it carries its store)',
      record('MODIFY', payment({ status: 'SETTLING' }), payment({ status: 'COMPLETED' })),
      undefined,
    ],
  ] as const)('%s', (_why, change, expected) => {
    expect(conversationNeeded(change)).toBe(expected);
  });
});

describe('passesSourceFilter', () => {
  it.each([
    ['INSERT', 'MSG#0001abc', true, 'a new message'],
    ['MODIFY', 'MSG#0001abc', true, 'a message status'],
    ['MODIFY', 'CONV', true, 'a conversation (opt-in)'],
    ['MODIFY', 'CARTPAYMENT', true, 'a payment'],
    ['MODIFY', 'CAMPAIGN', true, 'a campaign'],
    ['REMOVE', 'MSG#0001abc', false, 'deletions make no events'],
    ['REMOVE', 'CUSTOMER', true, 'but an erased customer does'],
    ['MODIFY', 'CUSTOMER', false, 'a customer changed is no event'],
    ['INSERT', 'cust-123', false, 'an outreach entry (a million of them in an import)'],
    ['INSERT', 'REJECTION#0000000003', false, "a campaign's rejected row"],
    ['MODIFY', 'STORE#ACTIVE#3', false, 'an inbox sum'],
    ['INSERT', 'WSCONN#abc', false, 'a WebSocket connection'],
    ['MODIFY', 'READER#alice', false, 'a read marker'],
  ])('%s %s: %s (%s)', (kind, sk, expected) => {
    expect(passesSourceFilter(kind, sk)).toBe(expected);
  });
});

describe('framesOf', () => {
  const event = (i: number) => ({
    id: `e${i}`,
    type: 'message.received' as const,
    time: '2026-01-01T00:00:00Z',
    storeId: 's1',
    data: { conversationId: 'c1', messageId: `m${i}` },
  });

  it('is one JSON array of every event, in order, even of one event', () => {
    const events = Array.from({ length: 100 }, (_, i) => event(i));
    const frames = framesOf(events);
    expect(frames).toHaveLength(1);
    expect(JSON.parse(frames[0]!)).toEqual(events);
    expect(framesOf([event(1)]).map((f) => JSON.parse(f))).toEqual([[event(1)]]);
    expect(framesOf([])).toEqual([]);
  });

  it('splits in order only past the size of a WebSocket message, never an event', () => {
    const events = Array.from({ length: 10 }, (_, i) => event(i));
    const one = Buffer.byteLength(JSON.stringify(event(0)));
    const frames = framesOf(events, 3 * one + 4);
    expect(frames.map((f) => JSON.parse(f).length)).toEqual([3, 3, 3, 1]);
    expect(frames.flatMap((f) => JSON.parse(f))).toEqual(events);
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(3 * one + 4);
    expect(framesOf([event(0)], 10)).toHaveLength(1);
  });

  it("keeps the default frame under API Gateway's 128 KB message limit", () => {
    expect(MAX_FRAME_BYTES).toBeLessThan(128 * 1024);
  });
});
