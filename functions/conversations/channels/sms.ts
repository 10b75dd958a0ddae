/**
 * SMS and MMS on the store's number (docs/rules.md, "Messaging"): addresses are bare E.164
 * numbers (or short codes), consent is the conversation's `optIn`, keywords are Twilio's long-code
 * list, 21610 means the customer opted out at the carrier, MMS goes only from US, CA and AU
 * numbers, and there is no window: an opted-in customer can be texted at any time (quiet hours are
 * the store's rule, applied to every channel).
 */
import { OPTED_OUT_ERROR_CODE } from '../delivery-rules';
import { canSendImages, optInRequestText, parseKeyword, sendRefusal } from '../rules';
import type { Channel } from './channel';

/** A channel address other than SMS carries a scheme prefix (`whatsapp:`, `messenger:`). */
const SCHEME = /^[a-z]+:/i;

export const sms: Channel = {
  name: 'sms',
  attributes: { optIn: 'optIn', optInRequestedAt: 'optInRequestedAt' },
  ownsAddress: (address) => !SCHEME.test(address),
  phoneOf: (address) => address,
  addresses: ({ store, customerPhone }) => ({ from: store.phoneNumber, to: customerPhone }),
  storeRefusal: () => undefined,
  optInOf: (conversation) => conversation.optIn,
  windowAfterInbound: () => undefined,
  keywordOf: parseKeyword,
  optsOut: (errorCode) => errorCode === String(OPTED_OUT_ERROR_CODE),
  closesWindow: () => false,
  consentRefusal: sendRefusal,
  optInRequestText,
  imageTypes: ['image/jpeg', 'image/png', 'image/gif'],
  mediaRefusal: (country) =>
    country && canSendImages(country)
      ? undefined
      : {
          rule: 'media-not-available',
          detail: `Images can only be sent from stores in the US, Canada and Australia; this store is in ${country ?? 'an unknown country'}.`,
        },
  windowRefusal: () => undefined,
  carrierRequest: ({ to, from, text, mediaUrls, statusCallback }) => ({
    to,
    from,
    body: text,
    mediaUrls,
    statusCallback,
  }),
};
