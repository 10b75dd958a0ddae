/**
 * The one Powertools Tracer (X-Ray): handler segments come from the chain every trigger wrapper
 * starts with (handler-chain.ts, `captureLambdaHandler`), AWS SDK calls become subsegments
 * through `traced`. Off the Lambda runtime (the local stack, tests) Powertools turns it into a
 * no-op by itself.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'clienteling' });

/** An SDK client whose calls show up as X-Ray subsegments (service, operation, latency, errors). */
export const traced = <T>(client: T): T => tracer.captureAWSv3Client(client);
