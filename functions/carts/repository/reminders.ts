/**
 * Cart reminders: one item per cart instance, holding its latest share's reminder, in a due
 * index the task-reminders run reads (keys: ./keys.ts). A re-share overwrites the item; a share
 * without a reminder deletes it; a sent or skipped reminder is deleted only if no newer share
 * replaced it meanwhile.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, type Item } from '../../shared/dynamo/batches';
import { isConditionFailure } from '../../shared/dynamo/conditions';
import { type DueWork, workDue } from '../../shared/dynamo/due-sweep';
import { expiry, tableName } from '../../shared/dynamo/table';
import type { CartReminder } from '../model';
import { dueBound, EXPIRY_SHARDS, reminderDueKeys, reminderDueShardPk, reminderKey } from './keys';

const REMINDER_FIELDS = [
  'conversationId',
  'expiresAt',
  'cartId',
  'storeId',
  'tokenHash',
  'sharedBy',
  'remindAt',
  'channel',
] as const;

const toReminder = (item: Item): CartReminder =>
  Object.fromEntries(REMINDER_FIELDS.map((f) => [f, item[f]])) as unknown as CartReminder;

/** Writes (or replaces: a re-share) the cart's reminder; DynamoDB may drop it an hour after the cart's midnight. */
export async function putReminder(reminder: CartReminder): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...reminderKey(reminder.conversationId, reminder.expiresAt),
        ...reminder,
        type: 'cartReminder',
        ...reminderDueKeys(reminder.conversationId, reminder.remindAt),
        ...expiry(reminder.expiresAt, 3600),
      },
    }),
  );
}

/** Deletes the cart's reminder, whichever share it was for (a share without a reminder cancels the one before). */
export async function cancelReminder(conversationId: string, expiresAt: string): Promise<void> {
  await documentClient.send(new DeleteCommand({ TableName: tableName(), Key: reminderKey(conversationId, expiresAt) }));
}

/** Deletes this reminder once it was sent or skipped, unless a newer share has replaced it. */
export async function dropReminder(reminder: CartReminder): Promise<void> {
  try {
    await documentClient.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: reminderKey(reminder.conversationId, reminder.expiresAt),
        ConditionExpression: 'tokenHash = :hash',
        ExpressionAttributeValues: { ':hash': reminder.tokenHash },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * Works every reminder due by `now`: each shard of the due index read oldest first, page after
 * page, and each page's reminders read in one consistent batch (the index holds keys only), until
 * the run's deadline (functions/shared/dynamo/due-sweep.ts).
 */
export function workDueReminders(
  now: Date,
  work: DueWork,
  handle: (reminders: CartReminder[]) => Promise<void>,
): Promise<{ leftover: number }> {
  return workDue(
    {
      index: 'gsi3',
      shards: EXPIRY_SHARDS,
      shardKey: reminderDueShardPk,
      sortKeyCondition: 'gsi3sk <= :bound',
      values: { ':bound': dueBound(now) },
      projection: 'pk, sk',
    },
    work,
    async (entries) => {
      if (entries.length === 0) return;
      const keys = entries.map((entry) => ({ pk: entry.pk, sk: entry.sk }));
      const items = await batchGetAll(tableName(), keys, { consistentRead: true });
      await handle(items.map(toReminder));
    },
  );
}
