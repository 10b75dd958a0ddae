/**
 * The sender worker's one job: hand a recorded, queued message to the carrier, at most once
 * (docs/delivery-guarantees.md, "Sending"). The API never gets here: it records and queues.
 */
import { logger } from '../shared/logger';
import { recordMessageFailed, recordMessageSent } from '../shared/metrics';
import { enqueueAttribution } from '../reports/attribution-queue';
import { isAssociateSend } from '../reports/rules';
import { channelOfRecorded } from './channels';
import { CarrierError, recentMessages, sendToCarrier } from './messenger';
import { mediaUrlsFor } from './media';
import type { MessageRef } from './model';
import * as repository from './repository';
import { enqueueSend, type SenderJob } from './sender-queue';
import {
  CircuitBreaker,
  mayHaveBeenTaken,
  OUTBOX_GRACE_SECONDS,
  retryDelaySeconds,
  takenByCarrier,
} from './sending-rules';

/** What became of one job: the worker logs it; none of them is a failure of the job itself. */
export type HandOverOutcome =
  | 'sent'
  | 'refused'
  | 'retrying'
  | 'gave-up'
  | 'paced'
  | 'held-by-breaker'
  /** Another delivery of the job claimed it, or it was settled meanwhile (canceled, erased, sent). */
  | 'not-claimable';

/**
 * The sender's settings: the pace of one number (messages/s; `SENDER_RATE_PER_NUMBER`, default 1
 * for a long code, `unlimited` for none — the local stack's default, `LOCAL_SENDER_RATE` there)
 * and the first retry's base wait (`SENDER_RETRY_BASE_SECONDS`, default 5).
 */
export function senderSettings(env: NodeJS.ProcessEnv = process.env): {
  intervalMs?: number;
  retryBaseSeconds: number;
} {
  const rate = env.SENDER_RATE_PER_NUMBER ?? '1';
  const perSecond = rate === 'unlimited' ? undefined : Number(rate);
  if (perSecond !== undefined && !(perSecond > 0))
    throw new Error(`SENDER_RATE_PER_NUMBER must be a positive number or "unlimited", not "${rate}"`);
  const retryBaseSeconds = Number(env.SENDER_RETRY_BASE_SECONDS ?? '5');
  return { ...(perSecond ? { intervalMs: 1000 / perSecond } : {}), retryBaseSeconds };
}

const containerBreaker = new CircuitBreaker();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outboxTime = (from: number) => new Date(from + OUTBOX_GRACE_SECONDS * 1000);

/** The status callback URL names the message, so a callback that beats the send's return still finds it. */
export const statusCallbackUrl = (publicBaseUrl: string, ref: MessageRef): string =>
  `${publicBaseUrl}/webhooks/twilio/status?conversationId=${encodeURIComponent(ref.conversationId)}&messageId=${encodeURIComponent(ref.messageId)}`;

/**
 * 1. While the circuit breaker is open, the job waits on the queue (no try is spent).
 * 2. The sending number's pace: book a slot (wait for it in the worker when it is close), or
 *    put the job back on the queue until it is.
 * 3. Claim the message (a duplicate delivery, or a settled message, stops here).
 * 4. Call Twilio (after a try that got no answer, first look for it in Twilio's list: found, it
 *    is not sent again). Taken: the SID, out of the outbox; then the report's touch and, for an opt-in
 *    request, the REQUESTED state. Refused for good: `failed` with Twilio's code (21610 also opts
 *    the customer out). Throttled, 5xx or no answer: a new job after a growing, jittered wait, for
 *    up to 15 minutes from the first try; then `failed` with the last code.
 */
export async function handOver(
  job: SenderJob,
  context: {
    now: () => number;
    publicBaseUrl: string;
    settings: ReturnType<typeof senderSettings>;
    /** The container's breaker unless given (a test's own). */
    breaker?: CircuitBreaker;
  },
): Promise<HandOverOutcome> {
  const ref: MessageRef = { conversationId: job.conversationId, messageId: job.messageId };
  const breaker = context.breaker ?? containerBreaker;
  const held = breaker.waitMs(context.now());
  if (held > 0) {
    await enqueueSend(job, held / 1000);
    return 'held-by-breaker';
  }
  const { intervalMs } = context.settings;
  if (intervalMs) {
    const slot = await repository.bookSlot({ from: job.from, now: context.now(), intervalMs, priority: job.priority });
    if ('waitMs' in slot) {
      await enqueueSend(job, Math.max(1, slot.waitMs / 1000));
      return 'paced';
    }
    if (slot.slotAt > context.now()) await sleep(slot.slotAt - context.now());
  }
  const startedAt = context.now();
  const message = await repository.claimSend(ref, new Date(startedAt));
  if (!message) return 'not-claimable';
  const channel = channelOfRecorded(message.to);

  let sid: string;
  try {
    sid =
      (await takenOnEarlierTry(ref, message)) ??
      (
        await sendToCarrier(
          channel.carrierRequest({
            to: message.to,
            from: message.from,
            text: message.text,
            mediaUrls: await mediaUrlsFor(message.mediaKeys),
            ...(message.content ? { content: message.content } : {}),
            statusCallback: statusCallbackUrl(context.publicBaseUrl, ref),
          }),
        )
      ).sid;
  } catch (error) {
    return carrierDidNotTake(job, ref, message, error, { ...context, breaker });
  }
  // Twilio has it now: nothing from here on may make it look unsent (a retry would send it twice).
  breaker.succeeded();
  await carrierTook(ref, message, sid, new Date(startedAt));
  return 'sent';
}

/**
 * The SID of an earlier try that got no answer (timed out, reset) and that Twilio had taken
 * after all, from its list of recent messages between the two numbers (sending-rules.ts,
 * takenByCarrier); undefined when there was no such try or Twilio has no such message.
 */
async function takenOnEarlierTry(ref: MessageRef, message: repository.ClaimedMessage): Promise<string | undefined> {
  if (!message.firstAttemptAt || !mayHaveBeenTaken(message.lastErrorCode)) return undefined;
  const recent = await recentMessages(message.to, message.from);
  const sid = takenByCarrier(recent, { body: message.text, claimedAt: message.firstAttemptAt });
  if (sid)
    logger.warn('a try that got no answer had been taken by Twilio: its SID is kept, it is not sent again', {
      ...ref,
      sid,
      lastErrorCode: message.lastErrorCode,
    });
  return sid;
}

/**
 * Twilio took the message (the sender's answer, or the outbox sweep finding it in Twilio's list
 * after the sender died): the SID on record and out of the outbox, the report's touch, and for an
 * opt-in request the REQUESTED state. `at` is when the send was started.
 */
export async function carrierTook(ref: MessageRef, message: repository.ClaimedMessage, sid: string, at: Date) {
  recordMessageSent();
  await repository.recordHandedOver(ref, sid);
  await queueTouch(ref, message, at);
  if (message.sendKind !== 'opt-in-request') return;
  const conversation = await repository.getConversation(ref.conversationId);
  if (conversation)
    await repository.changeOptIn(
      conversation,
      { type: 'opt-in-request-sent' },
      {
        source: 'OPT_IN_REQUEST',
        at,
        channel: channelOfRecorded(message.to).name,
        ...(message.sentBy ? { userId: message.sentBy } : {}),
      },
    );
}

/**
 * An associate's message is on record as handed over: its attribution goes to the attribution
 * worker. Twilio has the message, so a queue failure is logged, never thrown (a retry of the job
 * would send it twice); the touch is then not counted.
 */
async function queueTouch(ref: MessageRef, message: repository.ClaimedMessage, at: Date): Promise<void> {
  const sentBy = message.sentBy ?? '';
  const actingUserId = message.actingUserId ?? sentBy;
  if (!isAssociateSend(sentBy, actingUserId)) return;
  try {
    // Messages recorded before the outbox carried its store and customer read them from the conversation.
    const owner =
      message.storeId && message.customerId ? message : await repository.getConversation(ref.conversationId);
    if (!owner?.storeId || !owner.customerId) return;
    await enqueueAttribution({
      touch: 'outbound',
      storeId: owner.storeId,
      customerId: owner.customerId,
      ...ref,
      sentBy,
      actingUserId,
      at: at.toISOString(),
    });
  } catch (error) {
    logger.error('outbound touch not queued: it is not counted', { error: error as Error, ...ref });
  }
}

/** A try that Twilio did not take: refused for good, or for now (step 4 above). */
async function carrierDidNotTake(
  job: SenderJob,
  ref: MessageRef,
  message: repository.ClaimedMessage,
  error: unknown,
  context: Parameters<typeof handOver>[1],
): Promise<HandOverOutcome> {
  const now = context.now();
  const failure =
    error instanceof CarrierError ? error.failure : ({ kind: 'unavailable', errorCode: 'SEND_FAILED' } as const);
  const detail = (error as Error).message;
  if (failure.kind === 'refused') {
    logger.warn('Twilio refused the message for good', { ...ref, errorCode: failure.errorCode, detail });
    recordMessageFailed(failure.errorCode);
    await repository.recordSendFailed(ref, failure.errorCode);
    await afterRefusal(ref, message, failure.errorCode, now);
    return 'refused';
  }
  context.breaker?.failed(now);
  const attempt = job.attempt + 1;
  const firstAttemptAt = job.firstAttemptAt ?? new Date(now).toISOString();
  const delay = retryDelaySeconds({
    attempt,
    firstAttemptAt: Date.parse(firstAttemptAt),
    now,
    baseSeconds: context.settings.retryBaseSeconds,
  });
  if (delay === undefined) {
    logger.error('Twilio did not take the message within the retry window; it is failed', {
      ...ref,
      attempt,
      errorCode: failure.errorCode,
      detail,
    });
    recordMessageFailed(failure.errorCode);
    await repository.recordSendFailed(ref, failure.errorCode);
    await afterRefusal(ref, message, failure.errorCode, now);
    return 'gave-up';
  }
  logger.warn('Twilio did not take the message; retrying', {
    ...ref,
    attempt,
    delay,
    errorCode: failure.errorCode,
    detail,
  });
  const retryAt = now + delay * 1000;
  if (
    !(await repository.recordRetrying(ref, {
      errorCode: failure.errorCode,
      firstAttemptAt,
      dueAt: outboxTime(retryAt),
    }))
  )
    return 'not-claimable';
  await enqueueSend({ ...job, attempt, firstAttemptAt }, delay);
  return 'retrying';
}

/** What a message that will never go means beyond itself: the channel's opt-out code (SMS: 21610) opts the customer out; an opt-in request frees the day's one request. */
async function afterRefusal(ref: MessageRef, message: repository.ClaimedMessage, errorCode: string, now: number) {
  const channel = channelOfRecorded(message.to);
  const isOptedOut = channel.optsOut(errorCode);
  const closesWindow = channel.closesWindow(errorCode);
  if (!isOptedOut && !closesWindow && message.sendKind !== 'opt-in-request') return;
  const conversation = await repository.getConversation(ref.conversationId);
  if (!conversation) return;
  if (isOptedOut)
    await repository.changeOptIn(
      conversation,
      { type: 'twilio-21610' },
      { source: 'CARRIER', at: new Date(now), channel: channel.name },
    );
  if (closesWindow) await repository.closeWindow(ref.conversationId, channel, new Date(now));
  if (message.sendKind === 'opt-in-request')
    await repository.releaseOptInRequest(
      ref.conversationId,
      new Date(message.createdAt),
      channel.attributes.optInRequestedAt,
    );
}
