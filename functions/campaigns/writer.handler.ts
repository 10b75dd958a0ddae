/**
 * The import queue's consumer: chunks of rows into outreach lists, and purge work for deleted
 * campaigns. Failures are reported per message (partial batch response, functions/shared/sqs.ts),
 * so SQS retries only them and, after the queue's maxReceiveCount, moves them to the dead-letter
 * queue. Nothing consumes that queue: its messages stay for a redrive (README, "Operations"), and
 * the chunk's campaign notes what is missing so the import watchdog can fail it with the reason.
 */
import type { SQSRecord } from 'aws-lambda';
import { systemClock } from '../shared/clock';
import { logger } from '../shared/logger';
import { sqsWorker } from '../shared/sqs';
import { IMPORT_QUEUE_MAX_RECEIVES, sendToImportQueue } from './chunk-queue';
import { ImportQueueMessage } from './queue-messages';
import { purge } from './purge-campaign';
import { noteDeadLetteredChunk, writeChunk } from './write-chunk';

/** Leave this much of the invocation for queueing the rest of a purge. */
const PURGE_MARGIN_MS = 10_000;

/** A chunk of rows: written, or on its last receive noted as dead-lettered on its campaign. */
async function writeRows(message: Extract<ImportQueueMessage, { type: 'rows' }>, record: SQSRecord): Promise<void> {
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
}

export const handler = sqsWorker(ImportQueueMessage, async (message, record, context) => {
  if (message.type === 'rows') return writeRows(message, record);
  const done = await purge(message.campaignId, Date.now() + context.getRemainingTimeInMillis() - PURGE_MARGIN_MS);
  if (!done) await sendToImportQueue(message);
});
