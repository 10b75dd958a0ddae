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
 * Pure (no AWS, no I/O). SMS is the one implementation today (./sms.ts).
 */
import type { Conversation } from '../model';
import type { Keyword, OptInState, SendKind } from '../rules';

export type ChannelName = 'sms';

/** A refusal a channel's rules give before anything is recorded: the API's 422, with its rule. */
export interface SendRefusal {
  rule: string;
  detail: string;
}

/** What the carrier is asked to send: the messenger hands exactly this to Twilio (messenger.ts). */
export interface CarrierRequest {
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  statusCallback: string;
}

export interface Channel {
  readonly name: ChannelName;
  /** Whether a carrier address (`To`/`From` of a webhook, `to` of a recorded send) is this channel's. */
  ownsAddress(address: string): boolean;
  /** The phone number behind one of this channel's addresses: how the store and the customer are found. */
  phoneOf(address: string): string;
  /** The store's sender and the customer's address for a send on this channel. */
  addresses(input: { storeNumber: string; customerPhone: string }): { from: string; to: string };
  /** The conversation's consent on this channel. */
  optInOf(conversation: Pick<Conversation, 'optIn'>): OptInState;
  /** What an inbound text means for consent and HELP on this channel. */
  keywordOf(text: string | undefined): Keyword;
  /** Whether a carrier error code (a refusal or a status callback's) means the customer opted out. */
  optsOut(errorCode: string | undefined): boolean;
  /** Why this kind of send may not go in this consent state, or undefined when it may. */
  consentRefusal(state: OptInState, kind: SendKind): SendRefusal | undefined;
  /** The opt-in request the store sends on this channel, named after the store. */
  optInRequestText(storeName: string): string;
  /** Why images may not be sent from a store in this country on this channel, or undefined when they may. */
  mediaRefusal(storeCountry: string | undefined): SendRefusal | undefined;
  /** Why free text may not go now (a closed window), or undefined when it may. */
  windowRefusal(conversation: Conversation, now: Date): SendRefusal | undefined;
  /** The carrier's request for one message. */
  carrierRequest(message: {
    to: string;
    from: string;
    text: string;
    mediaUrls: string[];
    statusCallback: string;
  }): CarrierRequest;
}
