/**
 * The local stack's engines, started together: DynamoDB Local (with the single table), s3rver
 * (with the buckets) and the SQS endpoint. Each is registered for stopping as soon as it is up.
 */
import { join } from 'node:path';
import type { StackContext } from './context';
import { ensureTable, type Engine, type S3Engine, startDynamoLocal, startS3rver } from './engines';
import { SqsEndpoint } from './sqs-endpoint';

export interface LocalEngines {
  readonly dynamo: Engine;
  readonly s3: S3Engine;
  readonly sqs: SqsEndpoint;
}

export async function startEngines(
  context: StackContext,
  options: {
    /** 0 picks a free port; undefined lets DynamoDB Local pick one too. */
    dynamodbPort: number | undefined;
    s3Port: number;
    dataDir: string;
    dynamoInMemory: boolean;
    tableName: string;
    buckets: readonly string[];
  },
): Promise<LocalEngines> {
  const sqs = new SqsEndpoint();
  const registered = <T extends { stop(): Promise<void> }>(engine: T): T => {
    context.onStop(() => engine.stop());
    return engine;
  };
  // allSettled, not all: when one engine fails, the others must be up (and registered for stopping) before we stop them.
  const started = await Promise.allSettled([
    startDynamoLocal({
      port: options.dynamodbPort,
      dataDir: options.dynamoInMemory ? undefined : join(options.dataDir, 'dynamodb'),
    }).then(registered),
    startS3rver({ port: options.s3Port, dataDir: join(options.dataDir, 's3'), buckets: options.buckets }).then(
      registered,
    ),
    sqs.start().then(() => registered(sqs)),
  ]);
  const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const dynamo = (started[0] as PromiseFulfilledResult<Engine>).value;
  const s3 = (started[1] as PromiseFulfilledResult<S3Engine>).value;
  await ensureTable(dynamo.endpoint, options.tableName);
  return { dynamo, s3, sqs };
}
