/**
 * The wrapper of a FIFO queue's consumer (the inbound queue: a message group per conversation).
 * A failed message must hold back the ones after it in its group, and only those: like
 * Powertools' FIFO processor with `skipGroupOnError`, the rest of the failing message's group is
 * failed (SQS redelivers them after it, in order) and the batch's other groups are applied, so one
 * bad message never delays other groups. Unlike it, a message on its last receive holds nothing
 * back (processByGroup below). Logging and tracing are the shared chain's (handler-chain.ts).
 *
 *   export const handler = sqsFifoWorker({ name: 'inbound', maxReceives: 5 }, handleRecord);
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { handlerChain } from './handler-chain';
import { logger } from './logger';

export interface FifoWorkerOptions {
  /** Names the queue in the failure log: `<name> record failed`. */
  readonly name: string;
  /** The queue's max receives (lib/queues.ts): the receive after which SQS dead-letters a message. */
  readonly maxReceives: number;
}

/**
 * The batch, group by group in the order SQS gave it: a failed record fails the rest of its group
 * (SQS then redelivers them after it, in order) and the other groups go on. On its last try a
 * failed record goes to the dead-letter queue whatever happens, so the records behind it are
 * applied now, as they would be once it is gone; otherwise each of them would also use up a
 * receive per retry and be dead-lettered beside it.
 */
async function processByGroup(
  records: readonly SQSRecord[],
  handleRecord: (record: SQSRecord) => Promise<void>,
  options: FifoWorkerOptions,
): Promise<SQSBatchResponse> {
  const groups = new Map<string, SQSRecord[]>();
  for (const record of records) {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    const members = groups.get(group);
    if (members) members.push(record);
    else groups.set(group, [record]);
  }
  const failed: string[] = [];
  for (const [group, members] of groups) {
    let held = false;
    for (const record of members) {
      if (held) {
        failed.push(record.messageId);
        continue;
      }
      try {
        await handleRecord(record);
      } catch (error) {
        const lastTry = Number(record.attributes.ApproximateReceiveCount) >= options.maxReceives;
        logger.error(`${options.name} record failed`, { messageId: record.messageId, group, lastTry, error });
        failed.push(record.messageId);
        held = !lastTry;
      }
    }
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
}

/** The handler of a FIFO queue: its records handed to `handleRecord` one at a time, group by group. */
export function sqsFifoWorker(options: FifoWorkerOptions, handleRecord: (record: SQSRecord) => Promise<void>) {
  return handlerChain<SQSEvent, SQSBatchResponse>().handler((event) =>
    processByGroup(event.Records, handleRecord, options),
  );
}
