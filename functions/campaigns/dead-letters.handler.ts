/** Chunks that exhausted their retries: the campaign turns FAILED with a reason instead of staying PROCESSING. */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent } from 'aws-lambda';
import { systemClock } from '../shared/clock';
import { logger } from '../shared/logger';
import { ImportQueueMessage } from './rules';
import { failForDeadChunk } from './writer';

export const handler = middy<SQSEvent, void, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    for (const record of event.Records) {
      const parsed = ImportQueueMessage.safeParse(JSON.parse(record.body));
      if (!parsed.success) {
        logger.error('unreadable message in the import dead-letter queue', { messageId: record.messageId });
        continue;
      }
      const message = parsed.data;
      if (message.type === 'purge') {
        logger.error('purge of a deleted campaign gave up; its entries remain', { campaignId: message.campaignId });
        continue;
      }
      const attempts = Number(record.attributes.ApproximateReceiveCount) || undefined;
      const failed = await failForDeadChunk(message, attempts, systemClock());
      logger.error('campaign chunk dead-lettered', { campaignId: message.campaignId, chunk: message.chunk, campaignFailed: failed });
    }
  });
