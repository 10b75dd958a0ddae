/** The conversations capability's types: a conversation, a message and its media, an opt-in change, a consent entry. */
import type { MessageStatus } from './delivery-rules';
import type { ConsentSource, OptInState, SendKind } from './rules';

export interface Conversation {
  conversationId: string;
  storeId: string;
  customerId: string;
  customer: { firstName?: string; lastName?: string; phone?: string };
  optIn: OptInState;
  lastActivityAt: string;
  archived: boolean;
  createdAt: string;
  /** Customer messages so far: per-user unread is this minus the user's read marker. */
  inboundCount: number;
  /** When the customer last wrote: answers within 24 hours are not held by quiet hours. */
  lastInboundAt?: string;
  /** The newest message, so an inbox shows a failed delivery without opening the chat. */
  lastMessage?: LastMessage;
}

export interface LastMessage {
  messageId: string;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  errorCode?: string;
  at: string;
}

export interface MediaItem {
  mediaKey: string;
  contentType: string;
  /** Short-lived presigned GET of the images bucket (absent on stored items). */
  url?: string;
  /** Inbound media that could not be fetched from Twilio (too large, timed out, refused): the text still counts. */
  unavailable?: boolean;
  reason?: string;
}

export interface Message {
  messageId: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  /** `sms` for texts and MMS; `note` for entries posted into the chat without sending anything. */
  kind: 'sms' | 'note';
  text: string;
  media: MediaItem[];
  sentBy?: string;
  twilioSid?: string;
  status: MessageStatus;
  errorCode?: string;
  /** A `scheduled` message: when the scheduled-sender releases it (its `sendAt`, or the end of quiet hours). */
  scheduledFor?: string;
  createdAt: string;
}

/** Which message: its conversation and id (status callbacks, the hand-over, the due index). */
export interface MessageRef {
  conversationId: string;
  messageId: string;
}

/** A scheduled message due for release, as the due index holds it. */
export interface DueMessage extends MessageRef {
  scheduledFor: string;
  sendKind: SendKind;
}

/** One change of a conversation's opt-in state, as the consent ledger records it. */
export interface OptInChange {
  from: OptInState;
  to: OptInState;
  source: ConsentSource;
  at: string;
  messageSid?: string;
  userId?: string;
  /** The keyword the customer sent, for a KEYWORD change. */
  keyword?: string;
}

/** A ledger entry as the API shows it. */
export interface ConsentEntry {
  at: string;
  storeId: string;
  state: Exclude<OptInState, 'NONE'>;
  source: ConsentSource;
  keyword?: string;
  messageSid?: string;
  userId?: string;
}
