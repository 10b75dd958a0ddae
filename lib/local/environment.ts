/**
 * The functions' environment in the local stack: the bindings their `uses` may grant (table,
 * buckets, queue URLs, public base URL, schedules, live events) and what every function has
 * (region, credentials and endpoints of the local engines, the outbox). All functions share this
 * process, so it is set in `process.env`; the local runtime shows each function only the bindings
 * its manifest entry grants (lib/local/lambda-runtime.ts), as AWS sets only those.
 */
import { ENV } from '../../functions/shared/env-names';
import { loadConfig } from '../../functions/shared/config';
import { LOCAL_PAYMENT_SECRET, LOCAL_TWILIO_AUTH_TOKEN } from '../../functions/shared/secrets';
import { QUEUES, type QueueName } from '../queues';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './engines';

export interface EnvironmentInputs {
  readonly tableName: string;
  readonly buckets: { readonly uploads: string; readonly images: string };
  /** The URL of each declared queue (lib/queues.ts), set under the binding that grants sending to it. */
  readonly queueUrls: Readonly<Record<QueueName, string>>;
  readonly publicBaseUrl: string;
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly sqs: string };
  /** The local carrier's URL, when real Twilio credentials are not set. */
  readonly carrierUrl: string | undefined;
  readonly outboxFile: string;
  /** What the other stand-ins (live events, the scheduler) add. */
  readonly extra: Record<string, string>;
}

/** Sets the functions' environment; answers the public base URL as functions read it (no trailing slash). */
export function setFunctionEnvironment(inputs: EnvironmentInputs): string {
  Object.assign(process.env, {
    [ENV.table]: inputs.tableName,
    [ENV.uploads]: inputs.buckets.uploads,
    [ENV.images]: inputs.buckets.images,
    ...Object.fromEntries(QUEUES.map((queue) => [ENV[queue.sendBinding], inputs.queueUrls[queue.name]])),
    ...(inputs.carrierUrl ? { TWILIO_API_URL: inputs.carrierUrl } : {}),
    [ENV.publicBaseUrl]: inputs.publicBaseUrl,
    ...inputs.extra,
    AWS_ENDPOINT_URL_DYNAMODB: inputs.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: inputs.endpoints.s3,
    AWS_ENDPOINT_URL_SQS: inputs.endpoints.sqs,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    OUTBOX_FILE: inputs.outboxFile,
    LOCAL_STACK: 'true',
  });
  // Read back the way functions read it, so the stack and they agree on one form (no trailing slash).
  const { publicBaseUrl } = loadConfig('publicBaseUrl');
  process.env[ENV.publicBaseUrl] = publicBaseUrl;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.TWILIO_AUTH_TOKEN ??= LOCAL_TWILIO_AUTH_TOKEN;
  process.env.PAYMENT_WEBHOOK_SECRET ??= LOCAL_PAYMENT_SECRET;
  // The sender's pace per number: unlimited locally unless LOCAL_SENDER_RATE (messages/s) asks
  // for one; retries start after 1 s instead of 5, so the carrier's flaky test numbers settle quickly.
  process.env.SENDER_RATE_PER_NUMBER = process.env.LOCAL_SENDER_RATE ?? 'unlimited';
  process.env.SENDER_RETRY_BASE_SECONDS ??= '1';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  // One text line an entry (time level function message key=value…); LOG_FORMAT=json gives AWS's JSON.
  process.env.LOG_FORMAT ??= 'text';
  // EMF metric lines are for CloudWatch; locally they would drown the log (POWERTOOLS_METRICS_DISABLED=false shows them).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_SERVICE_NAME ??= 'clienteling-local';
  return publicBaseUrl;
}
