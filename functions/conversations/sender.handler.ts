/**
 * The sender queues' consumer (both: the sender and the bulk sender run this handler): each job
 * hands one recorded message to Twilio (hand-over.ts). The jobs of a batch go in parallel, each
 * paced by its own number. A job fails (and SQS tries it again, then dead-letters it) only when
 * the worker itself could not do its part — a table or queue error; whatever Twilio answered is
 * recorded on the message and is never a failed job.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../shared/config';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { handOver, senderSettings } from './hand-over';
import { SenderJob } from './sender-queue';

const processor = new BatchProcessor(EventType.SQS);
const config = loadConfig('publicBaseUrl');
const settings = senderSettings();

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => {
      const job = SenderJob.parse(JSON.parse(record.body));
      const outcome = await handOver(job, { now: Date.now, publicBaseUrl: config.publicBaseUrl, settings });
      logger.info('send handled', {
        conversationId: job.conversationId,
        messageId: job.messageId,
        priority: job.priority,
        attempt: job.attempt,
        outcome,
        queuedMs: Date.now() - Number(record.attributes.SentTimestamp),
      });
    };
    return processPartialResponse(event, handleRecord, processor, { context });
  });
