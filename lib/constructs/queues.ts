/**
 * The SQS queues, built from their declarations (lib/queues.ts): each queue and its dead-letter
 * queue, encrypted and TLS-only. Their consumers are wired by the capability that owns the
 * consuming function (lib/constructs/capability.ts), from the manifest's `sqs` block.
 */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUES, type QueueName } from '../queues';

export interface BuiltQueue {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
}

/** Every declared queue, under `scope`, keyed by its manifest name. */
export function buildQueues(scope: Construct): Readonly<Record<QueueName, BuiltQueue>> {
  const built = {} as Record<QueueName, BuiltQueue>;
  for (const spec of QUEUES) {
    const deadLetters = new sqs.Queue(scope, spec.deadLetters.id, {
      ...(spec.fifo ? { fifo: true } : {}),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(spec.deadLetters.retentionDays),
    });
    const queue = new sqs.Queue(scope, spec.id, {
      ...(spec.fifo
        ? {
            fifo: true,
            deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(spec.retentionDays),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: spec.deadLetters.maxReceives },
    });
    built[spec.name] = { queue, deadLetters };
  }
  return built;
}
