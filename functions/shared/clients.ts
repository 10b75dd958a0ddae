/**
 * AWS SDK clients, one module-level instance each. On AWS they use the default chain; the local
 * stack sets AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS (and the other endpoints).
 *
 * Each client is marked pure so the bundler drops the ones a function never uses: a function
 * that only reads DynamoDB does not ship the SQS client. The S3 client is not here: it is loaded
 * from a side bundle on first use (s3.ts). Each is traced (X-Ray subsegments per call) where the function keeps the Powertools Tracer
 * (tracing.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from './xray';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

export const dynamo = /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({}));

export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

export const sqs = /* @__PURE__ */ traced(/* @__PURE__ */ new SQSClient({}));

/** EventBridge Scheduler; the local stack points AWS_ENDPOINT_URL_SCHEDULER at its own stand-in. */
export const scheduler = /* @__PURE__ */ traced(/* @__PURE__ */ new SchedulerClient({}));

/** EventBridge (the live events' bus); the local stack points AWS_ENDPOINT_URL_EVENTBRIDGE at its own stand-in. */
export const eventBridge = /* @__PURE__ */ traced(/* @__PURE__ */ new EventBridgeClient({}));
