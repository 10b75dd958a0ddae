/**
 * The erasure queue's consumer: each message is one customer's erasure (./erasure.ts
 * eraseCustomer), at the time it was requested. The queue is FIFO, a group per customer: a failed
 * erasure fails the rest of its group in the batch (retried after it, in order), like Powertools'
 * FIFO processor with `skipGroupOnError`, and the other customers' erasures go on. Every step of
 * an erasure can run again, so a retry finishes what the failed try left.
 */
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { EraseJob } from './erasure-queue';
import { eraseCustomer } from './erasure';

const processor = new SqsFifoPartialProcessorAsync();

/** Carries out one erasure job. */
async function applyErasure(job: EraseJob): Promise<void> {
  const { customerId, requestedAt } = job.erase;
  const outcome = await eraseCustomer(customerId, new Date(requestedAt));
  logger.info('erasure applied', { customerId, outcome });
}

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => applyErasure(EraseJob.parse(JSON.parse(record.body)));
    return processPartialResponse(event, handleRecord, processor, { context, skipGroupOnError: true });
  });
