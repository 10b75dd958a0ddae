/**
 * The erasure queue's consumer: each message is one customer's erasure (./erasure.ts
 * eraseCustomer), at the time it was requested. The queue is FIFO, a group per customer, so two
 * erasures of one customer never run at once; a failed erasure holds back only its own group
 * (functions/shared/sqs-fifo.ts). Every step of an erasure can run again, so a retry finishes
 * what the failed try left.
 */
import type { SQSRecord } from 'aws-lambda';
import { logger } from '../shared/logger';
import { sqsFifoWorker } from '../shared/sqs-fifo';
import { ERASURE_QUEUE_MAX_RECEIVES, EraseJob } from './erasure-queue';
import { eraseCustomer } from './erasure';

/** Carries out one erasure job. */
async function applyErasure(record: SQSRecord): Promise<void> {
  const { customerId, requestedAt } = EraseJob.parse(JSON.parse(record.body)).erase;
  const outcome = await eraseCustomer(customerId, new Date(requestedAt));
  logger.info('erasure applied', { customerId, outcome });
}

export const handler = sqsFifoWorker({ name: 'erasure', maxReceives: ERASURE_QUEUE_MAX_RECEIVES }, applyErasure);
