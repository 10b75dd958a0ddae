/**
 * Releasing scheduled messages (a `sendAt`, or held by quiet hours) when their time has come:
 * the `scheduled-sender` schedule runs this every minute with the event's time as "now".
 */
import { forEachConcurrently } from '../shared/concurrency';
import { CarrierRefusedError, ServiceUnavailableError } from '../shared/errors';
import { logger } from '../shared/logger';
import { getStore } from '../stores/repository';
import { handOver } from './hand-over';
import type { DueMessage, ReleaseSummary } from './model';
import * as repository from './repository';
import { OPTED_OUT_AT_RELEASE, sendRefusal } from './rules';

const CONCURRENCY = 8;

/**
 * Releases every message due at `now`.
 * 1. Read only the due slice of the due index (sharded, oldest first).
 * 2. A message no longer waiting (canceled, sent by an earlier run, erased) leaves the index.
 * 3. Consent is checked again: a customer who opted out in between gets nothing, and the message
 *    ends `failed` with `errorCode: "OPTED_OUT"`.
 * 4. The rest take the same hand-over as an immediate send (claim, Twilio, SID), so a message
 *    released by two overlapping runs still goes out once. An unavailable carrier leaves it in
 *    the index for the next run; any other outcome takes it out.
 */
export async function releaseDue(now: Date): Promise<ReleaseSummary> {
  const summary: ReleaseSummary = { sent: 0, failed: 0, retrying: 0, settled: 0 };
  for await (const page of repository.dueMessages(now)) {
    await forEachConcurrently(page, CONCURRENCY, async (due) => {
      try {
        summary[await release(due, now)]++;
      } catch (error) {
        // One message's trouble must not hold back the others: it stays due and is tried next run.
        logger.error('scheduled message release failed; tried again on the next run', {
          ...due,
          error: error as Error,
        });
        summary.retrying++;
      }
    });
  }
  return summary;
}

async function release(due: DueMessage, now: Date): Promise<keyof ReleaseSummary> {
  const [message, conversation] = await Promise.all([
    repository.getMessage(due.conversationId, due.messageId),
    repository.getConversation(due.conversationId),
  ]);
  const waiting =
    message &&
    !message.twilioSid &&
    (message.status === 'scheduled' || message.retriable || (message.status === 'queued' && !message.sendClaimedAt));
  if (!message || !conversation || !waiting) {
    await repository.clearDue(due);
    return 'settled';
  }
  const refusal = sendRefusal(conversation.optIn, due.sendKind);
  if (refusal?.rule === 'already-opted-in') {
    // A held opt-in request whose customer opted in meanwhile: there is nothing left to ask.
    await repository.cancelScheduled(due);
    return 'settled';
  }
  const store = await getStore(conversation.storeId);
  if (refusal || !store || !conversation.customer.phone) {
    const errorCode = refusal?.rule === 'opted-out' ? OPTED_OUT_AT_RELEASE : refusal ? 'NOT_OPTED_IN' : 'NO_NUMBER';
    await repository.updateDeliveryStatus(due, { status: 'failed', errorCode });
    await repository.clearDue(due);
    logger.info('scheduled message not sent at release', { ...due, errorCode, optIn: conversation.optIn });
    return 'failed';
  }
  try {
    await handOver({ conversation, message, kind: due.sendKind, now, from: store.phoneNumber });
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return 'retrying';
    if (!(error instanceof CarrierRefusedError)) throw error;
    await repository.clearDue(due);
    return 'failed';
  }
  await repository.clearDue(due);
  return 'sent';
}
