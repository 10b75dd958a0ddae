/**
 * The media step of an inbound MMS: the text is stored first with its media items `pending`
 * (applyInbound), and this copies them into the images bucket afterwards, off the conversation's
 * queue, so a slow or dead media host never delays or costs the text.
 */
import { logger } from '../shared/logger';
import { twilioCredentials } from '../shared/secrets';
import { copyInboundMedia, deleteMedia } from './media';
import type { MediaJob } from './media-queue';
import * as repository from './repository';
import { mediaStatusOf } from './rules';

export interface MediaCopyOutcome {
  available: number;
  unavailable: number;
  /** Items already marked (a repeated job) or not on the message. */
  skipped: number;
}

/**
 * Copies a message's pending media; safe to run again for the same job (SQS delivers at least once).
 * 1. The message as stored: gone (erased since) means nothing to do; only items still `pending`
 *    are fetched, so a repeated job copies nothing again.
 * 2. Those items in parallel, each streamed into the bucket under its derived key (a second copy
 *    overwrites the first), bounded in size and time, retried, and no try runs past `deadline`.
 * 3. Each item marked `available` or `unavailable` (with the reason) as soon as its copy ends,
 *    only while it is still pending; a message erased meanwhile has its copies removed.
 * A fetch that fails is an `unavailable` item, never an error: only a table outage throws (and the
 * queue retries the job).
 */
export async function copyMessageMedia(job: MediaJob, deadline: number): Promise<MediaCopyOutcome> {
  const outcome: MediaCopyOutcome = { available: 0, unavailable: 0, skipped: 0 };
  const ref = { conversationId: job.conversationId, messageId: job.messageId };
  const message = await repository.getMessage(ref.conversationId, ref.messageId);
  if (!message) return { ...outcome, skipped: job.items.length };
  const pending = job.items.flatMap((source) => {
    const stored = message.media[source.index];
    return stored && mediaStatusOf(stored) === 'pending' ? [{ source, mediaKey: stored.mediaKey }] : [];
  });
  outcome.skipped = job.items.length - pending.length;
  if (pending.length === 0) return outcome;

  const credentials = await twilioCredentials();
  const auth = credentials.live ? { auth: { username: credentials.accountSid, password: credentials.authToken } } : {};
  await Promise.all(
    pending.map(async ({ source, mediaKey }) => {
      const copied = await copyInboundMedia({
        mediaKey,
        url: source.url,
        contentType: source.contentType,
        deadline,
        ...auth,
      });
      if (copied.status === 'unavailable')
        logger.warn('inbound media unavailable; the message keeps its text', {
          messageSid: job.messageSid,
          index: source.index,
          reason: copied.reason,
        });
      const marked = await repository.markMediaItem(ref, source.index, copied);
      if (marked === 'message-gone' && copied.status === 'available') await deleteMedia([mediaKey]);
      if (marked === 'marked') outcome[copied.status]++;
      else outcome.skipped++;
    }),
  );
  return outcome;
}
