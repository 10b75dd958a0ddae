/**
 * The due index, swept every minute by the `scheduled-sender` schedule with the event's time as
 * "now" (docs/delivery-guarantees.md, "Sending"):
 * - scheduled messages (a `sendAt`, or held by quiet hours) whose time has come become `queued`
 *   on the bulk sender queue — the sender paces them, not this function's timeout;
 * - the outbox: a `queued` message still in the index after its grace was never taken by a
 *   sender (the enqueue after the write was lost) and is queued again, and a claim that expired
 *   without a SID ends `failed` with UNKNOWN_OUTCOME — never sent again blindly.
 */
import { RELEASE } from '../../lib/load-model';
import { forEachConcurrently } from '../shared/concurrency';
import { STOP_BEFORE_TIMEOUT_MS } from '../shared/schedule';
import { logger } from '../shared/logger';
import type { DueMessage, ReleaseSummary } from './model';
import * as repository from './repository';
import { OPTED_OUT_AT_RELEASE, sendRefusal } from './rules';
import { enqueueSends, type SenderJob } from './sender-queue';
import { CLAIM_TIMEOUT_SECONDS, OUTBOX_GRACE_SECONDS, UNKNOWN_OUTCOME } from './sending-rules';

/**
 * Without a scheduled run's deadline (a direct call): the schedule's 60 s less the 15 s a run keeps
 * to finish (functions/shared/schedule.ts). The shards and pages are worked as the load model
 * sizes them (lib/load-model.ts RELEASE: 8 shards at once, 8 messages of each page at once).
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
      logger.error('a send claim expired without a SID: whether Twilio took it is unknown; not sending it again', {
        ...due,
        claimedAt: state.sendClaimedAt,
      });
      await repository.recordSendFailed(due, UNKNOWN_OUTCOME);
      return 'failed';
    }
    await repository.deferOutbox(due, nextDue);
    return { job: job(state.priority), verdict: 'requeued' };
  }
  return releaseScheduled(due, job('bulk'), nextDue);
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
  const refusal = sendRefusal(conversation.optIn, due.sendKind);
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
