/**
 * Inbound messages, the webhook's step: the store by the number called, the MessageSid on record,
 * the message on the inbound FIFO queue, and an empty TwiML answer to Twilio at once. The worker
 * applies it later (inbound.ts, applyInbound).
 */
import { logger } from '../shared/logger';
import { findStoreIdByPhone } from '../stores/repository';
import { enqueueInbound } from './inbound-queue';
import type { InboundSms } from './model';
import * as repository from './repository';
import { channelOfAddress } from './channels';

/**
 * The webhook's answer: TwiML with nothing to do, exactly what twilio's `new MessagingResponse().toString()`
 * prints (test/integration/conversations.test.ts compares them). Written out because the TwiML
 * builder brings xmlbuilder (58 KB) into every bundle that holds this module, for one constant.
 */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const emptyTwiml = () => EMPTY_TWIML;

/**
 * The webhook's whole job, fast and the same however many messages arrive at once:
 * 1. The store by `To` (a number no store has is logged and answered, nothing kept).
 * 2. The MessageSid on record (a redelivery keeps the first record).
 * 3. The message on the inbound FIFO queue, grouped by conversation.
 * 4. Empty TwiML: any reply (HELP) goes out through the REST API from the worker.
 */
export async function acceptInbound(sms: InboundSms, form: Record<string, string>, now: Date): Promise<string> {
  const channel = channelOfAddress(sms.To);
  const storeId = channel && (await findStoreIdByPhone(channel.phoneOf(sms.To), channel.name));
  if (!storeId) {
    logger.warn('inbound message to a number no store has (on that channel)', {
      to: sms.To,
      messageSid: sms.MessageSid,
    });
    return emptyTwiml();
  }
  await repository.recordInboundAccepted({ sid: sms.MessageSid, storeId, receivedAt: now });
  // One group per conversation whatever the channel: `whatsapp:+1…` and `+1…` are the same customer.
  const from = channelOfAddress(sms.From)?.phoneOf(sms.From) ?? sms.From;
  await enqueueInbound({ storeId, receivedAt: now.toISOString(), form }, sms.MessageSid, from);
  return emptyTwiml();
}
