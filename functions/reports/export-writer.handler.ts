/** S3 object-created events of export requests (exports/requests/) into the CSV writer. */
import type { Context, S3Event } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { decodeS3Key } from '../campaigns/rules';
import { logger } from '../shared/logger';
import { exportOfRequestKey, writeExport } from './export-campaign';

const ObjectCreatedEvent = z.object({
  Records: z.array(z.object({ s3: z.object({ object: z.object({ key: z.string().min(1) }) }) })),
});

export const handler = middy<S3Event, void, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    for (const { s3 } of ObjectCreatedEvent.parse(event).Records) {
      const key = decodeS3Key(s3.object.key);
      const request = exportOfRequestKey(key);
      if (!request) {
        logger.warn('not an export request; ignored', { key });
        continue;
      }
      logger.info('campaign export', { ...request, status: await writeExport(request.campaignId, request.exportId) });
    }
  });
