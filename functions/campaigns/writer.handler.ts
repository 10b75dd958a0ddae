/**
 * The import queue's consumer: chunks of rows into outreach lists, and purge work for deleted
 * campaigns. Failures are reported per message (partial batch response), so SQS retries only
 * them and, after the queue's maxReceiveCount, moves them to the dead-letter queue. Nothing
 * consumes that queue: its messages stay for a redrive (README, "Operations"), and the chunk's
 * campaign notes what is missing so the import watchdog can fail it with the reason.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { systemClock } from '../shared/clock';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { IMPORT_QUEUE_MAX_RECEIVES, sendToImportQueue } from './chunk-queue';
import { ImportQueueMessage } from './rules';
import { purge } from './purge-campaign';
import { noteDeadLetteredChunk, writeChunk } from './write-chunk';

/** Leave this much of the invocation for queueing the rest of a purge. */
const PURGE_MARGIN_MS = 10_000;

const processor = new BatchProcessor(EventType.SQS);

export const handler = middy<SQSEvent, SQSBatchResponse, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event, context) => {
    const handleRecord = async (record: SQSRecord) => {
      const message = ImportQueueMessage.parse(JSON.parse(record.body));
      if (message.type === 'rows') {
        try {
          const outcome = await writeChunk(message, systemClock());
          logger.debug('chunk', { campaignId: message.campaignId, chunk: message.chunk, outcome });
        } catch (error) {
          // The last receive: SQS moves the message to the dead-letter queue, where it waits for a redrive.
          const receives = Number(record.attributes.ApproximateReceiveCount);
          if (receives >= IMPORT_QUEUE_MAX_RECEIVES) {
            await noteDeadLetteredChunk(message, receives);
            logger.error('campaign chunk goes to the dead-letter queue', {
              campaignId: message.campaignId,
              chunk: message.chunk,
              receives,
              error,
            });
          }
          throw error;
        }
        return;
      }
      const done = await purge(message.campaignId, Date.now() + context.getRemainingTimeInMillis() - PURGE_MARGIN_MS);
      if (!done) await sendToImportQueue(message);
    };
    return processPartialResponse(event, handleRecord, processor, { context });
  });
