/**
 * The attribution queue's consumer: each job is one message's touch — an associate's message
 * handed over (recordOutboundTouch) or a customer's message received (recordInboundReply). A job
 * fails (SQS tries it again, then dead-letters it) only on a table error; its marker makes a
 * retry count nothing twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { AttributionJob } from './attribution-queue';
import { recordOutboundTouch } from './record-outbound-touch';
import { recordInboundReply } from './record-reply';

const processor = new BatchProcessor(EventType.SQS);

/** Applies one job: the touch it names, at the time the message was handed over or received. */
export async function applyAttribution(job: AttributionJob): Promise<void> {
  const at = new Date(job.at);
  if (job.touch === 'outbound') await recordOutboundTouch({ ...job, at });
  else await recordInboundReply({ ...job, at });
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => applyAttribution(AttributionJob.parse(JSON.parse(record.body)));
    return processPartialResponse(event, handleRecord, processor, { context });
  });
