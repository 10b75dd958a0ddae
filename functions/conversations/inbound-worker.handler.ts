/**
 * The inbound queue's consumer: applies Twilio's inbound messages, one conversation's messages in
 * order. With a FIFO queue a failed message must hold back the ones after it in its group, and
 * only those: like Powertools' FIFO processor with `skipGroupOnError` (functions/shared/sqs-fifo.ts), the
 * rest of the failing message's group is failed (retried after it, in order) and the batch's other
 * groups are applied, so one bad message never delays other conversations. MMS media is not fetched here (applyInbound
 * queues it for the media worker), so a record costs only table writes. Customer erasures have
 * a queue and worker of their own (functions/customers/erasure-worker.handler.ts).
 */
import type { SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { sqsFifoWorker } from '../shared/sqs-fifo';
import { applyInbound } from './inbound';
import { INBOUND_QUEUE_MAX_RECEIVES, InboundJob } from './inbound-queue';

async function handleRecord(record: SQSRecord): Promise<void> {
  const job = InboundJob.parse(JSON.parse(record.body));
  const outcome = await applyInbound(job);
  logger.info('inbound applied', {
    storeId: job.storeId,
    messageSid: job.form.MessageSid,
    outcome,
    waitedMs: Date.now() - Date.parse(job.receivedAt),
  });
}

export const handler = sqsFifoWorker({ name: 'inbound', maxReceives: INBOUND_QUEUE_MAX_RECEIVES }, handleRecord);
