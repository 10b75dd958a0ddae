/**
 * The media queue's consumer: copies inbound MMS media of stored messages into the images bucket
 * (copyMessageMedia). A standard queue, so the jobs of a batch run side by side; each stops its
 * copies well before the function's timeout, so every item ends marked and a dead media host
 * never makes the job fail. A job fails (and is retried) only when the table cannot be written.
 */
import { logger } from '../shared/logger';
import { sqsWorker } from '../shared/sqs';
import { copyMessageMedia } from './copy-message-media';
import { MediaJob } from './media-queue';

/** Time kept back from the copies for marking the items and answering the batch. */
const MARKING_RESERVE_MS = 15_000;

export const handler = sqsWorker(MediaJob, async (job, _record, context) => {
  // The same moment for every job of the batch: the invocation's end, less the reserve.
  const deadline = Date.now() + context.getRemainingTimeInMillis() - MARKING_RESERVE_MS;
  const outcome = await copyMessageMedia(job, deadline);
  logger.info('inbound media copied', { messageSid: job.messageSid, ...outcome });
});
