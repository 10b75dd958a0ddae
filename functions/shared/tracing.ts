/**
 * Tracing (docs/architecture.md, "Handler wrappers"). Every function has Lambda's active tracing
 * (its invocation segment: init, invocation, overhead). The functions whose manifest entry
 * declares `heavy: ['xray-sdk']` (the webhooks and the workers of the message path, where SDK
 * latency is worth seeing) add the Powertools Tracer: a handler subsegment from the chain every
 * trigger wrapper starts with (handler-chain.ts) and AWS SDK calls as subsegments (`traced`).
 *
 * The Tracer and the X-Ray SDK under it cost ~20 ms of CPU at every cold start, so they are
 * imported only when the bundle keeps them: lib/constructs/bundling.ts sets
 * `process.env.CLIENTELING_XRAY_SDK` at build time ('on' or 'off'), and esbuild drops the dead
 * branch with its imports. Unbundled (the local stack, tests) the variable is unset and the Tracer
 * is loaded; off the Lambda runtime Powertools turns it into a no-op by itself.
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

const sdkTracing = process.env.CLIENTELING_XRAY_SDK !== 'off';

/** The Powertools Tracer, or undefined where the function has Lambda's active tracing only. */
export const tracer: Tracer | undefined = sdkTracing
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'clienteling',
    })
  : undefined;

/** The Tracer's middy step (the handler subsegment), or undefined with the Tracer. */
export const captureHandler: typeof captureLambdaHandler | undefined = sdkTracing
  ? (await import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler
  : undefined;

/** An SDK client whose calls show up as X-Ray subsegments (service, operation, latency, errors) where the Tracer is on. */
export const traced = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
