/**
 * Sending into a conversation (CONTRACT 3): the one path every outbound text takes, from the
 * conversations API and from other capabilities (carts share links, receipts). It enforces
 * opt-in, sends through the messenger, records the message and bumps the conversation's activity.
 */
import { RuleViolationError } from '../shared/errors';
import { loadConfig } from '../shared/config';
import { getStore } from '../stores/repository';
import { sendSms, TwilioRefusedError, OPTED_OUT_ERROR_CODE } from './messenger';
import { mediaDownloadUrl, mediaUrlsFor } from './media';
import * as repository from './repository';
import { sendRefusal, type MessageStatus, type OptInState, type SendKind } from './rules';

export interface Conversation {
  conversationId: string;
  storeId: string;
  customerId: string;
  customer: { firstName?: string; lastName?: string; phone?: string };
  optIn: OptInState;
  lastActivityAt: string;
  archived: boolean;
  createdAt: string;
  /** Customer messages so far (unread arithmetic). */
  inboundCount: number;
  /** Optimistic-concurrency revision of the conversation item. */
  rev: number;
}

export interface MediaItem {
  mediaKey: string;
  contentType: string;
  /** Short-lived presigned GET of the images bucket (absent on stored items). */
  url?: string;
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
  createdAt: string;
}

export function loadConversation(conversationId: string): Promise<Conversation | undefined> {
  return repository.getConversation(conversationId);
}

const statusCallbackUrl = () => `${loadConfig('publicBaseUrl').publicBaseUrl.replace(/\/$/, '')}/webhooks/twilio/status`;

/**
 * Sends a text (and images) to the conversation's customer.
 * 1. Refuse (422) unless the opt-in state allows this kind of send.
 * 2. Send via the messenger from the store's number; Twilio 21610 marks the customer opted out and is a 422.
 * 3. Record the outbound message (sentBy, SID, status), bump activity, un-archive, and make the
 *    sender a participant (My Inbox).
 */
export async function sendToCustomer(input: {
  conversation: Conversation;
  text: string;
  sentBy: string;
  mediaKeys?: string[];
  /** Internal: the opt-in request is the one send allowed before opt-in. */
  kind?: SendKind;
  now?: Date;
}): Promise<Message> {
  const { conversation } = input;
  const now = input.now ?? new Date();
  const refusal = sendRefusal(conversation.optIn, input.kind ?? 'message');
  if (refusal) throw new RuleViolationError(refusal.detail, refusal.rule);
  const phone = conversation.customer.phone;
  if (!phone) throw new RuleViolationError('The customer has no phone number to text.', 'no-phone');
  const store = await getStore(conversation.storeId);
  if (!store) throw new RuleViolationError(`Store ${conversation.storeId} is not registered, so it has no number to text from.`, 'unknown-store');
  const media = (input.mediaKeys ?? []).map((mediaKey) => ({ mediaKey, contentType: contentTypeOfKey(mediaKey) }));

  let sent;
  try {
    sent = await sendSms({
      to: phone,
      from: store.phoneNumber,
      body: input.text,
      mediaUrls: await mediaUrlsFor(media.map((m) => m.mediaKey)),
      statusCallback: statusCallbackUrl(),
    });
  } catch (error) {
    if (error instanceof TwilioRefusedError && error.code === OPTED_OUT_ERROR_CODE) {
      await repository.changeOptIn(conversation, { type: 'twilio-21610' }, { source: 'twilio-error-21610', at: now });
      throw new RuleViolationError(
        'Twilio refused the message because the customer has opted out of texts from this number (error 21610). The conversation is now marked opted out.',
        'opted-out',
      );
    }
    throw error;
  }

  const message: Message = {
    messageId: repository.newMessageId(now),
    conversationId: conversation.conversationId,
    direction: 'outbound',
    kind: 'sms',
    text: input.text,
    media,
    sentBy: input.sentBy,
    twilioSid: sent.sid,
    status: sent.status,
    createdAt: now.toISOString(),
  };
  await repository.appendMessage(conversation.conversationId, message, { participant: input.sentBy });
  if (input.kind === 'opt-in-request') {
    await repository.changeOptIn(conversation, { type: 'opt-in-request-sent' }, { source: `opt-in-request:${input.sentBy}`, at: now });
  }
  return withUrls(message);
}

/** A chat entry for associates (e.g. "customer paid via remote checkout link"); nothing is sent. */
export async function postNote(input: { conversation: Conversation; text: string; now?: Date }): Promise<Message> {
  const now = input.now ?? new Date();
  const message: Message = {
    messageId: repository.newMessageId(now),
    conversationId: input.conversation.conversationId,
    direction: 'outbound',
    kind: 'note',
    text: input.text,
    media: [],
    status: 'delivered',
    createdAt: now.toISOString(),
  };
  await repository.appendMessage(input.conversation.conversationId, message, {});
  return message;
}

/** The API shape: each media item with a fresh short-lived download URL. */
export async function withUrls(message: Message): Promise<Message> {
  if (message.media.length === 0) return message;
  return { ...message, media: await Promise.all(message.media.map(async (m) => ({ ...m, url: await mediaDownloadUrl(m.mediaKey) }))) };
}

function contentTypeOfKey(mediaKey: string): string {
  if (mediaKey.endsWith('.png')) return 'image/png';
  if (mediaKey.endsWith('.gif')) return 'image/gif';
  return 'image/jpeg';
}
