/**
 * Reading DynamoDB's refusals, and the one optimistic-retry policy. A failed condition is a
 * decision (the state is not what the write assumed); a transaction conflict is contention (two
 * writers touched one item at once) and is always worth another try after a backoff.
 */
import { ConditionalCheckFailedException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients';
import { backoff } from '../concurrency';
import { cancelReasons } from './transactions';

/** A plain write's condition failed, or a transaction was cancelled because one of its conditions failed. */
export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (cancelReasons(error)?.includes('ConditionalCheckFailed') ?? false);

/** Another transaction (or a plain write) held one of the items: nothing was decided, try again. */
export const isTransactionConflict = (error: unknown): boolean =>
  error instanceof TransactionConflictException || (cancelReasons(error)?.includes('TransactionConflict') ?? false);

/** How many times a write that lost a race is tried before the error reaches the caller. */
export const CONTENTION_ATTEMPTS = 12;

/**
 * Runs `attempt` until it returns a value, retrying (jittered exponential backoff, 20 ms up to
 * 1 s) while it throws a transaction conflict or answers `retry`. Use for writes computed from a
 * fresh read: each attempt reads again. Anything else thrown goes straight to the caller.
 */
export async function withContentionRetry<T>(
  attempt: (n: number) => Promise<T | typeof RETRY>,
  attempts = CONTENTION_ATTEMPTS,
): Promise<T> {
  let lastError: unknown = new Error('gave up after repeated contention');
  for (let n = 0; n < attempts; n++) {
    if (n > 0) await backoff(n, 20, 1_000);
    try {
      const result = await attempt(n);
      if (result !== RETRY) return result;
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** Returned by an attempt whose condition failed because the state moved on: read again and retry. */
export const RETRY: unique symbol = Symbol('retry');

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Writes the items (undefined ones left out) in one transaction. Answers false when one of their
 * conditions failed (the state moved on: the caller decides); anything else, contention included,
 * is thrown (withContentionRetry retries contention).
 */
export async function transactIfUnchanged(items: ReadonlyArray<TransactItems[number] | undefined>): Promise<boolean> {
  try {
    await documentClient.send(
      new TransactWriteCommand({ TransactItems: items.filter((i): i is TransactItems[number] => i !== undefined) }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * Runs one conditional PutItem, UpdateItem or DeleteItem (`() => documentClient.send(...)`).
 * Answers false when its condition failed (the state moved on: the caller decides); anything
 * else is thrown.
 */
export async function writeIfUnchanged(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}
