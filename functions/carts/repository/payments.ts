/** Payment records: the one transaction that decides a payment, and its follow-up steps (keys: ./keys.ts). */
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { putIfAbsent, tableName } from '../../shared/dynamo/table';
import { transactNamed } from '../../shared/dynamo/transactions';
import type { PaymentRecord } from '../model';
import { cartKey, linkKeyOfHash, paymentKey } from './keys';

export async function getPayment(paymentId: string): Promise<PaymentRecord | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: paymentKey(paymentId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...record } = out.Item;
  return record as PaymentRecord;
}

export type SettleOutcome = 'settled' | 'duplicate' | 'cart-changed' | 'link-used' | 'contended';

/**
 * The one step that decides a payment, atomically: the payment record is created (first
 * delivery only), the cart is marked paid provided it is still the exact version whose total was
 * checked, and the link is marked paid provided no other payment used it.
 */
export async function settlePayment(record: PaymentRecord, cartVersion: number): Promise<SettleOutcome> {
  const cancelled = await transactNamed({
    payment: putIfAbsent({ ...paymentKey(record.paymentId), ...record, type: 'cartPayment' }),
    cart: {
      Update: {
        TableName: tableName(),
        Key: cartKey(record.conversationId, record.cartExpiresAt),
        UpdateExpression: 'SET paidAt = :paidAt, paymentId = :paymentId',
        ConditionExpression: 'cartId = :cartId AND version = :version AND attribute_not_exists(paidAt)',
        ExpressionAttributeValues: {
          ':paidAt': record.paidAt,
          ':paymentId': record.paymentId,
          ':cartId': record.cartId,
          ':version': cartVersion,
        },
      },
    },
    link: {
      Update: {
        TableName: tableName(),
        Key: linkKeyOfHash(record.tokenHash),
        UpdateExpression: 'SET #status = :paid, paymentId = :paymentId, paidAt = :paidAt',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':paid': 'PAID',
          ':active': 'ACTIVE',
          ':paymentId': record.paymentId,
          ':paidAt': record.paidAt,
        },
      },
    },
  });
  // Which item was refused tells the outcome.
  if (!cancelled) return 'settled';
  if (cancelled.has('payment')) return 'duplicate';
  if (cancelled.any('TransactionConflict')) return 'contended';
  if (cancelled.has('cart')) return 'cart-changed';
  if (cancelled.has('link')) return 'link-used';
  throw cancelled.error;
}

/** Records one follow-up step of a settled payment (the note, the receipt's fate, completion). */
export async function recordPaymentStep(paymentId: string, values: Partial<PaymentRecord>): Promise<void> {
  const names = Object.keys(values);
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: paymentKey(paymentId),
      UpdateExpression: `SET ${names.map((_n, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n as keyof PaymentRecord]])),
    }),
  );
}

/** Removes the paid cart; idempotent, and it never touches another cart instance of that day. */
export async function removePaidCart(
  record: Pick<PaymentRecord, 'conversationId' | 'cartExpiresAt' | 'paymentId'>,
): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: cartKey(record.conversationId, record.cartExpiresAt),
        ConditionExpression: 'paymentId = :paymentId',
        ExpressionAttributeValues: { ':paymentId': record.paymentId },
      }),
    ),
  ); // already removed
}
