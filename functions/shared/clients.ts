/**
 * AWS SDK clients, one module-level instance each. On AWS they use the default chain; the local
 * stack sets AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SQS, and s3rver
 * needs path-style addressing and no aws-chunked checksums (the engine quirks in
 * docs/architecture.md, "The local stack").
 *
 * Each client is marked pure so the bundler drops the ones a function never uses: a function
 * that only reads DynamoDB does not ship the S3 and SQS clients. Each is traced (X-Ray
 * subsegments per call) through the one Powertools Tracer.
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

export const s3 = /* @__PURE__ */ traced(
  /* @__PURE__ */ new S3Client(
    localS3
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {},
  ),
);

export const sqs = /* @__PURE__ */ traced(/* @__PURE__ */ new SQSClient({}));

/** EventBridge Scheduler; the local stack points AWS_ENDPOINT_URL_SCHEDULER at its own stand-in. */
export const scheduler = /* @__PURE__ */ traced(/* @__PURE__ */ new SchedulerClient({}));

/** EventBridge (the live events' bus); the local stack points AWS_ENDPOINT_URL_EVENTBRIDGE at its own stand-in. */
export const eventBridge = /* @__PURE__ */ traced(/* @__PURE__ */ new EventBridgeClient({}));
