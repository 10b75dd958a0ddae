/**
 * The inbound queue's consumer: applies Twilio's inbound messages, one conversation's messages in
 * order. With a FIFO queue a failed message must hold back the ones after it in its group, and
 * only those: Powertools' FIFO processor with `skipGroupOnError` fails the rest of the failing
 * message's group (retried after it, in order) and goes on with the batch's other groups, so one
 * bad message never delays other conversations. MMS media is not fetched here (applyInbound
 * queues it for the media worker), so a record costs only table writes. Customer erasures
 * (`DELETE /customers/{id}`) come through this queue too, in a group of their own.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { applyInbound } from './inbound';
import { eraseCustomer } from '../stores/erasure';
import { EraseJob, InboundJob } from './inbound-queue';

const processor = new SqsFifoPartialProcessorAsync();

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => {
      const body: unknown = JSON.parse(record.body);
      const erasure = EraseJob.safeParse(body);
      if (erasure.success) {
        const outcome = await eraseCustomer(erasure.data.erase.customerId, new Date(erasure.data.erase.requestedAt));
        logger.info('erasure applied', { customerId: erasure.data.erase.customerId, outcome });
        return;
      }
      const job = InboundJob.parse(body);
      const outcome = await applyInbound(job);
      logger.info('inbound applied', {
        storeId: job.storeId,
        messageSid: job.form.MessageSid,
        outcome,
        waitedMs: Date.now() - Date.parse(job.receivedAt),
      });
    };
    return processPartialResponse(event, handleRecord, processor, { context, skipGroupOnError: true });
  });
