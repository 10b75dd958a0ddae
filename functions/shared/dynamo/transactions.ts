/**
 * TransactWriteItems with named items (docs/data-model.md, "The DynamoDB toolkit"): a transaction
 * is written as `{ message: …, conversation: …, sid: … }` (an undefined item is left out), and why
 * DynamoDB cancelled it is read by those names, never by an item's position in the request (which
 * moves whenever an optional item is left out).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients';
import type { TransactItem } from './table';

/** The cancellation code of each transaction item (`None` where that item was fine); undefined for other errors. */
export const cancelReasons = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined;

/** A transaction's items by name, in the order they are sent; an undefined item is not sent. */
export type NamedItems<N extends string> = { readonly [K in N]?: TransactItem | undefined };

/** Why a named transaction was cancelled: the code of each item, by its name. */
export interface Cancellation<N extends string> {
  /** The TransactionCanceledException itself, for a caller to rethrow what it does not handle. */
  readonly error: unknown;
  /** The item's cancellation code (`None` when it was fine); undefined for an item that was not sent. */
  reasonOf(name: N): string | undefined;
  /** The item was sent and cancelled with `code` (default: its condition failed). */
  has(name: N, code?: string): boolean;
  /** Some item was cancelled with `code`. */
  any(code: string): boolean;
}

/** The names of the items that are sent, in their order. */
const sentNames = <N extends string>(items: NamedItems<N>): N[] =>
  (Object.keys(items) as N[]).filter((name) => items[name] !== undefined);

/** The TransactItems of named items: the defined ones, in their order. */
export const transactItems = <N extends string>(items: NamedItems<N>): TransactItem[] =>
  sentNames(items).map((name) => items[name]!);

/** Reads `error` as the cancellation of the named transaction `items`; undefined when it is no cancellation. */
export function cancellationOf<N extends string>(error: unknown, items: NamedItems<N>): Cancellation<N> | undefined {
  const reasons = cancelReasons(error);
  if (!reasons) return undefined;
  const names = sentNames(items);
  const reasonOf = (name: N) => {
    const at = names.indexOf(name);
    return at < 0 ? undefined : (reasons[at] ?? 'None');
  };
  return {
    error,
    reasonOf,
    has: (name, code = 'ConditionalCheckFailed') => reasonOf(name) === code,
    any: (code) => reasons.includes(code),
  };
}

/**
 * Writes the named items in one TransactWriteItems. Answers undefined when it went through, and
 * the cancellation (read by name) when DynamoDB cancelled it; any other error is thrown.
 */
export async function transactNamed<N extends string>(items: NamedItems<N>): Promise<Cancellation<N> | undefined> {
  try {
    await documentClient.send(new TransactWriteCommand({ TransactItems: transactItems(items) }));
    return undefined;
  } catch (error) {
    const cancelled = cancellationOf(error, items);
    if (!cancelled) throw error;
    return cancelled;
  }
}
