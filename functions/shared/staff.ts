/**
 * A store's staff: every store user's authenticated request records them as staff of their store
 * (docs/data-model.md, "Staff"), so an assignment can name only someone who works there.
 *
 *   STAFF#<storeId> / USER#<userId>     userId, role (associate|manager), lastSeenAt, lastSeenDay
 *
 * At most one write per user a day: the update holds only when the stored day is older, and each
 * container remembers whom it recorded today, so a user's later requests cost nothing.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './clients';
import { queryPage } from './dynamo/batches';
import { writeIfUnchanged } from './dynamo/conditions';
import { logger } from './logger';
import type { Page } from './pagination';
import type { Principal } from './principal';
import { tableName } from './dynamo/table';

export interface StaffMember {
  userId: string;
  role: 'associate' | 'manager';
  lastSeenAt: string;
}

export const STAFF_PREFIX = 'STAFF#';
const staffPk = (storeId: string) => `${STAFF_PREFIX}${storeId}`;
const staffKey = (storeId: string, userId: string) => ({ pk: staffPk(storeId), sk: `USER#${userId}` });

/** Who this container recorded on which day (UTC): `<store>#<user>` → `YYYY-MM-DD`. */
const recordedToday = new Map<string, string>();

/** Records a store user as staff of their store, once a day; never fails the request it rides on. */
export async function recordStaff(principal: Principal, now: Date): Promise<void> {
  const storeId = principal.storeId;
  const role = principal.roles.includes('manager')
    ? 'manager'
    : principal.roles.includes('associate')
      ? 'associate'
      : undefined;
  if (!storeId || !role) return;
  const day = now.toISOString().slice(0, 10);
  const memo = `${storeId}#${principal.userId}`;
  if (recordedToday.get(memo) === day) return;
  try {
    await writeIfUnchanged(() =>
      documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: staffKey(storeId, principal.userId),
          UpdateExpression: 'SET userId = :user, #role = :role, lastSeenAt = :at, lastSeenDay = :day, #type = :type',
          ConditionExpression: 'attribute_not_exists(lastSeenDay) OR lastSeenDay < :day',
          ExpressionAttributeNames: { '#role': 'role', '#type': 'type' },
          ExpressionAttributeValues: {
            ':user': principal.userId,
            ':role': role,
            ':at': now.toISOString(),
            ':day': day,
            ':type': 'staff',
          },
        }),
      ),
    ); // false: recorded today already, by another container
    recordedToday.set(memo, day);
  } catch (error) {
    logger.warn('staff not recorded', { error: error as Error, storeId });
  }
}

export async function isStaff(storeId: string, userId: string): Promise<boolean> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: staffKey(storeId, userId), ProjectionExpression: 'pk' }),
  );
  return out.Item !== undefined;
}

export async function listStaff(storeId: string, limit: number, cursor?: string): Promise<Page<StaffMember>> {
  const pk = staffPk(storeId);
  const page = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': 'USER#' },
    },
    { limit, cursor, partition: { pk }, prefixes: { sk: 'USER#' } },
  );
  return {
    items: page.items.map((item) => ({
      userId: item.userId as string,
      role: item.role as StaffMember['role'],
      lastSeenAt: item.lastSeenAt as string,
    })),
    nextCursor: page.nextCursor,
  };
}
