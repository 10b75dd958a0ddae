/**
 * AWS SDK clients, one instance each per container. On AWS they use the default chain; the local
 * stack sets AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS (and the other endpoints).
 *
 * Each client is marked pure so the bundler drops the ones a function never uses: a function
 * that only reads DynamoDB does not ship the SQS client. Each is traced (X-Ray subsegments per
 * call, xray.ts `traced`). The S3 client is not here: it is loaded from a side bundle on first
 * use (s3.ts).
 *
 * DynamoDB serves every request, so its client is built at cold start. The SQS, Scheduler and
 * EventBridge clients are built on their first call (`sqs()`): building one resolves its whole
 * configuration (~2.5 ms at cold start, README "Measured"), and most requests of the functions
 * that hold one never send (an API's reads, a worker's records that need no follow-up).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { builtOnFirstCall } from './first-use';
import { traced } from './xray';

export const dynamo = /* @__PURE__ */ traced(/* @__PURE__ */ new DynamoDBClient({}));

export const documentClient = /* @__PURE__ */ DynamoDBDocumentClient.from(dynamo, {
  marshallOptions: { removeUndefinedValues: true },
});

export const sqs = /* @__PURE__ */ builtOnFirstCall(() => traced(new SQSClient({})));

/** EventBridge Scheduler; the local stack points AWS_ENDPOINT_URL_SCHEDULER at its own stand-in. */
export const scheduler = /* @__PURE__ */ builtOnFirstCall(() => traced(new SchedulerClient({})));

/** EventBridge (the live events' bus); the local stack points AWS_ENDPOINT_URL_EVENTBRIDGE at its own stand-in. */
export const eventBridge = /* @__PURE__ */ builtOnFirstCall(() => traced(new EventBridgeClient({})));
