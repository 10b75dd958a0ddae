/**
 * The start of every function's middy chain, written once for all the trigger wrappers (HTTP
 * `http.ts`, schedules `schedule.ts`, SQS `sqs.ts` and `sqs-fifo.ts`, the table stream
 * `stream.ts`, S3 notifications `s3-notification.ts`, WebSocket routes `websocket.ts`), so every
 * function logs, traces and counts the same way (docs/architecture.md, "Handler wrappers"):
 *
 * - logging: the one Powertools logger gets the Lambda context (request id, cold start) and
 *   drops the keys a previous invocation appended (`resetKeys`);
 * - tracing: the handler is an X-Ray subsegment under Lambda's own (xray.ts, `traceHandler`),
 *   annotated with the cold start; the response is not recorded unless asked for, since
 *   answers carry customers' personal data;
 * - metrics: nothing to flush here. functions/shared/metrics.ts writes each business metric as
 *   its own EMF line the moment it is recorded (nothing is buffered, so nothing can be left
 *   unflushed, and a function that throws half-way still reports what it did). The chain imports
 *   no Metrics, so a function that records none does not load it (cold start, README "Measured").
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { traceHandler } from './xray';

/** A middy chain with the logging and tracing every function has; add the trigger's own steps and the handler. */
export function handlerChain<TEvent, TResult>(options: { captureResponse?: boolean } = {}) {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(traceHandler(options));
}
