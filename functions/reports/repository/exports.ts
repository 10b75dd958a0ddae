/** Campaign export records: an export's status and the object it writes. Keys: ./keys.ts. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { loadConfig } from '../../shared/config';
import type { ExportRecord, ExportStatus } from '../model';
import { exportKey } from './keys';

const tableName = () => loadConfig('table').table;

export async function putExport(record: ExportRecord): Promise<void> {
  await documentClient.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...exportKey(record.campaignId, record.exportId), type: 'campaignExport', ...record },
    }),
  );
}

export async function getExport(campaignId: string, exportId: string): Promise<ExportRecord | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: exportKey(campaignId, exportId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  const item = out.Item;
  return {
    campaignId: String(item.campaignId),
    exportId: String(item.exportId),
    status: item.status as ExportStatus,
    objectKey: String(item.objectKey),
    createdAt: String(item.createdAt),
    ...(typeof item.error === 'string' ? { error: item.error } : {}),
  };
}
