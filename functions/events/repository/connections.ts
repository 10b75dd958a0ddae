/** WebSocket connections in the single table: who is connected, for which audience. Keys: ./keys.ts. */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPages } from '../../shared/dynamo/batches';
import { epochSeconds, expiry, tableName, TTL_ATTRIBUTE } from '../../shared/dynamo/table';
import type { Principal } from '../../shared/principal';
import type { Audience } from '../model';
import { audiencePk, connectionKey, memberKey, memberKeyIn } from './keys';

/** API Gateway closes a WebSocket after 2 hours; 10 minutes more covers clock skew. */
const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

/** Stores the connection and its audience memberships in one transaction. */
export async function saveConnection(
  connectionId: string,
  principal: Principal,
  audiences: readonly Audience[],
  now: Date,
): Promise<void> {
  const common = {
    connectionId,
    userId: principal.userId,
    storeId: principal.storeId ?? null,
    connectedAt: now.toISOString(),
    ...expiry(now, CONNECTION_TTL_SECONDS),
  };
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: {
              ...connectionKey(connectionId),
              ...common,
              roles: [...principal.roles],
              audiences: audiences.map(audiencePk),
              type: 'wsConnection',
            },
          },
        },
        ...audiences.map((audience) => ({
          Put: {
            TableName: tableName(),
            Item: { ...memberKey(audience, connectionId), ...common, type: 'wsAudienceMember' },
          },
        })),
      ],
    }),
  );
}

/** Removes the connection and its memberships; a connection already gone is no error. */
export async function deleteConnection(connectionId: string): Promise<void> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: connectionKey(connectionId), ConsistentRead: true }),
  );
  const audiencePks = Array.isArray(out.Item?.audiences) ? (out.Item.audiences as string[]) : [];
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: tableName(), Key: connectionKey(connectionId) } },
        ...audiencePks.map((pk) => ({ Delete: { TableName: tableName(), Key: memberKeyIn(pk, connectionId) } })),
      ],
    }),
  );
}

/** The ids of the audience's live connections (expired ones that TTL has not deleted yet are skipped). */
export async function connectionsOf(audience: Audience, now: Date): Promise<string[]> {
  const ids: string[] = [];
  const nowSeconds = epochSeconds(now);
  for await (const items of queryPages({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': audiencePk(audience) },
  })) {
    for (const item of items) {
      const expires = item[TTL_ATTRIBUTE];
      if (typeof expires !== 'number' || expires > nowSeconds) ids.push(String(item.connectionId));
    }
  }
  return ids;
}
