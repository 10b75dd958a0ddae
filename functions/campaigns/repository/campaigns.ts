/**
 * Campaign items: creating one, reading one or all, switching one on or off. The import's
 * writes to the campaign item are in ./imports.ts, deletion in ./deletion.ts. Keys: ./keys.ts.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, batchWriteAll, queryPage, type WriteRequest } from '../../shared/dynamo/batches';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { Page } from '../../shared/pagination';
import type { Campaign } from '../model';
import type { CampaignStatus } from '../rules';
import { CAMPAIGNS_PARTITION, IMPORTS_IN_PROGRESS, campaignCreatedSk, campaignKey, progressSk } from './keys';
import { putIfAbsent, tableName } from '../../shared/dynamo/table';

/** Writers in flight per chunk: enough to keep the engine busy, few enough not to throttle one Lambda. */
const BATCH_WRITE_CONCURRENCY = 8;

/** Outreach items and rejections go in (and out) with several BatchWriteItem calls in flight. */
export async function batchWrite(requests: readonly WriteRequest[]): Promise<void> {
  await batchWriteAll(tableName(), requests, { concurrency: BATCH_WRITE_CONCURRENCY });
}

export function toCampaign(item: Record<string, unknown>): Campaign {
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const set = item.storeIds;
  return {
    campaignId: String(item.campaignId),
    name: String(item.name),
    status: item.status as CampaignStatus,
    enabled: item.enabled === true,
    createdAt: String(item.createdAt),
    ...(typeof item.finishedAt === 'string' ? { finishedAt: item.finishedAt } : {}),
    ...(typeof item.error === 'string' ? { error: item.error } : {}),
    deleted: typeof item.deletedAt === 'string',
    ...(typeof item.chunksTotal === 'number' ? { chunksTotal: item.chunksTotal } : {}),
    chunksDone: num(item.chunksDone),
    rows: num(item.rows),
    rejected: num(item.rejected),
    candidates: num(item.candidates),
    ...(typeof item.accepted === 'number' ? { accepted: item.accepted } : {}),
    ...(typeof item.duplicates === 'number' ? { duplicates: item.duplicates } : {}),
    storeIds: set instanceof Set ? [...(set as Set<string>)].sort() : [],
    ...(typeof item.sourceTag === 'string' ? { sourceTag: item.sourceTag } : {}),
    ...(typeof item.progressAt === 'string' ? { progressAt: item.progressAt } : {}),
    ...(typeof item.uploadedAt === 'string' ? { uploadedAt: item.uploadedAt } : {}),
    rowsRead: num(item.rowsRead),
    deadLettered: item.deadLettered instanceof Set ? [...(item.deadLettered as Set<string>)].sort() : [],
  };
}

/** Creates a PROCESSING, disabled campaign; false when one with this id exists already. */
export async function createCampaign(input: { campaignId: string; name: string; now: Date }): Promise<boolean> {
  const createdAt = input.now.toISOString();
  return writeIfUnchanged(() =>
    documentClient.send(
      new PutCommand(
        putIfAbsent({
          ...campaignKey(input.campaignId),
          gsi1pk: CAMPAIGNS_PARTITION,
          gsi1sk: campaignCreatedSk(createdAt, input.campaignId),
          type: 'campaign',
          campaignId: input.campaignId,
          name: input.name,
          status: 'PROCESSING',
          enabled: false,
          createdAt,
          chunksDone: 0,
          rows: 0,
          rejected: 0,
          candidates: 0,
          progressAt: createdAt,
          gsi3pk: IMPORTS_IN_PROGRESS,
          gsi3sk: progressSk(input.now, input.campaignId),
        }).Put,
      ),
    ),
  );
}

export async function getCampaign(campaignId: string): Promise<Campaign | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: campaignKey(campaignId), ConsistentRead: true }),
  );
  return out.Item ? toCampaign(out.Item) : undefined;
}

/** A campaign a client may see: deleted ones are gone. */
export async function requireCampaign(campaignId: string): Promise<Campaign> {
  const campaign = await getCampaign(campaignId);
  if (!campaign || campaign.deleted) throw new NotFoundError(`No campaign ${campaignId}.`);
  return campaign;
}

export async function getCampaigns(campaignIds: readonly string[]): Promise<Map<string, Campaign>> {
  const items = await batchGetAll(tableName(), [...new Set(campaignIds)].map(campaignKey));
  return new Map(items.map((item) => [String(item.campaignId), toCampaign(item)]));
}

/** All campaigns, newest first. */
export async function listCampaigns(limit: number, cursor?: string): Promise<Page<Campaign>> {
  const page = await queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION },
      ScanIndexForward: false,
    },
    { limit, cursor, partition: { gsi1pk: CAMPAIGNS_PARTITION, sk: campaignKey('').sk } },
  );
  return { items: page.items.map(toCampaign), nextCursor: page.nextCursor };
}

/** One write: only a finished, successful campaign can be switched on or off. */
export async function setEnabled(campaignId: string, enabled: boolean): Promise<void> {
  const switched = await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET enabled = :enabled',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt) AND #status IN (:ok, :partial)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':enabled': enabled, ':ok': 'SUCCESSFUL', ':partial': 'PARTIALLY_SUCCESSFUL' },
      }),
    ),
  );
  if (switched) return;
  const campaign = await requireCampaign(campaignId);
  throw new ConflictError(
    campaign.status === 'PROCESSING'
      ? `Campaign ${campaignId} is still PROCESSING; it can be ${enabled ? 'enabled' : 'disabled'} once its import has finished.`
      : `Campaign ${campaignId} is ${campaign.status}; a failed campaign cannot be ${enabled ? 'enabled' : 'disabled'}.`,
  );
}
