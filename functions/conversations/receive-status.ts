/**
 * Twilio's status callbacks: each updates the message it names, never backwards, and the
 * channel's opt-out codes opt the customer out.
 */
import { logger } from '../shared/logger';
import { recordMessageFailed } from '../shared/metrics';
import type { StatusCallback, StatusCallbackQuery } from './model';
import * as repository from './repository';
import { channelOf, channelOfAddress } from './channels';
import { callbackStatus } from './delivery-rules';

/**
 * Updates the message's delivery status (never backwards) and its inbox item; the channel's
 * opt-out code (SMS: 21610) also marks the customer opted out. The URL names the message, so a callback that beats the send
 * call's return still finds it.
 */
export async function receiveStatus(callback: StatusCallback, query: StatusCallbackQuery, now: Date): Promise<void> {
  const status = callbackStatus(callback.MessageStatus);
  if (!status) return;
  const errorCode = callback.ErrorCode && callback.ErrorCode !== '0' ? callback.ErrorCode : undefined;
  const ref =
    query.conversationId && query.messageId
      ? { conversationId: query.conversationId, messageId: query.messageId }
      : await repository.findMessageBySid(callback.MessageSid);
  const outcome = ref
    ? await repository.updateDeliveryStatus(ref, {
        status: status.status,
        twilioSid: callback.MessageSid,
        ...(errorCode ? { errorCode } : {}),
      })
    : 'unknown';
  if (outcome === 'updated' && (status.status === 'undelivered' || status.status === 'failed'))
    recordMessageFailed(errorCode);
  if (outcome === 'unknown')
    logger.warn('status callback for a message we do not know', { messageSid: callback.MessageSid });
  const channel = channelOfCallback(callback);
  if (ref && channel.optsOut(errorCode)) {
    const conversation = await repository.getConversation(ref.conversationId);
    if (conversation)
      await repository.changeOptIn(
        conversation,
        { type: 'twilio-21610' },
        { source: 'CARRIER', at: now, messageSid: callback.MessageSid, channel: channel.name },
      );
  }
}

/** A status callback's channel, by the `To` Twilio posts with it (SMS when it posts none). */
const channelOfCallback = (callback: StatusCallback) =>
  (typeof callback.To === 'string' ? channelOfAddress(callback.To) : undefined) ?? channelOf('sms');
