/**
 * The attribution queue's consumer: each job is one message's touch — an associate's message
 * handed over (recordOutboundTouch) or a customer's message received (recordInboundReply). A job
 * fails (SQS tries it again, then dead-letters it) only on a table error; its marker makes a
 * retry count nothing twice.
 */
import { sqsWorker } from '../shared/sqs';
import { AttributionJob } from './attribution-queue';
import { recordOutboundTouch } from './record-outbound-touch';
import { recordInboundReply } from './record-reply';

/** Applies one job: the touch it names, at the time the message was handed over or received. */
export async function applyAttribution(job: AttributionJob): Promise<void> {
  const at = new Date(job.at);
  if (job.touch === 'outbound') await recordOutboundTouch({ ...job, at });
  else await recordInboundReply({ ...job, at });
}

export const handler = sqsWorker(AttributionJob, applyAttribution);
