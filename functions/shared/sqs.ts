/**
 * The wrapper of every standard-queue consumer: a handler file gives the job's schema and what to
 * do with one job, and this parses each record's JSON body with the schema, runs the batch's
 * records side by side through Powertools' BatchProcessor, and answers a partial batch response:
 * a record whose parse or job throws is reported as a batch item failure, so SQS retries only it
 * (and dead-letters it after the queue's max receives, lib/queues.ts) while the rest are deleted.
 * Logging and tracing are the shared chain's (handler-chain.ts). The FIFO queue's consumer has a
 * wrapper of its own (sqs-fifo.ts): a failure there must hold back its group.
 *
 *   export const handler = sqsWorker(SenderJob, async (job, record) => { ... });
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { handlerChain } from './handler-chain';

/** What reads a job from a record's JSON body and throws on a bad one: a zod schema. */
export interface JobSchema<TJob> {
  parse(body: unknown): TJob;
}

/** One job; the record (its attributes: receive count, sent time) and the invocation's context beside it. */
export type JobHandler<TJob> = (job: TJob, record: SQSRecord, context: Context) => Promise<void>;

/** The handler of a standard queue: each record's body parsed with `schema`, then handed to `handleJob`. */
export function sqsWorker<TJob>(schema: JobSchema<TJob>, handleJob: JobHandler<TJob>) {
  const processor = new BatchProcessor(EventType.SQS);
  return handlerChain<SQSEvent, SQSBatchResponse>().handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => handleJob(schema.parse(JSON.parse(record.body)), record, context);
    return processPartialResponse(event, handleRecord, processor, { context });
  });
}
