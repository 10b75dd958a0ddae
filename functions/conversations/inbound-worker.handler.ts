/**
 * The inbound queue's consumer: applies Twilio's inbound messages, one conversation's messages in
 * order. With a FIFO queue a failed message must hold back the ones after it in its group, and
 * only those: like Powertools' FIFO processor with `skipGroupOnError` (processByGroup below), the
 * rest of the failing message's group is failed (retried after it, in order) and the batch's other
 * groups are applied, so one bad message never delays other conversations. MMS media is not fetched here (applyInbound
 * queues it for the media worker), so a record costs only table writes. Customer erasures have
 * a queue and worker of their own (functions/customers/erasure-worker.handler.ts).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
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

/**
 * The batch, group by group in the order SQS gave it: a failed record fails the rest of its group
 * (SQS then redelivers them after it, in order) and the other groups go on. On its last try a
 * failed record goes to the dead-letter queue whatever happens, so the records behind it are
 * applied now, as they would be once it is gone; otherwise each of them would also use up a
 * receive per retry and be dead-lettered beside it.
 */
async function processByGroup(records: readonly SQSRecord[]): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    const members = groups.get(group);
    if (members) members.push(record);
    else groups.set(group, [record]);
  }
  const failed: string[] = [];
  for (const [group, members] of groups) {
    let held = false;
    for (const record of members) {
      if (held) {
        failed.push(record.messageId);
        continue;
      }
      try {
        await handleRecord(record);
      } catch (error) {
        const lastTry = Number(record.attributes.ApproximateReceiveCount) >= INBOUND_QUEUE_MAX_RECEIVES;
        logger.error('inbound record failed', { messageId: record.messageId, group, lastTry, error });
        failed.push(record.messageId);
        held = !lastTry;
      }
    }
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler((event) => processByGroup(event.Records));
