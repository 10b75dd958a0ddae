/** Reading why DynamoDB cancelled a TransactWriteItems: the code of each item, by position. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The cancellation code of each transaction item (`None` where that item was fine); undefined for other errors. */
export const cancelReasons = (error: unknown): string[] | undefined =>
  error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : undefined;

/** True when the transaction was cancelled with `code` on item `index`, or on any item without an index. */
export function cancelledBy(error: unknown, code: string, index?: number): boolean {
  const reasons = cancelReasons(error);
  if (!reasons) return false;
  return index === undefined ? reasons.includes(code) : reasons[index] === code;
}
