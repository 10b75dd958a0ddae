/** Campaign export records: an export's status and the object it writes. Keys: ./keys.ts. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryAll } from '../../shared/dynamo/batches';
import type { ExportRecord, ExportStatus } from '../model';
import { exportExpiresAt } from '../rules';
import { exportKey, exportsPk } from './keys';
import { expiry, tableName } from '../../shared/dynamo/table';

export async function putExport(record: ExportRecord): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...exportKey(record.campaignId, record.exportId),
        type: 'campaignExport',
        ...record,
        // The record goes when its object does (the bucket's lifecycle); reads treat it as gone from then on.
        ...expiry(exportExpiresAt(record.createdAt)),
      },
    }),
  );
}

export async function getExport(campaignId: string, exportId: string): Promise<ExportRecord | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: exportKey(campaignId, exportId), ConsistentRead: true }),
  );
  return out.Item ? toExport(out.Item) : undefined;
}

/** Every export of a campaign still on record (one query of its partition): what an erasure rewrites. */
export async function exportsOfCampaign(campaignId: string): Promise<ExportRecord[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': exportsPk(campaignId) },
    ConsistentRead: true,
  });
  return items.map(toExport);
}

function toExport(item: Record<string, unknown>): ExportRecord {
  return {
    campaignId: String(item.campaignId),
    exportId: String(item.exportId),
    status: item.status as ExportStatus,
    objectKey: String(item.objectKey),
    createdAt: String(item.createdAt),
    ...(typeof item.error === 'string' ? { error: item.error } : {}),
  };
}
