/**
 * One local SQS endpoint per test worker (lib/local/sqs-endpoint.ts), started before any handler
 * is imported: the SDK's SQS client is pointed at it once, and every test queue (the inbound FIFO
 * queue, the sender queues) registers on it.
 */
import { afterAll } from 'vitest';
import { SqsEndpoint } from '../../lib/local/sqs-endpoint';

let started: Promise<SqsEndpoint> | undefined;

export function testSqsEndpoint(): Promise<SqsEndpoint> {
  started ??= (async () => {
    const endpoint = new SqsEndpoint();
    await endpoint.start();
    process.env.AWS_ENDPOINT_URL_SQS = endpoint.endpoint;
    afterAll(() => endpoint.stop());
    return endpoint;
  })();
  return started;
}
