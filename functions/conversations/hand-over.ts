/**
 * Handing a recorded message to the carrier, at most once: the claim, the Twilio call, the SID,
 * and what a failed call means for the message and the caller (docs/delivery-guarantees.md).
 */
import { CarrierRefusedError, ServiceUnavailableError } from '../shared/errors';
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { recordMessageFailed, recordMessageSent } from '../shared/metrics';
import { recordOutboundTouch } from '../reports/record-outbound-touch';
import { OPTED_OUT_ERROR_CODE } from './delivery-rules';
import { CarrierError, sendSms } from './messenger';
import { mediaUrlsFor, withUrls } from './media';
import type { Conversation, Message, MessageRef, SendResult } from './model';
import * as repository from './repository';
import type { SendKind } from './rules';

/** Twilio's status callbacks name the message they are about, so they find it even before the send call has returned. */
const statusCallbackUrl = (ref: MessageRef) =>
  `${loadConfig('publicBaseUrl').publicBaseUrl}/webhooks/twilio/status?conversationId=${encodeURIComponent(ref.conversationId)}&messageId=${encodeURIComponent(ref.messageId)}`;

/**
 * Hands a recorded message to the carrier, at most once: the one path of every send, at once or
 * released by the scheduled-sender.
 * 1. Claim the hand-over (a concurrent request or run that took it answers for the send).
 * 2. Call Twilio (bounded by TWILIO_TIMEOUT_MS) and keep the SID.
 * 3. A refusal for good leaves the message `failed` with Twilio's code and is a 422 with
 *    `twilioCode` (21610 also opts the customer out); throttling or no answer leaves it `failed`
 *    but retriable, and is a 503 with Retry-After.
 * 4. An opt-in request moves the state to REQUESTED, on the consent ledger.
 */
export async function handOver(input: {
  conversation: Conversation;
  message: Message;
  kind: SendKind;
  now: Date;
  from: string;
  /** Who is sending, for reports: a system send on an associate's behalf (a receipt) is not the associate's message. */
  actingUserId?: string;
}): Promise<SendResult> {
  const { conversation, message, kind, now } = input;
  const ref = { conversationId: conversation.conversationId, messageId: message.messageId };
  if (!(await repository.claimSend(ref, now))) {
    // A concurrent request with the same key took the hand-over: it answers for the send.
    return {
      message: await withUrls(strip((await repository.getMessage(ref.conversationId, ref.messageId)) ?? message)),
      replayed: true,
    };
  }
  let sent: { sid: string };
  try {
    sent = await sendSms({
      to: conversation.customer.phone!,
      from: input.from,
      body: message.text,
      mediaUrls: await mediaUrlsFor(message.media.map((m) => m.mediaKey)),
      statusCallback: statusCallbackUrl(ref),
    });
  } catch (error) {
    return recordCarrierFailure(conversation, ref, error, now);
  }
  // Twilio has it now: a failure from here on must not make it look unsent (a retry would send it twice).
  recordMessageSent();
  await repository.recordHandedOver(ref, sent.sid);
  const sentBy = message.sentBy ?? '';
  await recordOutboundTouch({
    storeId: conversation.storeId,
    customerId: conversation.customerId,
    conversationId: conversation.conversationId,
    messageId: ref.messageId,
    sentBy,
    actingUserId: input.actingUserId ?? sentBy,
    at: now,
  });
  if (kind === 'opt-in-request') {
    await repository.changeOptIn(
      conversation,
      { type: 'opt-in-request-sent' },
      { source: 'OPT_IN_REQUEST', at: now, ...(message.sentBy ? { userId: message.sentBy } : {}) },
    );
  }
  const stored = await repository.getMessage(ref.conversationId, ref.messageId);
  // This request handed the message over (a retry after an outage or a crash included): it is the send.
  return { message: await withUrls(strip(stored ?? message)), replayed: false };
}

/** Turns a failed hand-over into the message's state and the caller's answer (step 4 above). Always throws. */
async function recordCarrierFailure(
  conversation: Conversation,
  ref: MessageRef,
  error: unknown,
  now: Date,
): Promise<never> {
  const failure =
    error instanceof CarrierError
      ? error.failure
      : ({ kind: 'unavailable', errorCode: 'SEND_FAILED', retryAfterSeconds: 5 } as const);
  if (!(error instanceof CarrierError))
    logger.error('send failed before Twilio answered', { error: error as Error, ...ref });
  else logger.warn('Twilio did not take the message', { ...ref, failure, detail: error.message });
  recordMessageFailed(failure.errorCode);
  await repository.updateDeliveryStatus(ref, {
    status: 'failed',
    errorCode: failure.errorCode,
    ...(failure.kind === 'unavailable' ? { retriable: true } : {}),
  });
  if (failure.kind === 'unavailable') {
    throw new ServiceUnavailableError(
      `The SMS carrier is not taking messages right now (${failure.errorCode}); the message was not sent. Send it again after ${failure.retryAfterSeconds} s (with the same Idempotency-Key, it is the same message).`,
      failure.retryAfterSeconds,
      { messageId: ref.messageId, errorCode: failure.errorCode },
    );
  }
  if (failure.errorCode === String(OPTED_OUT_ERROR_CODE)) {
    await repository.changeOptIn(conversation, { type: 'twilio-21610' }, { source: 'CARRIER', at: now });
    throw new CarrierRefusedError(
      'Twilio refused the message because the customer has opted out of texts from this number (error 21610). The conversation is now marked opted out.',
      failure.errorCode,
      ref.messageId,
    );
  }
  throw new CarrierRefusedError(
    `Twilio refused the message for good (error ${failure.errorCode}); it is marked failed. Check the customer's number.`,
    failure.errorCode,
    ref.messageId,
  );
}

/** A stored message without the hand-over's bookkeeping (the claim, the retriable mark). */
export const strip = (m: Message & { sendClaimedAt?: string; retriable?: boolean }): Message => {
  const { sendClaimedAt: _claimed, retriable: _retriable, ...message } = m;
  return message;
};
