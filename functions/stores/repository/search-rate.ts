/**
 * The per-user search limit's counter: one item per user and UTC minute, counted up by a
 * conditional UpdateItem that refuses once the minute's allowance is spent, so concurrent
 * searches (several devices of one user, several containers) share one count. The key names the
 * minute, so a new minute starts at zero whether or not DynamoDB's TTL has removed the old item.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { searchRateKey } from './keys';
import { tableName, TTL_ATTRIBUTE } from '../../shared/dynamo/table';

/** How long a spent counter is kept after its minute, for someone reading the table. */
const KEEP_SECONDS = 60;

/** Counts one search of `userId` in `minute`; false, counting nothing, when `allowance` were already made. */
export async function countSearch(
  userId: string,
  window: { minute: string; endsAt: number },
  allowance: number,
): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: searchRateKey(userId, window.minute),
        UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl), #type = :type',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :allowance',
        ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE, '#type': 'type' },
        ExpressionAttributeValues: {
          ':one': 1,
          ':allowance': allowance,
          ':ttl': window.endsAt + KEEP_SECONDS,
          ':type': 'searchRate',
        },
      }),
    ),
  );
}
