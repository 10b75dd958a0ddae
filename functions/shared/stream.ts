/**
 * The wrapper of the table stream's consumer: the batch's records go to the handler together, so
 * a throw fails the whole batch, which Lambda retries (split in halves) and at last hands to the
 * StreamFailures queue (lib/constructs/capability.ts; docs/architecture.md, "Shape"); the
 * handler's writes are made safe to repeat. Logging and tracing are the shared chain's
 * (handler-chain.ts).
 *
 *   export const handler = streamConsumer(async (records) => { ... });
 */
import type { Context, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { handlerChain } from './handler-chain';

/** The handler of a DynamoDB stream: `handleBatch` gets the batch's records, in stream order. */
export function streamConsumer(handleBatch: (records: DynamoDBRecord[], context: Context) => Promise<void>) {
  return handlerChain<DynamoDBStreamEvent, void>().handler((event, context) => handleBatch(event.Records, context));
}
