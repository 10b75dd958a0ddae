/** WebSocket connections in the single table: who is connected, for which audience. Keys: ./keys.ts. */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { loadConfig } from '../../shared/config';
import { queryPages } from '../../shared/dynamo/batches';
import type { Principal } from '../../shared/principal';
import type { Audience } from '../model';
import { audiencePk, connectionKey, memberKey, memberKeyIn } from './keys';

const { table } = loadConfig('table');

/** API Gateway closes a WebSocket after 2 hours; 10 minutes more covers clock skew. */
const CONNECTION_TTL_SECONDS = 2 * 3600 + 600;

/** Stores the connection and its audience memberships in one transaction. */
export async function saveConnection(
  connectionId: string,
  principal: Principal,
  audiences: readonly Audience[],
  now: Date,
): Promise<void> {
  const ttl = Math.floor(now.getTime() / 1000) + CONNECTION_TTL_SECONDS;
  const common = {
    connectionId,
    userId: principal.userId,
    storeId: principal.storeId ?? null,
    connectedAt: now.toISOString(),
    ttl,
  };
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
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
            TableName: table,
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
    new GetCommand({ TableName: table, Key: connectionKey(connectionId), ConsistentRead: true }),
  );
  const audiencePks = Array.isArray(out.Item?.audiences) ? (out.Item.audiences as string[]) : [];
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        { Delete: { TableName: table, Key: connectionKey(connectionId) } },
        ...audiencePks.map((pk) => ({ Delete: { TableName: table, Key: memberKeyIn(pk, connectionId) } })),
      ],
    }),
  );
}

/** The ids of the audience's live connections (expired ones that TTL has not deleted yet are skipped). */
export async function connectionsOf(audience: Audience, now: Date): Promise<string[]> {
  const ids: string[] = [];
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for await (const items of queryPages({
    TableName: table,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': audiencePk(audience) },
  })) {
    for (const item of items)
      if (typeof item.ttl !== 'number' || item.ttl > nowSeconds) ids.push(String(item.connectionId));
  }
  return ids;
}
