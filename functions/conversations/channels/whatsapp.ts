/**
 * WhatsApp on the store's sender, through Twilio (docs/rules.md, "WhatsApp"): addresses carry
 * Twilio's `whatsapp:` prefix, consent is the conversation's own WhatsApp opt-in (SMS consent
 * never allows WhatsApp, nor the reverse), the opt-out keywords are the app's to apply (Twilio
 * does not for WhatsApp), 63013/63014 (the customer blocked the business) opt out, and free text
 * and media go only inside the 24-hour customer service window that the customer's last WhatsApp
 * message opened. Templates go in any window, as Twilio `ContentSid` + `ContentVariables`, never `Body`.
 */
import { whatsAppSenderOf } from '../../stores/rules';
import { optInRequestText, parseKeyword, sendRefusal } from '../rules';
import type { Channel } from './channel';

const PREFIX = 'whatsapp:';

/** The customer service window: free text and media go until this long after the customer's last message. */
export const WHATSAPP_WINDOW_HOURS = 24;

/** Twilio's WhatsApp errors that mean the customer blocked the business or opted out at WhatsApp. */
export const WHATSAPP_OPT_OUT_CODES: readonly string[] = ['63013', '63014'];

/** Twilio's refusal of free text outside the 24-hour window (since April 2025 also of a template sent as Body). */
export const WINDOW_CLOSED_ERROR_CODE = '63016';

export const whatsapp: Channel = {
  name: 'whatsapp',
  attributes: { optIn: 'waOptIn', optInRequestedAt: 'waOptInRequestedAt', windowExpiresAt: 'waWindowExpiresAt' },
  ownsAddress: (address) => address.toLowerCase().startsWith(PREFIX),
  phoneOf: (address) => address.slice(PREFIX.length),
  addresses: ({ store, customerPhone }) => ({
    from: `${PREFIX}${whatsAppSenderOf(store) ?? store.phoneNumber}`,
    to: `${PREFIX}${customerPhone}`,
  }),
  storeRefusal: (store) =>
    whatsAppSenderOf(store)
      ? undefined
      : { rule: 'whatsapp-not-enabled', detail: 'This store has not enabled WhatsApp: send by SMS.' },
  optInOf: (conversation) => conversation.whatsapp?.optIn ?? 'NONE',
  windowAfterInbound: (receivedAt) =>
    new Date(new Date(receivedAt).getTime() + WHATSAPP_WINDOW_HOURS * 3600_000).toISOString(),
  keywordOf: parseKeyword,
  optsOut: (errorCode) => errorCode !== undefined && WHATSAPP_OPT_OUT_CODES.includes(errorCode),
  closesWindow: (errorCode) => errorCode === WINDOW_CLOSED_ERROR_CODE,
  consentRefusal: sendRefusal,
  optInRequestText,
  imageTypes: ['image/jpeg', 'image/png', 'image/webp'],
  // WhatsApp carries images from any country: only the upload rules apply (jpeg/png/webp, 5 MB).
  mediaRefusal: () => undefined,
  windowRefusal: (conversation, now) => {
    const expiresAt = conversation.whatsapp?.windowExpiresAt;
    if (expiresAt && expiresAt > now.toISOString()) return undefined;
    return {
      rule: 'window-closed',
      detail: expiresAt
        ? `The customer's 24-hour WhatsApp window closed at ${expiresAt}: send an approved template (contentTemplateId), or name a RECONNECT template (reconnectTemplateId) to send this text when they answer.`
        : 'The customer has not written on WhatsApp in the last 24 hours: send an approved template (contentTemplateId), or name a RECONNECT template (reconnectTemplateId).',
    };
  },
  carrierRequest: ({ to, from, text, mediaUrls, content, statusCallback }) =>
    content
      ? {
          to,
          from,
          mediaUrls: [],
          contentSid: content.contentSid,
          contentVariables: JSON.stringify(content.variables),
          statusCallback,
        }
      : { to, from, body: text, mediaUrls, statusCallback },
};
