/**
 * The sender queues' consumer (both: the sender and the bulk sender run this handler): each job
 * hands one recorded message to Twilio (hand-over.ts). The jobs of a batch go in parallel, each
 * paced by its own number. A job fails (and SQS tries it again, then dead-letters it) only when
 * the worker itself could not do its part — a table or queue error; whatever Twilio answered is
 * recorded on the message and is never a failed job.
 */
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { sqsWorker } from '../shared/sqs';
import { handOver, senderSettings } from './hand-over';
import { SenderJob } from './sender-queue';

const config = loadConfig('publicBaseUrl');
const settings = senderSettings();

export const handler = sqsWorker(SenderJob, async (job, record) => {
  const outcome = await handOver(job, { now: Date.now, publicBaseUrl: config.publicBaseUrl, settings });
  logger.info('send handled', {
    conversationId: job.conversationId,
    messageId: job.messageId,
    priority: job.priority,
    attempt: job.attempt,
    outcome,
    queuedMs: Date.now() - Number(record.attributes.SentTimestamp),
  });
});
