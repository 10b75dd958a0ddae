/**
 * Inbound SMS/MMS and WhatsApp, the worker's step: the webhook has checked the signature,
 * recorded the MessageSid and queued the message (accept-inbound.ts); the inbound worker applies
 * each message, one at a time per conversation (applyInbound), and queues its MMS media for the
 * media worker (copy-message-media.ts). Status callbacks: receive-status.ts. Three modules, so the
 * webhooks' bundles hold none of the sending path the worker needs (README, "Measured").
 */
import { RuleViolationError } from '../shared/errors';
import { logger } from '../shared/logger';
import { recordInboundReceived } from '../shared/metrics';
import { enqueueAttribution } from '../reports/attribution-queue';
import { ensureCustomerByPhone, getStore } from '../stores/repository';
import type { InboundJob } from './inbound-queue';
import { inboundMediaKey } from './media';
import { enqueueMediaJob, type MediaJob } from './media-queue';
import type { MediaItem, Message, MessageRef } from './model';
import { InboundSms } from './twilio-model';
import { releaseHeld, sendToCustomer } from './outbound';
import * as repository from './repository';
import { channelOfRecorded, type ChannelName } from './channels';
import { mediaStatusOf } from './rules';

/**
 * Applies one queued inbound message; safe to run again for the same message.
 * 1. The customer by `From` (a phone-only customer when unknown) and the store's conversation.
 * 2. The message stored with its effect (unread, activity, and an opt-in/out keyword's change)
 *    in one write, its MMS media items `pending`: nothing waits for a media host. The same
 *    MessageSid again changes nothing.
 * 3. The media job queued for the media worker (copyMessageMedia), after the write: a crash in
 *    between is healed by the redelivery, which finds the SID stored and queues the job again
 *    while any item is still pending (the media worker copies each item once).
 * 4. HELP/INFO: the store's help text, where it has one, sent once per inbound message.
 *    Opt-out confirmations are Twilio's job: we never send one.
 */
export async function applyInbound(job: InboundJob): Promise<'stored' | 'duplicate'> {
  const sms = InboundSms.parse(job.form);
  const { storeId } = job; // the webhook found it by the number texted (stores are never deleted)
  const receivedAt = new Date(job.receivedAt);
  // The webhook found the store through the channel of `To`: the customer writes on the same one.
  const channel = channelOfRecorded(sms.To);
  const customer = await ensureCustomerByPhone(channel.phoneOf(sms.From), receivedAt);
  const { conversation } = await repository.openConversation({ storeId, customer, now: receivedAt });
  // A quick-reply button (WhatsApp) says what it means in its payload; the text is its label.
  const keyword = channel.keywordOf(sms.ButtonPayload || sms.Body);
  const media = pendingMediaOf(sms, storeId);

  const message: Message = {
    messageId: repository.newMessageId(receivedAt),
    conversationId: conversation.conversationId,
    direction: 'inbound',
    kind: channel.name,
    channel: channel.name,
    text: sms.Body,
    media: media.items,
    twilioSid: sms.MessageSid,
    status: 'received',
    createdAt: receivedAt.toISOString(),
  };
  const optIn =
    keyword.kind === 'opt-in' || keyword.kind === 'opt-out'
      ? { kind: keyword.kind, keyword: keyword.keyword }
      : undefined;
  const recorded = await repository.recordMessage(conversation.conversationId, message, {
    current: conversation,
    ...(optIn
      ? {
          optInEvent: { type: 'keyword', kind: optIn.kind },
          optInSource: { source: 'KEYWORD', keyword: optIn.keyword, messageSid: sms.MessageSid },
        }
      : {}),
  });
  const outcome = recorded.outcome === 'stored' ? 'stored' : 'duplicate';
  if (outcome === 'stored') recordInboundReceived();
  // The customer reopened the window: text held for them goes now (a redelivery finds none left).
  if (channel.attributes.windowExpiresAt && conversation.heldMessageIds) await releaseHeld(conversation, receivedAt);
  if (media.sources.length > 0) {
    const stored =
      outcome === 'stored'
        ? { conversationId: message.conversationId, messageId: message.messageId }
        : await pendingMessageOf(sms.MessageSid);
    if (stored) await enqueueMediaJob({ ...stored, messageSid: sms.MessageSid, items: media.sources });
  }
  // Every delivery queues it again (a redelivery may follow a crash before this): it counts once.
  await enqueueAttribution({
    touch: 'reply',
    storeId,
    customerId: customer.customerId,
    conversationId: conversation.conversationId,
    messageId: sms.MessageSid,
    at: receivedAt.toISOString(),
  });
  // The store itself is read only for HELP: its help text.
  const helpText = keyword.kind === 'help' ? (await getStore(storeId))?.helpText : undefined;
  if (helpText) await replyWithHelp(conversation.conversationId, helpText, sms.MessageSid, channel.name);
  return outcome;
}

/**
 * The MMS items as the message stores them (`pending`, each under its derived key) and where the
 * media worker fetches each one (Twilio's URL, by the item's index on the message).
 */
function pendingMediaOf(sms: InboundSms, storeId: string): { items: MediaItem[]; sources: MediaJob['items'] } {
  const items: MediaItem[] = [];
  const sources: MediaJob['items'] = [];
  for (let i = 0; i < sms.NumMedia; i++) {
    const url = sms[`MediaUrl${i}`];
    if (typeof url !== 'string' || url === '') continue;
    const declared = sms[`MediaContentType${i}`];
    const contentType = typeof declared === 'string' ? declared : '';
    sources.push({ index: items.length, url, contentType });
    items.push({
      mediaKey: inboundMediaKey(storeId, sms.MessageSid, i),
      contentType: contentType || 'application/octet-stream',
      status: 'pending',
    });
  }
  return { items, sources };
}

/** A redelivered MMS: the stored message, when any of its media is still waiting for the media worker. */
async function pendingMessageOf(messageSid: string): Promise<MessageRef | undefined> {
  const ref = await repository.findMessageBySid(messageSid);
  const stored = ref ? await repository.getMessage(ref.conversationId, ref.messageId) : undefined;
  return stored?.media.some((m) => mediaStatusOf(m) === 'pending') ? ref : undefined;
}

/** The HELP reply, keyed by the inbound SID so a redelivery never sends it twice. A carrier outage throws, so the queue retries. */
async function replyWithHelp(
  conversationId: string,
  helpText: string,
  messageSid: string,
  channel: ChannelName,
): Promise<void> {
  const conversation = await repository.getConversation(conversationId);
  if (!conversation) return;
  try {
    await sendToCustomer({
      conversation,
      text: helpText,
      sentBy: 'system:help',
      kind: 'help',
      channel,
      idempotency: { key: `help:${messageSid}`, bodyHash: 'help' },
    });
  } catch (error) {
    if (error instanceof RuleViolationError) {
      logger.warn('HELP reply not sent', { messageSid, reason: error.message });
      return;
    }
    throw error;
  }
}
