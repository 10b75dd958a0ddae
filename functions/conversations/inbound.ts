/**
 * What Twilio tells us: inbound SMS/MMS (stored once per MessageSid, media copied into our
 * bucket, opt-in keywords applied, HELP answered with the store's text) and delivery status
 * callbacks. Signature checking is the handler's first step (twilio-webhook.handler.ts).
 */
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import * as z from 'zod';
import { logger } from '../shared/logger';
import { twilioCredentials } from '../shared/secrets';
import { ensureCustomerByPhone, findStoreByPhone } from '../stores/repository';
import { copyInboundMedia } from './media';
import { OPTED_OUT_ERROR_CODE } from './messenger';
import type { MediaItem, Message } from './outbound';
import * as repository from './repository';
import { callbackStatus, parseKeyword } from './rules';

/** Twilio's request: the URL it called (our public base URL + path + query) and its form fields. */
export async function isSignedByTwilio(input: { signature: string | undefined; url: string; params: Record<string, string> }): Promise<boolean> {
  if (!input.signature) return false;
  const signedWith = (authToken: string) => validateRequest(authToken, input.signature!, input.url, input.params);
  if (signedWith((await twilioCredentials()).authToken)) return true;
  // The cached token may be the one just rotated out: one fresh read decides.
  const fresh = await twilioCredentials({ refresh: true });
  return fresh.refreshed && signedWith(fresh.authToken);
}

export const InboundSms = z.object({
  MessageSid: z.string().min(1),
  From: z.string().min(1),
  To: z.string().min(1),
  Body: z.string().default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
}).loose();
export type InboundSms = z.infer<typeof InboundSms>;

const emptyTwiml = () => new MessagingResponse().toString();

/**
 * Handles one inbound message and answers TwiML.
 * 1. Store by `To`, customer by `From` (a phone-only customer when unknown), the store's conversation.
 * 2. Copy any MMS media into the images bucket.
 * 3. Store the message; the same MessageSid again stops here.
 * 4. Apply an opt-in/out keyword (history kept); HELP/INFO gets the store's help text if it has one.
 *    Opt-out confirmations are Twilio's job: we never send one.
 */
export async function receiveInbound(sms: InboundSms, now: Date): Promise<string> {
  const store = await findStoreByPhone(sms.To);
  if (!store) {
    logger.warn('inbound SMS to a number no store has', { to: sms.To, messageSid: sms.MessageSid });
    return emptyTwiml();
  }
  if (await repository.findMessageBySid(sms.MessageSid)) return emptyTwiml();
  const customer = await ensureCustomerByPhone(sms.From, now);
  const { conversation } = await repository.openConversation({ storeId: store.storeId, customer, now });

  const credentials = await twilioCredentials();
  const media: MediaItem[] = [];
  for (let i = 0; i < sms.NumMedia; i++) {
    const url = sms[`MediaUrl${i}`];
    if (typeof url !== 'string' || url === '') continue;
    const contentType = typeof sms[`MediaContentType${i}`] === 'string' ? (sms[`MediaContentType${i}`] as string) : '';
    media.push(
      await copyInboundMedia({
        storeId: store.storeId,
        messageSid: sms.MessageSid,
        index: i,
        url,
        contentType,
        ...(credentials.live ? { auth: { username: credentials.accountSid, password: credentials.authToken } } : {}),
      }),
    );
  }

  const message: Message = {
    messageId: repository.newMessageId(now),
    conversationId: conversation.conversationId,
    direction: 'inbound',
    kind: 'sms',
    text: sms.Body,
    media,
    twilioSid: sms.MessageSid,
    status: 'received',
    createdAt: now.toISOString(),
  };
  const { duplicate } = await repository.appendMessage(conversation.conversationId, message, {});
  if (duplicate) return emptyTwiml();

  const keyword = parseKeyword(sms.Body);
  if (keyword.kind === 'opt-in' || keyword.kind === 'opt-out') {
    const fresh = (await repository.getConversation(conversation.conversationId)) ?? conversation;
    await repository.changeOptIn(fresh, { type: 'keyword', kind: keyword.kind }, { source: `keyword:${keyword.keyword}`, at: now, messageSid: sms.MessageSid });
    return emptyTwiml();
  }
  if (keyword.kind === 'help' && store.helpText) {
    const reply = new MessagingResponse();
    reply.message(store.helpText);
    await repository.appendMessage(
      conversation.conversationId,
      { ...message, messageId: repository.newMessageId(now), direction: 'outbound', text: store.helpText, media: [], twilioSid: undefined, sentBy: 'system:help', status: 'sent' },
      {},
    );
    return reply.toString();
  }
  return emptyTwiml();
}

export const StatusCallback = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z.string().min(1),
  ErrorCode: z.string().optional(),
}).loose();
export type StatusCallback = z.infer<typeof StatusCallback>;

/** Updates the message's delivery status (never backwards); error 21610 also marks the customer opted out. */
export async function receiveStatus(callback: StatusCallback, now: Date): Promise<void> {
  const status = callbackStatus(callback.MessageStatus);
  if (!status) return;
  const errorCode = callback.ErrorCode && callback.ErrorCode !== '0' ? callback.ErrorCode : undefined;
  const outcome = await repository.updateDeliveryStatus({ sid: callback.MessageSid, ...status, ...(errorCode ? { errorCode } : {}) });
  if (outcome === 'unknown') logger.warn('status callback for a message we do not know', { messageSid: callback.MessageSid });
  if (errorCode === String(OPTED_OUT_ERROR_CODE)) {
    const ref = await repository.findMessageBySid(callback.MessageSid);
    const conversation = ref && (await repository.getConversation(ref.conversationId));
    if (conversation) await repository.changeOptIn(conversation, { type: 'twilio-21610' }, { source: 'twilio-error-21610', at: now, messageSid: callback.MessageSid });
  }
}
