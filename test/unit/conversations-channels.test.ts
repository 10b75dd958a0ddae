import { describe, expect, it } from 'vitest';
import { channelOf, channelOfAddress, channelOfRecorded } from '../../functions/conversations/channels';
import type { Conversation } from '../../functions/conversations/model';

const conversation = (optIn: Conversation['optIn']): Conversation => ({
  conversationId: 'c1',
  storeId: 's1',
  customerId: 'u1',
  customer: { phone: '+15551234567' },
  optIn,
  lastActivityAt: '2026-01-01T00:00:00.000Z',
  archived: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  inboundCount: 0,
  assignee: null,
});

describe('the channel of an address', () => {
  it.each([
    ['+15551234567', 'sms'],
    ['12345', 'sms'],
    ['whatsapp:+15551234567', undefined],
    ['messenger:1234', undefined],
  ])('%s belongs to %s', (address, name) => {
    expect(channelOfAddress(address)?.name).toBe(name);
  });

  it('refuses a recorded address no channel has, by name', () => {
    expect(() => channelOfRecorded('whatsapp:+15551234567')).toThrow(
      /no channel has the address whatsapp:\+15551234567/,
    );
  });
});

describe('SMS, the channel seam’s one implementation', () => {
  const sms = channelOf('sms');

  it('addresses the customer’s phone from the store’s number, and finds phones from addresses', () => {
    expect(sms.addresses({ storeNumber: '+15550001111', customerPhone: '+15551234567' })).toEqual({
      from: '+15550001111',
      to: '+15551234567',
    });
    expect(sms.phoneOf('+15551234567')).toBe('+15551234567');
  });

  it('governs consent by the conversation’s opt-in state and Twilio’s long-code keywords', () => {
    expect(sms.optInOf(conversation('REQUESTED'))).toBe('REQUESTED');
    expect(sms.keywordOf(' stop ')).toEqual({ kind: 'opt-out', keyword: 'STOP' });
    expect(sms.keywordOf('yes')).toEqual({ kind: 'opt-in', keyword: 'YES' });
    expect(sms.keywordOf('Is it in stock?')).toEqual({ kind: 'none' });
  });

  it('opts out on 21610 only', () => {
    expect(sms.optsOut('21610')).toBe(true);
    expect(sms.optsOut('21614')).toBe(false);
    expect(sms.optsOut(undefined)).toBe(false);
  });

  it.each([
    ['OPTED_OUT', 'message', 'opted-out'],
    ['NONE', 'message', 'not-opted-in'],
    ['OPTED_IN', 'opt-in-request', 'already-opted-in'],
    ['OPTED_IN', 'message', undefined],
    ['NONE', 'help', undefined],
  ] as const)('in state %s a %s is refused with %s', (state, kind, rule) => {
    expect(sms.consentRefusal(state, kind)?.rule).toBe(rule);
  });

  it('asks for opt-in in a text naming the store, and sends images only from US, CA and AU stores', () => {
    expect(sms.optInRequestText('Soho')).toMatch(/^Soho: .*Reply YES.*Reply STOP/);
    expect(sms.mediaRefusal('CA')).toBeUndefined();
    expect(sms.mediaRefusal('GB')).toMatchObject({
      rule: 'media-not-available',
      detail: expect.stringMatching(/in GB\.$/),
    });
    expect(sms.mediaRefusal(undefined)?.detail).toMatch(/an unknown country\.$/);
  });

  it('has no window: an opted-in customer may be texted at any time', () => {
    expect(sms.windowRefusal(conversation('OPTED_IN'), new Date('2026-06-01T03:00:00Z'))).toBeUndefined();
  });

  it('asks the carrier for the text and its media as Body and MediaUrl', () => {
    expect(
      sms.carrierRequest({
        to: '+15551234567',
        from: '+15550001111',
        text: 'Hello',
        mediaUrls: ['https://example.com/a.jpg'],
        statusCallback: 'https://api.example.com/webhooks/twilio/status?messageId=m1',
      }),
    ).toEqual({
      to: '+15551234567',
      from: '+15550001111',
      body: 'Hello',
      mediaUrls: ['https://example.com/a.jpg'],
      statusCallback: 'https://api.example.com/webhooks/twilio/status?messageId=m1',
    });
  });
});
