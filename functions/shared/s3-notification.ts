/**
 * The wrapper of the functions S3 notifies of created objects: the event is checked with zod, each
 * record's key is decoded (S3 encodes it like a form value) and the objects are handed to the
 * handler one after the other, in the event's order; the answer is their outcomes. A throw fails
 * the invocation, which Lambda retries as an asynchronous one (twice, then the async failures
 * queue: lib/constructs/capability.ts). Logging and tracing are the shared
 * chain's (handler-chain.ts).
 *
 *   export const handler = s3Notification(async (object) => importObject(object, systemClock()));
 */
import type { S3Event } from 'aws-lambda';
import * as z from 'zod/mini';
import { droppable } from './droppable';
import { handlerChain } from './handler-chain';

/** One created object, as its notification names it. */
export interface CreatedObject {
  readonly bucket: string;
  /** The key as stored (decoded). */
  readonly key: string;
  readonly eTag?: string;
  readonly versionId?: string;
  readonly sequencer?: string;
}

const ObjectCreatedEvent = /* @__PURE__ */ droppable(() =>
  z.object({
    Records: z.array(
      z.object({
        s3: z.object({
          bucket: z.object({ name: z.string().check(z.minLength(1)) }),
          object: z.object({
            key: z.string().check(z.minLength(1)),
            eTag: z.optional(z.string()),
            versionId: z.optional(z.string()),
            sequencer: z.optional(z.string()),
          }),
        }),
      }),
    ),
  }),
);

/** S3 event keys are URL-encoded with `+` for spaces. */
export const decodeS3Key = (key: string): string => decodeURIComponent(key.replace(/\+/g, ' '));

/** The handler of S3 object-created notifications: each object to `handleObject`, in order. */
export function s3Notification<TOutcome>(handleObject: (object: CreatedObject) => Promise<TOutcome>) {
  return handlerChain<S3Event, TOutcome[]>().handler(async (event) => {
    const outcomes: TOutcome[] = [];
    for (const { s3 } of ObjectCreatedEvent.parse(event).Records) {
      const object: CreatedObject = {
        bucket: s3.bucket.name,
        key: decodeS3Key(s3.object.key),
        ...(s3.object.eTag ? { eTag: s3.object.eTag } : {}),
        ...(s3.object.versionId ? { versionId: s3.object.versionId } : {}),
        ...(s3.object.sequencer ? { sequencer: s3.object.sequencer } : {}),
      };
      outcomes.push(await handleObject(object));
    }
    return outcomes;
  });
}
