/**
 * AWS SDK clients, one module-level instance each. On AWS they use the default chain; the local
 * stack sets AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SQS, and s3rver
 * needs path-style addressing and no aws-chunked checksums (the engine quirks in
 * docs/architecture.md, "The local stack").
 *
 * Each client is marked pure so the bundler drops the ones a function never uses: a function
 * that only reads DynamoDB does not ship the S3 and SQS clients; the S3 client is built on first
 * use. Each is traced (X-Ray subsegments per call) where the function keeps the Powertools Tracer
 * (tracing.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from './tracing';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

const localS3 = Boolean(process.env.AWS_ENDPOINT_URL_S3);

export const dynamo = /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({}));

export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

/**
 * A client made on first use: a stand-in that builds the real one when code first reads any of
 * its properties (`send`, `config`, the presigner's `middlewareStack`) and forwards to it from
 * then on. For the S3 client, whose construction (checksum, endpoint and signing configuration)
 * is the costliest at load, and which many requests of the functions that hold it never touch
 * (README, "Measured").
 */
function madeOnFirstUse<T extends object>(make: () => T): T {
  let client: T | undefined;
  const real = (): T => (client ??= make());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

export const s3 = /* @__PURE__ */ madeOnFirstUse(() =>
  traced(
    new S3Client(
      localS3
        ? {
            forcePathStyle: true,
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }
        : {},
    ),
  ),
);

export const sqs = /* @__PURE__ */ traced(/* @__PURE__ */ new SQSClient({}));

/** EventBridge Scheduler; the local stack points AWS_ENDPOINT_URL_SCHEDULER at its own stand-in. */
export const scheduler = /* @__PURE__ */ traced(/* @__PURE__ */ new SchedulerClient({}));

/** EventBridge (the live events' bus); the local stack points AWS_ENDPOINT_URL_EVENTBRIDGE at its own stand-in. */
export const eventBridge = /* @__PURE__ */ traced(/* @__PURE__ */ new EventBridgeClient({}));
