import { describe, expect, it } from 'vitest';
import { channelOf, channelOfAddress, channelOfRecorded } from '../../functions/conversations/channels';
import { classifyCarrierFailure } from '../../functions/conversations/delivery-rules';
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
    ['whatsapp:+15551234567', 'whatsapp'],
    ['messenger:1234', undefined],
  ])('%s belongs to %s', (address, name) => {
    expect(channelOfAddress(address)?.name).toBe(name);
  });

  it('refuses a recorded address no channel has, by name', () => {
    expect(() => channelOfRecorded('messenger:1234')).toThrow(/no channel has the address messenger:1234/);
  });
});

describe('SMS, the channel seam’s one implementation', () => {
  const sms = channelOf('sms');

  it('addresses the customer’s phone from the store’s number, and finds phones from addresses', () => {
    expect(sms.addresses({ store: { phoneNumber: '+15550001111' }, customerPhone: '+15551234567' })).toEqual({
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

describe('WhatsApp, the second channel', () => {
  const whatsapp = channelOf('whatsapp');
  const store = { phoneNumber: '+15550001111', whatsapp: { enabled: true, sender: '+15550002222' } };
  const withWhatsApp = (state: Conversation['optIn'], windowExpiresAt: string | null): Conversation => ({
    ...conversation('OPTED_IN'),
    whatsapp: { optIn: state, windowExpiresAt },
  });

  it('addresses whatsapp:<customer> from whatsapp:<sender> (the phone number when no sender is named)', () => {
    expect(whatsapp.addresses({ store, customerPhone: '+15551234567' })).toEqual({
      from: 'whatsapp:+15550002222',
      to: 'whatsapp:+15551234567',
    });
    expect(
      whatsapp.addresses({
        store: { phoneNumber: '+15550001111', whatsapp: { enabled: true } },
        customerPhone: '+1555',
      }),
    ).toEqual({ from: 'whatsapp:+15550001111', to: 'whatsapp:+1555' });
    expect(whatsapp.phoneOf('whatsapp:+15551234567')).toBe('+15551234567');
    expect(channelOfAddress('WhatsApp:+15551234567')?.name).toBe('whatsapp');
  });

  it('is refused for a store that has not enabled it', () => {
    expect(whatsapp.storeRefusal(store)).toBeUndefined();
    expect(whatsapp.storeRefusal({ phoneNumber: '+15550001111', whatsapp: null })?.rule).toBe('whatsapp-not-enabled');
    expect(
      whatsapp.storeRefusal({ phoneNumber: '+15550001111', whatsapp: { enabled: false, sender: '+15550002222' } })
        ?.rule,
    ).toBe('whatsapp-not-enabled');
  });

  it('keeps its own consent: SMS opt-in is not WhatsApp opt-in, and a conversation never on WhatsApp is NONE', () => {
    expect(whatsapp.optInOf(conversation('OPTED_IN'))).toBe('NONE');
    expect(whatsapp.optInOf(withWhatsApp('OPTED_OUT', null))).toBe('OPTED_OUT');
    expect(whatsapp.consentRefusal(whatsapp.optInOf(conversation('OPTED_IN')), 'message')?.rule).toBe('not-opted-in');
    expect(whatsapp.attributes.optIn).not.toBe(channelOf('sms').attributes.optIn);
    expect(whatsapp.attributes.optInRequestedAt).not.toBe(channelOf('sms').attributes.optInRequestedAt);
  });

  it('reads the opt-out keywords itself (Twilio does not for WhatsApp), and 63013/63014 as opted out', () => {
    expect(whatsapp.keywordOf(' Stop ')).toEqual({ kind: 'opt-out', keyword: 'STOP' });
    expect(whatsapp.keywordOf('YES')).toEqual({ kind: 'opt-in', keyword: 'YES' });
    expect(whatsapp.optsOut('63013')).toBe(true);
    expect(whatsapp.optsOut('63014')).toBe(true);
    expect(whatsapp.optsOut('21610')).toBe(false);
    expect(channelOf('sms').optsOut('63013')).toBe(false);
  });

  it('opens the window until 24 h after the receive time; 63016 means it is closed', () => {
    expect(whatsapp.windowAfterInbound('2026-06-01T10:00:00.000Z')).toBe('2026-06-02T10:00:00.000Z');
    expect(channelOf('sms').windowAfterInbound('2026-06-01T10:00:00.000Z')).toBeUndefined();
    expect(whatsapp.closesWindow('63016')).toBe(true);
    expect(whatsapp.closesWindow('63024')).toBe(false);
    expect(channelOf('sms').closesWindow('63016')).toBe(false);
  });

  it.each([
    ['inside the window', '2026-06-02T10:00:00.000Z', undefined],
    ['at its very end', '2026-06-01T12:00:00.000Z', 'window-closed'],
    ['after it', '2026-06-01T11:00:00.000Z', 'window-closed'],
    ['before any customer message', null, 'window-closed'],
  ] as const)('free text %s is %s', (_, expiresAt, rule) => {
    const now = new Date('2026-06-01T12:00:00.000Z');
    expect(whatsapp.windowRefusal(withWhatsApp('OPTED_IN', expiresAt), now)?.rule).toBe(rule);
  });

  it('sends images from any country (the upload rules decide the file)', () => {
    expect(whatsapp.mediaRefusal('GB')).toBeUndefined();
  });

  it('sends a template as ContentSid + ContentVariables and never a Body; free text as Body', () => {
    const base = {
      to: 'whatsapp:+15551234567',
      from: 'whatsapp:+15550002222',
      text: 'Hi Ada, welcome',
      mediaUrls: [],
      statusCallback: 'https://api.example.com/webhooks/twilio/status?messageId=m1',
    };
    const template = whatsapp.carrierRequest({
      ...base,
      content: { contentSid: 'HX0123456789abcdef0123456789abcdef', variables: { firstName: 'Ada' } },
    });
    expect(template).toEqual({
      to: base.to,
      from: base.from,
      mediaUrls: [],
      contentSid: 'HX0123456789abcdef0123456789abcdef',
      contentVariables: '{"firstName":"Ada"}',
      statusCallback: base.statusCallback,
    });
    expect(template).not.toHaveProperty('body');
    expect(whatsapp.carrierRequest(base)).toMatchObject({ body: 'Hi Ada, welcome' });
  });
});

describe('every WhatsApp error code has its action', () => {
  const whatsapp = channelOf('whatsapp');
  /** What the sender and the status webhook do with Twilio's answer (delivery-rules.ts and the channel). */
  const actionOf = (code: number, httpStatus: number) => {
    const failure = classifyCarrierFailure({ code, httpStatus });
    return {
      kind: failure.kind,
      errorCode: failure.errorCode,
      optsOut: whatsapp.optsOut(String(code)),
      closesWindow: whatsapp.closesWindow(String(code)),
    };
  };

  it.each([
    [63016, 400, 'refused', false, true, 'outside the window: failed for good, the window shown closed'],
    [63024, 400, 'refused', false, false, 'not a WhatsApp user: failed for good'],
    [63032, 400, 'refused', false, false, 'the user cannot receive this message: failed for good'],
    [63049, 400, 'refused', false, false, 'a marketing template Meta does not deliver: failed for good'],
    [63013, 400, 'refused', true, false, 'the customer blocked the business: failed, and opted out'],
    [63014, 400, 'refused', true, false, 'the customer blocked the business: failed, and opted out'],
    [63018, 429, 'unavailable', false, false, 'the sender’s rate limit: retried with backoff'],
  ] as const)(
    '%i (HTTP %i) is %s (opts out: %s, closes the window: %s): %s',
    (code, status, kind, optsOut, closes, _why) => {
      expect(actionOf(code, status)).toEqual({ kind, errorCode: String(code), optsOut, closesWindow: closes });
    },
  );

  it('retries 63018 whatever HTTP status Twilio gives it', () => {
    expect(classifyCarrierFailure({ code: 63018, httpStatus: 400 }).kind).toBe('unavailable');
  });
});
