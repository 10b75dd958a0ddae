/**
 * The media queue's consumer: copies inbound MMS media of stored messages into the images bucket
 * (copyMessageMedia). A standard queue, so the jobs of a batch run side by side; each stops its
 * copies well before the function's timeout, so every item ends marked and a dead media host
 * never makes the job fail. A job fails (and is retried) only when the table cannot be written.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { copyMessageMedia } from './copy-message-media';
import { MediaJob } from './media-queue';

/** Time kept back from the copies for marking the items and answering the batch. */
const MARKING_RESERVE_MS = 15_000;

const processor = new BatchProcessor(EventType.SQS);

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - MARKING_RESERVE_MS;
    const handleRecord = async (record: SQSRecord) => {
      const job = MediaJob.parse(JSON.parse(record.body));
      const outcome = await copyMessageMedia(job, deadline);
      logger.info('inbound media copied', { messageSid: job.messageSid, ...outcome });
    };
    return processPartialResponse(event, handleRecord, processor, { context });
  });
