/**
 * The channel seam (docs/architecture.md, "Channels"): what a message needs to know about the way
 * it travels between the store's number and the customer. One conversation holds the messages of
 * every channel; each channel answers for four things, and nothing outside it asks how:
 * - addressing: the store's sender and the customer's address on the channel, and which channel
 *   a carrier address belongs to (Twilio writes it as a prefix: `whatsapp:+1…`; SMS has none);
 * - consent: the opt-in state that governs the channel, the opt-in request, what an inbound
 *   keyword changes on it, which carrier codes mean the customer opted out, and which sends its
 *   state allows;
 * - window rules: whether free text may go now, and where images may go;
 * - the carrier call: the request the carrier is given for a message.
 * Pure (no AWS, no I/O). SMS (./sms.ts) and WhatsApp (./whatsapp.ts) implement it.
 */
import type { Store } from '../../stores/rules';
import type { Conversation } from '../model';
import type { ImageType, Keyword, OptInState, SendKind } from '../rules';

export const CHANNEL_NAMES = ['sms', 'whatsapp'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The conversation item's attributes that hold a channel's consent and window (docs/data-model.md, "Conversations"). */
export interface ChannelAttributes {
  /** The opt-in state's attribute: absent reads as NONE (a conversation older than the channel). */
  readonly optIn: string;
  /** When the channel's last opt-in request went (its one request of 24 hours). */
  readonly optInRequestedAt: string;
  /** When the customer service window closes (ISO), for a channel that has one. */
  readonly windowExpiresAt?: string;
}

/** A refusal a channel's rules give before anything is recorded: the API's 422, with its rule. */
export interface SendRefusal {
  rule: string;
  detail: string;
}

/**
 * What the carrier is asked to send: the messenger hands exactly this to Twilio (messenger.ts).
 * Free text is `body` (and `mediaUrls`); an approved WhatsApp template is `contentSid` with its
 * `contentVariables` (JSON), and then no body: Twilio refuses a template sent as text outside the window.
 */
export interface CarrierRequest {
  to: string;
  from: string;
  body?: string;
  mediaUrls: string[];
  contentSid?: string;
  contentVariables?: string;
  statusCallback: string;
}

/** A template send: the Content SID and the values of its variables. */
export interface ContentSend {
  contentSid: string;
  variables: Record<string, string>;
}

export interface Channel {
  readonly name: ChannelName;
  /** Where the conversation item keeps this channel's consent (and window). */
  readonly attributes: ChannelAttributes;
  /** Whether a carrier address (`To`/`From` of a webhook, `to` of a recorded send) is this channel's. */
  ownsAddress(address: string): boolean;
  /** The phone number behind one of this channel's addresses: how the store and the customer are found. */
  phoneOf(address: string): string;
  /** The store's sender and the customer's address for a send on this channel. */
  addresses(input: { store: Pick<Store, 'phoneNumber' | 'whatsapp'>; customerPhone: string }): {
    from: string;
    to: string;
  };
  /** Why the store cannot use this channel at all (WhatsApp not enabled), or undefined when it can. */
  storeRefusal(store: Pick<Store, 'phoneNumber' | 'whatsapp'>): SendRefusal | undefined;
  /** The conversation's consent on this channel. */
  optInOf(conversation: Pick<Conversation, 'optIn' | 'whatsapp'>): OptInState;
  /** When the window closes after a customer message received at `receivedAt` (ISO), or undefined for a channel without one. */
  windowAfterInbound(receivedAt: string): string | undefined;
  /** What an inbound text means for consent and HELP on this channel. */
  keywordOf(text: string | undefined): Keyword;
  /** Whether a carrier error code (a refusal or a status callback's) means the customer opted out. */
  optsOut(errorCode: string | undefined): boolean;
  /** Whether a carrier error code means the customer service window is closed (WhatsApp 63016): the conversation then shows it closed. */
  closesWindow(errorCode: string | undefined): boolean;
  /** Why this kind of send may not go in this consent state, or undefined when it may. */
  consentRefusal(state: OptInState, kind: SendKind): SendRefusal | undefined;
  /** The opt-in request the store sends on this channel, named after the store. */
  optInRequestText(storeName: string): string;
  /** The image types this channel carries (an upload of another type is a 422 `media-type` on it). */
  readonly imageTypes: readonly ImageType[];
  /** Why images may not be sent from a store in this country on this channel, or undefined when they may. */
  mediaRefusal(storeCountry: string | undefined): SendRefusal | undefined;
  /** Why free text or media may not go now (a closed window), or undefined when it may. A template goes in any window. */
  windowRefusal(conversation: Pick<Conversation, 'whatsapp'>, now: Date): SendRefusal | undefined;
  /** The carrier's request for one message: its text and media, or the template it is (`content`). */
  carrierRequest(message: {
    to: string;
    from: string;
    text: string;
    mediaUrls: string[];
    content?: ContentSend;
    statusCallback: string;
  }): CarrierRequest;
}
