/**
 * The due index, swept every minute by the `scheduled-sender` schedule with the event's time as
 * "now" (docs/delivery-guarantees.md, "Sending"):
 * - scheduled messages (a `sendAt`, or held by quiet hours) whose time has come become `queued`
 *   on the bulk sender queue — the sender paces them, not this function's timeout;
 * - the outbox: a `queued` message still in the index after its grace was never taken by a
 *   sender (the enqueue after the write was lost) and is queued again, and a claim that expired
 *   without a SID is looked up in Twilio's list: taken (its SID recorded) or queued again, never
 *   sent again blindly.
 */
import { RELEASE } from './sweeps';
import { forEachConcurrently } from '../shared/concurrency';
import { STOP_BEFORE_TIMEOUT_MS } from '../shared/schedule';
import { logger } from '../shared/logger';
import type { DueMessage, ReleaseSummary } from './model';
import * as repository from './repository';
import { channelOfRecorded } from './channels';
import { OPTED_OUT_AT_RELEASE } from './rules';
import { enqueueSends, type SenderJob } from './sender-queue';
import { carrierTook } from './hand-over';
import { recentMessages } from './messenger';
import {
  CLAIM_TIMEOUT_SECONDS,
  OUTBOX_GRACE_SECONDS,
  RETRY_WINDOW_MS,
  takenByCarrier,
  UNKNOWN_OUTCOME,
  WINDOW_NOT_REOPENED,
} from './sending-rules';

/**
 * Without a scheduled run's deadline (a direct call): the schedule's 60 s less the 15 s a run keeps
 * to finish (functions/shared/schedule.ts). The shards and pages are worked as the load model
 * sizes them (./sweeps.ts RELEASE: 8 shards at once, 8 messages of each page at once).
 */
const DEFAULT_BUDGET_MS = RELEASE.timeoutSeconds * 1000 - STOP_BEFORE_TIMEOUT_MS;

type Verdict = keyof ReleaseSummary | { job: SenderJob; verdict: 'released' | 'requeued' };

/** Sweeps every due message at `now`, the due shards at once and page by page, until `deadline` (epoch ms). */
export async function releaseDue(now: Date, deadline = Date.now() + DEFAULT_BUDGET_MS): Promise<ReleaseSummary> {
  const summary: ReleaseSummary = { released: 0, requeued: 0, failed: 0, waiting: 0, settled: 0, leftover: 0 };
  const nextDue = new Date(now.getTime() + OUTBOX_GRACE_SECONDS * 1000);
  const { leftover } = await repository.workDueMessages(
    now,
    { deadline, shardConcurrency: RELEASE.shardConcurrency },
    async (page) => {
      const jobs: Array<{ job: SenderJob; verdict: 'released' | 'requeued' }> = [];
      await forEachConcurrently(page, RELEASE.itemConcurrency, async (due) => {
        try {
          const verdict = await sweep(due, now, nextDue);
          if (typeof verdict === 'string') summary[verdict]++;
          else jobs.push(verdict);
        } catch (error) {
          // One message's trouble must not hold back the others: it stays due and is looked at next run.
          logger.error('due message not swept; looked at again on the next run', { ...due, error: error as Error });
          summary.leftover++;
        }
      });
      const refused = new Set(await enqueueSends(jobs.map((j) => j.job)));
      for (const { job, verdict } of jobs) summary[refused.has(job) ? 'leftover' : verdict]++;
    },
  );
  summary.leftover += leftover;
  return summary;
}

async function sweep(due: DueMessage, now: Date, nextDue: Date): Promise<Verdict> {
  const state = await repository.outboundState(due);
  // Held WhatsApp text whose 24 h passed without the customer reopening the window (docs/rules.md, "WhatsApp").
  if (state?.status === 'held') {
    await repository.recordSendFailed(due, WINDOW_NOT_REOPENED);
    return 'failed';
  }
  if (!state || state.twilioSid || (state.status !== 'scheduled' && state.status !== 'queued')) {
    if (state) await repository.leaveOutbox(due);
    return 'settled';
  }
  if (!state.from) {
    // Recorded without a sending number (before the sender queue existed): nothing can send it.
    await repository.recordSendFailed(due, 'NO_NUMBER');
    return 'failed';
  }
  const job = (priority: SenderJob['priority']): SenderJob => ({
    conversationId: due.conversationId,
    messageId: due.messageId,
    from: state.from!,
    priority,
    attempt: 0,
    ...(state.firstAttemptAt ? { firstAttemptAt: state.firstAttemptAt } : {}),
  });
  if (state.status === 'queued') {
    if (state.sendClaimedAt && !state.retriable) {
      const expiresAt = Date.parse(state.sendClaimedAt) + CLAIM_TIMEOUT_SECONDS * 1000;
      if (now.getTime() < expiresAt) {
        await repository.deferOutbox(due, new Date(expiresAt));
        return 'waiting';
      }
      return settleExpiredClaim(state, state.sendClaimedAt, now, nextDue, job(state.priority));
    }
    await repository.deferOutbox(due, nextDue);
    return { job: job(state.priority), verdict: 'requeued' };
  }
  return releaseScheduled(due, job('bulk'), nextDue);
}

/**
 * A claim that expired without a SID: its sender died before, during or after the Twilio call.
 * Twilio's list of recent messages between the two numbers says which (sending-rules.ts,
 * takenByCarrier): taken, its SID is recorded and nothing is sent again; not taken, the claim is
 * dropped and the message queued again. A list that cannot be read is asked again on the next
 * run, until the retry window from the claim is over: then UNKNOWN_OUTCOME, never sent blindly.
 */
async function settleExpiredClaim(
  state: repository.OutboundState,
  claimedAt: string,
  now: Date,
  nextDue: Date,
  job: SenderJob,
): Promise<Verdict> {
  const ref = { conversationId: state.conversationId, messageId: state.messageId };
  const { message } = state;
  let sid: string | undefined;
  try {
    sid = takenByCarrier(await recentMessages(message.to, message.from), { body: message.text, claimedAt });
  } catch (error) {
    if (now.getTime() - Date.parse(claimedAt) < RETRY_WINDOW_MS) throw error;
    logger.error('a send claim expired and Twilio could not say whether it took the message; not sending it again', {
      ...ref,
      claimedAt,
      error: error as Error,
    });
    await repository.recordSendFailed(ref, UNKNOWN_OUTCOME);
    return 'failed';
  }
  if (sid) {
    logger.warn('a send claim expired, and Twilio had taken the message: its SID is recorded', { ...ref, sid });
    await carrierTook(ref, message, sid, new Date(claimedAt));
    return 'settled';
  }
  if (!(await repository.releaseExpiredClaim(ref, claimedAt, nextDue))) return 'settled';
  logger.warn('a send claim expired, and Twilio never took the message: it is queued again', { ...ref, claimedAt });
  return { job, verdict: 'requeued' };
}

/**
 * A scheduled message whose time has come. Consent is checked again: a customer who opted out
 * in between gets nothing, and the message ends `failed` with `errorCode: "OPTED_OUT"`; a held
 * opt-in request to a customer who opted in meanwhile is canceled.
 */
async function releaseScheduled(due: DueMessage, job: SenderJob, nextDue: Date): Promise<Verdict> {
  const conversation = await repository.getConversation(due.conversationId);
  if (!conversation) {
    await repository.leaveOutbox(due);
    return 'settled';
  }
  // The sending address names the channel whose consent rules apply (channels/).
  const channel = channelOfRecorded(job.from);
  const refusal = channel.consentRefusal(channel.optInOf(conversation), due.sendKind);
  if (refusal?.rule === 'already-opted-in') {
    await repository.cancelScheduled(due);
    return 'settled';
  }
  if (refusal) {
    const errorCode = refusal.rule === 'opted-out' ? OPTED_OUT_AT_RELEASE : 'NOT_OPTED_IN';
    await repository.recordSendFailed(due, errorCode);
    logger.info('scheduled message not sent at release', { ...due, errorCode, optIn: conversation.optIn });
    return 'failed';
  }
  if (!(await repository.releaseScheduled(due, nextDue))) return 'settled';
  return { job, verdict: 'released' };
}
