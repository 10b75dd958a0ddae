/** S3 object-created events (presigned uploads under campaigns/, the drop prefix incoming/) into the import. */
import type { Context, S3Event } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { systemClock } from '../shared/clock';
import { logger } from '../shared/logger';
import { tracer } from '../shared/tracing';
import { importObject, type ImportOutcome } from './importer';
import { decodeS3Key } from './rules';

const ObjectCreatedEvent = z.object({
  Records: z.array(
    z.object({
      s3: z.object({
        bucket: z.object({ name: z.string().min(1) }),
        object: z.object({
          key: z.string().min(1),
          eTag: z.string().optional(),
          versionId: z.string().optional(),
          sequencer: z.string().optional(),
        }),
      }),
    }),
  ),
});

export const handler = middy<S3Event, ImportOutcome[], Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(captureLambdaHandler(tracer, { captureResponse: false }))
  .handler(async (event) => {
    const { Records } = ObjectCreatedEvent.parse(event);
    const outcomes: ImportOutcome[] = [];
    for (const { s3 } of Records) {
      const object = {
        bucket: s3.bucket.name,
        key: decodeS3Key(s3.object.key),
        ...(s3.object.eTag ? { eTag: s3.object.eTag } : {}),
        ...(s3.object.versionId ? { versionId: s3.object.versionId } : {}),
        ...(s3.object.sequencer ? { sequencer: s3.object.sequencer } : {}),
      };
      const outcome = await importObject(object, systemClock());
      logger.info('campaign import', { key: object.key, ...outcome });
      outcomes.push(outcome);
    }
    return outcomes;
  });
