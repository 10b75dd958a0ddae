/**
 * Campaigns and outreach lists in the single table. The only file that knows their keys:
 *
 *   CAMPAIGN#<id>                    / CAMPAIGN          the campaign: status, enabled, counters
 *                                                        (gsi1: CAMPAIGNS / <createdAt>#<id>, newest first)
 *   CAMPAIGN#<id>                    / LIST#<storeId>    one store's outreach list: customers, contacted
 *                                                        (gsi2: OUTREACHLISTS#<storeId> / <createdAt>#<id>)
 *   CAMPAIGN#<id>                    / REJECTION#<line>  a rejected row, line zero-padded so they page in line order
 *   CAMPAIGN#<id>                    / CHUNK#<n>         a chunk whose counts were applied (exactly-once marker)
 *   OUTREACH#<id>#<storeId>#<shard>  / <customerId>      one customer on one store's list, sharded 8 ways
 *
 * A store's view of its lists reads gsi2 and keeps the lists whose campaign is enabled, so
 * enabling or disabling is one write to the campaign item and never touches the lists.
 */
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient } from '../shared/clients';
import { cancelledBy } from '../shared/transactions';
import { loadConfig } from '../shared/config';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { backoff, forEachConcurrently } from '../shared/concurrency';
import { batchGetAll, batchWriteAll, queryAll, queryPage, queryPages, type WriteRequest } from '../shared/dynamo-batches';
import { OUTREACH_SHARDS, padChunk, padLine, shardOf, type CampaignStatus, type Counts, type RejectionReason } from './rules';

const tableName = () => loadConfig('table').table;

const CAMPAIGNS_PARTITION = 'CAMPAIGNS';
const campaignPk = (campaignId: string) => `CAMPAIGN#${campaignId}`;
const campaignKey = (campaignId: string) => ({ pk: campaignPk(campaignId), sk: 'CAMPAIGN' });
const listKey = (campaignId: string, storeId: string) => ({ pk: campaignPk(campaignId), sk: `LIST#${storeId}` });
const storeListsPk = (storeId: string) => `OUTREACHLISTS#${storeId}`;
const rejectionKey = (campaignId: string, line: number) => ({ pk: campaignPk(campaignId), sk: `REJECTION#${padLine(line)}` });
const chunkKey = (campaignId: string, chunk: number) => ({ pk: campaignPk(campaignId), sk: `CHUNK#${padChunk(chunk)}` });
const outreachPk = (campaignId: string, storeId: string, shard: number) => `OUTREACH#${campaignId}#${storeId}#${shard}`;
const outreachKey = (campaignId: string, storeId: string, customerId: string) => ({
  pk: outreachPk(campaignId, storeId, shardOf(customerId)),
  sk: customerId,
});

/** How long a deleted campaign's tombstone stays (it answers 404 and stops late chunks). */
const TOMBSTONE_SECONDS = 30 * 24 * 3600;

// ── shapes ───────────────────────────────────────────────────────────────────────────────────

export interface Campaign {
  campaignId: string;
  name: string;
  status: CampaignStatus;
  enabled: boolean;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  deleted: boolean;
  /** Chunks the import queued; unknown until the import has read the whole file. */
  chunksTotal?: number;
  chunksDone: number;
  /** Data rows the writers accounted for so far. */
  rows: number;
  rejected: number;
  /** Rows with a known customer: each is either accepted or a duplicate. */
  candidates: number;
  accepted?: number;
  duplicates?: number;
  /** Stores named by at least one candidate row. */
  storeIds: string[];
  /** The S3 object the import read (its ETag), so another upload to the same key cannot mix in. */
  sourceTag?: string;
}

export interface OutreachList {
  campaignId: string;
  storeId: string;
  name: string;
  createdAt: string;
  customers: number;
  contacted: number;
}

export interface OutreachEntry {
  customerId: string;
  email: string;
  firstName?: string;
  lastName?: string;
  contacted: boolean;
}

export interface Rejection {
  line: number;
  email: string;
  storeId: string;
  reason: RejectionReason;
}

function toCampaign(item: Record<string, unknown>): Campaign {
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
  };
}

const isConditionFailure = (error: unknown) => error instanceof ConditionalCheckFailedException;

// ── batch writes ─────────────────────────────────────────────────────────────────────────────


/** Writers in flight per chunk: enough to keep the engine busy, few enough not to throttle one Lambda. */
const BATCH_WRITE_CONCURRENCY = 8;

/** Outreach items and rejections go in with several BatchWriteItem calls in flight. */
export async function batchWrite(requests: readonly WriteRequest[], concurrency = BATCH_WRITE_CONCURRENCY): Promise<void> {
  await batchWriteAll(tableName(), requests, { concurrency });
}

// ── campaigns ────────────────────────────────────────────────────────────────────────────────

/** Creates a PROCESSING, disabled campaign; false when one with this id exists already. */
export async function createCampaign(input: { campaignId: string; name: string; now: Date }): Promise<boolean> {
  const createdAt = input.now.toISOString();
  try {
    await documentClient.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...campaignKey(input.campaignId),
          gsi1pk: CAMPAIGNS_PARTITION,
          gsi1sk: `${createdAt}#${input.campaignId}`,
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
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

export async function getCampaign(campaignId: string): Promise<Campaign | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: campaignKey(campaignId), ConsistentRead: true }));
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
    { TableName: tableName(), IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION }, ScanIndexForward: false },
    { limit, cursor, partition: { gsi1pk: CAMPAIGNS_PARTITION, sk: 'CAMPAIGN' } },
  );
  return { items: page.items.map(toCampaign), nextCursor: page.nextCursor };
}

/**
 * Ties the campaign to the S3 object being imported. The same object again (a redelivered
 * event) is fine; another object under the same key is refused, since contents never change.
 */
export async function claimSource(campaignId: string, sourceTag: string): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET sourceTag = :tag',
        ConditionExpression: 'attribute_exists(pk) AND #status = :processing AND attribute_not_exists(deletedAt) AND (attribute_not_exists(sourceTag) OR sourceTag = :tag)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':tag': sourceTag, ':processing': 'PROCESSING' },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The import read the whole file: how many chunks the writers must finish. */
export async function recordChunksTotal(campaignId: string, chunksTotal: number, rowsInFile: number): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET chunksTotal = :total, rowsInFile = :rows',
        ConditionExpression: '#status = :processing AND (attribute_not_exists(chunksTotal) OR chunksTotal = :total)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':total': chunksTotal, ':rows': rowsInFile, ':processing': 'PROCESSING' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Already finished (or failed) meanwhile, or a different count from an earlier run of the same object: nothing to record.
  }
}

/** PROCESSING -> FAILED with a reason, exactly once; false when the campaign was no longer PROCESSING. */
export async function failCampaign(campaignId: string, error: string, now: Date): Promise<boolean> {
  return finishCampaign(campaignId, { status: 'FAILED', error, now });
}

/** PROCESSING -> a final status, exactly once (a conditional write); false when another run got there first. */
export async function finishCampaign(
  campaignId: string,
  outcome: { status: Exclude<CampaignStatus, 'PROCESSING'>; counts?: Counts; error?: string; now: Date },
): Promise<boolean> {
  const values: Record<string, unknown> = { ':processing': 'PROCESSING', ':status': outcome.status, ':at': outcome.now.toISOString() };
  const sets = ['#status = :status', 'finishedAt = :at'];
  if (outcome.counts) {
    for (const name of ['rows', 'accepted', 'rejected', 'duplicates'] as const) {
      sets.push(`#${name} = :${name}`);
      values[`:${name}`] = outcome.counts[name];
    }
  }
  if (outcome.error) {
    sets.push('#error = :error');
    values[':error'] = outcome.error;
  }
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :processing',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...(outcome.error ? { '#error': 'error' } : {}),
          ...(outcome.counts ? { '#rows': 'rows', '#accepted': 'accepted', '#rejected': 'rejected', '#duplicates': 'duplicates' } : {}),
        },
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** One write: only a finished, successful campaign can be switched on or off. */
export async function setEnabled(campaignId: string, enabled: boolean): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET enabled = :enabled',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt) AND #status IN (:ok, :partial)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':enabled': enabled, ':ok': 'SUCCESSFUL', ':partial': 'PARTIALLY_SUCCESSFUL' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const campaign = await requireCampaign(campaignId);
    throw new ConflictError(
      campaign.status === 'PROCESSING'
        ? `Campaign ${campaignId} is still PROCESSING; it can be ${enabled ? 'enabled' : 'disabled'} once its import has finished.`
        : `Campaign ${campaignId} is ${campaign.status}; a failed campaign cannot be ${enabled ? 'enabled' : 'disabled'}.`,
    );
  }
}

/**
 * Deletes a campaign for its readers at once: the campaign becomes a tombstone (out of the
 * listing, 404 by id) and its per-store list items go, so no store sees its lists any more. The
 * outreach entries, rejections and chunk markers are left for `purgeCampaign` in the background.
 */
export async function markDeleted(campaignId: string, now: Date): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'SET deletedAt = :at, enabled = :false, #ttl = :ttl REMOVE gsi1pk, gsi1sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':at': now.toISOString(), ':false': false, ':ttl': Math.floor(now.getTime() / 1000) + TOMBSTONE_SECONDS },
      }),
    );
  } catch (error) {
    if (isConditionFailure(error)) throw new NotFoundError(`No campaign ${campaignId}.`);
    throw error;
  }
  await deleteUnder(campaignId, 'LIST#', Number.POSITIVE_INFINITY);
}

/** Deletes the items of the campaign's partition whose sort key starts with `prefix`; false when the deadline came first. */
async function deleteUnder(campaignId: string, prefix: string, deadline: number): Promise<boolean> {
  return deletePartition({ pk: campaignPk(campaignId), prefix }, deadline);
}

async function deletePartition(where: { pk: string; prefix?: string }, deadline: number): Promise<boolean> {
  const pages = queryPages({
    TableName: tableName(),
    KeyConditionExpression: where.prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
    ExpressionAttributeValues: { ':pk': where.pk, ...(where.prefix ? { ':prefix': where.prefix } : {}) },
    ProjectionExpression: 'pk, sk',
  });
  for await (const items of pages) {
    await batchWrite(items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })));
    if (Date.now() > deadline) return false;
  }
  return true;
}

/**
 * The background half of a delete: every outreach entry, rejection and chunk marker. Returns
 * false when `deadline` (epoch ms) came first; the caller queues the rest. The tombstone stays
 * until its TTL, so a late chunk of a deleted campaign is recognised and dropped.
 */
export async function purgeCampaign(campaign: Campaign, deadline: number): Promise<boolean> {
  for (const storeId of campaign.storeIds) {
    for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
      if (!(await deletePartition({ pk: outreachPk(campaign.campaignId, storeId, shard) }, deadline))) return false;
    }
  }
  return (await deleteUnder(campaign.campaignId, 'REJECTION#', deadline)) && (await deleteUnder(campaign.campaignId, 'CHUNK#', deadline));
}

// ── chunks ───────────────────────────────────────────────────────────────────────────────────

export async function isChunkDone(campaignId: string, chunk: number): Promise<boolean> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: chunkKey(campaignId, chunk), ConsistentRead: true }));
  return out.Item !== undefined;
}

export interface NewOutreachEntry {
  campaignId: string;
  storeId: string;
  customerId: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

/**
 * Outreach entries, with BatchWriteItem. Writing one again (a redelivered chunk, a duplicate row
 * in another chunk) writes the same item: an entry's content depends only on (campaign, store,
 * customer), never on the row that produced it.
 */
export async function putOutreachEntries(entries: readonly NewOutreachEntry[]): Promise<void> {
  await batchWrite(
    entries.map((entry) => ({
      PutRequest: {
        Item: {
          ...outreachKey(entry.campaignId, entry.storeId, entry.customerId),
          type: 'outreachEntry',
          customerId: entry.customerId,
          email: entry.email,
          firstName: entry.firstName,
          lastName: entry.lastName,
          contacted: false,
        },
      },
    })),
  );
}

export async function putRejections(campaignId: string, rejections: readonly Rejection[]): Promise<void> {
  await batchWrite(
    rejections.map((r) => ({
      PutRequest: { Item: { ...rejectionKey(campaignId, r.line), type: 'rejection', line: r.line, email: r.email, storeId: r.storeId, reason: r.reason } },
    })),
  );
}


/**
 * Applies one chunk's counts exactly once: the chunk's marker is created in the same
 * transaction as the counter increments, so a chunk redelivered after its counts were applied
 * fails the marker's condition and adds nothing. Returns false in that case.
 */
export async function completeChunk(
  campaignId: string,
  chunk: number,
  counts: { rows: number; rejected: number; candidates: number; storeIds: readonly string[] },
  now: Date,
): Promise<boolean> {
  const values: Record<string, unknown> = { ':rows': counts.rows, ':rejected': counts.rejected, ':candidates': counts.candidates, ':one': 1 };
  let add = '#rows :rows, rejected :rejected, candidates :candidates, chunksDone :one';
  if (counts.storeIds.length > 0) {
    add += ', storeIds :stores';
    values[':stores'] = new Set(counts.storeIds);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: { ...chunkKey(campaignId, chunk), type: 'chunkDone', rows: counts.rows, at: now.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: tableName(),
                Key: campaignKey(campaignId),
                UpdateExpression: `ADD ${add}`,
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#rows': 'rows' },
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledBy(error, 'ConditionalCheckFailed', 0)) return false;
      if (cancelledBy(error, 'ConditionalCheckFailed', 1)) throw new NotFoundError(`No campaign ${campaignId}.`);
      // Chunks finishing together all update the campaign item; DynamoDB cancels the losers with TransactionConflict.
      if (cancelledBy(error, 'TransactionConflict') && attempt < 20) {
        await backoff(attempt + 1, 20, 1_000);
        continue;
      }
      throw error;
    }
  }
}

/** Customers on a (campaign, store) list: a COUNT over its shards (read at the end of an import, once). */
export async function countListEntries(campaignId: string, storeId: string): Promise<number> {
  const perShard = await Promise.all(
    Array.from({ length: OUTREACH_SHARDS }, async (_, shard) => {
      let total = 0;
      let startKey: Record<string, unknown> | undefined;
      do {
        const out: QueryCommandOutput = await documentClient.send(
          new QueryCommand({
            TableName: tableName(),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
            Select: 'COUNT',
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        total += out.Count ?? 0;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return total;
    }),
  );
  return perShard.reduce((a, b) => a + b, 0);
}

/** Writes the per-store list items of a finished import (idempotent: counts are set, not added). */
export async function putLists(campaign: Campaign, customersByStore: ReadonlyMap<string, number>): Promise<void> {
  await forEachConcurrently([...customersByStore], 8, async ([storeId, customers]) => {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: listKey(campaign.campaignId, storeId),
        UpdateExpression:
          'SET #type = :type, campaignId = :id, storeId = :store, #name = :name, createdAt = :created, customers = :customers, contacted = if_not_exists(contacted, :zero), gsi2pk = :gsi2pk, gsi2sk = :gsi2sk',
        ExpressionAttributeNames: { '#type': 'type', '#name': 'name' },
        ExpressionAttributeValues: {
          ':type': 'outreachList',
          ':id': campaign.campaignId,
          ':store': storeId,
          ':name': campaign.name,
          ':created': campaign.createdAt,
          ':customers': customers,
          ':zero': 0,
          ':gsi2pk': storeListsPk(storeId),
          ':gsi2sk': `${campaign.createdAt}#${campaign.campaignId}`,
        },
      }),
    );
  });
}

// ── reads ────────────────────────────────────────────────────────────────────────────────────

const toList = (item: Record<string, unknown>): OutreachList => ({
  campaignId: String(item.campaignId),
  storeId: String(item.storeId),
  name: String(item.name),
  createdAt: String(item.createdAt),
  customers: Number(item.customers ?? 0),
  contacted: Number(item.contacted ?? 0),
});

/** A campaign's per-store lists (its details). */
export async function listsOfCampaign(campaignId: string): Promise<OutreachList[]> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': campaignPk(campaignId), ':prefix': 'LIST#' },
  });
  return items.map(toList);
}

/** Every list of a store, of enabled and disabled campaigns alike, newest campaign first. */
export async function listsOfStore(storeId: string): Promise<OutreachList[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi2',
    KeyConditionExpression: 'gsi2pk = :pk',
    ExpressionAttributeValues: { ':pk': storeListsPk(storeId) },
    ScanIndexForward: false,
  });
  return items.map(toList);
}

export async function getList(campaignId: string, storeId: string): Promise<OutreachList | undefined> {
  const out = await documentClient.send(new GetCommand({ TableName: tableName(), Key: listKey(campaignId, storeId) }));
  return out.Item ? toList(out.Item) : undefined;
}

export async function listRejections(campaignId: string, limit: number, cursor?: string): Promise<Page<Rejection>> {
  const pk = campaignPk(campaignId);
  const page = await queryPage(
    { TableName: tableName(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': pk, ':prefix': 'REJECTION#' } },
    { limit, cursor, partition: { pk }, prefixes: { sk: 'REJECTION#' } },
  );
  return {
    items: page.items.map((item) => ({ line: Number(item.line), email: String(item.email), storeId: String(item.storeId), reason: item.reason as RejectionReason })),
    nextCursor: page.nextCursor,
  };
}

/**
 * The cursor of an outreach list page: the shard being read and the last customer id read in
 * it. Pages walk shard 0 to 7 in order, each in customer-id order; a page may span shards.
 */
const OutreachCursor = z.object({ shard: z.number().int().min(0).max(OUTREACH_SHARDS - 1), after: z.string().min(1).optional() }).strict();

function decodeOutreachCursor(cursor: string | undefined): z.infer<typeof OutreachCursor> {
  if (cursor === undefined) return { shard: 0 };
  const invalid = () => new ValidationError('The cursor is not one this list gave out.', [{ in: 'query', field: 'cursor', detail: 'invalid cursor' }]);
  try {
    const parsed = OutreachCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (!parsed.success) throw invalid();
    return parsed.data;
  } catch {
    throw invalid();
  }
}

const encodeOutreachCursor = (position: z.infer<typeof OutreachCursor>) => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** One page of a store's outreach list, across its shards. */
export async function listOutreachEntries(campaignId: string, storeId: string, limit: number, cursor?: string): Promise<Page<OutreachEntry>> {
  let { shard, after } = decodeOutreachCursor(cursor);
  const items: OutreachEntry[] = [];
  while (items.length < limit && shard < OUTREACH_SHARDS) {
    const pk = outreachPk(campaignId, storeId, shard);
    const out: QueryCommandOutput = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Limit: limit - items.length,
        ExclusiveStartKey: after ? { pk, sk: after } : undefined,
      }),
    );
    for (const item of out.Items ?? []) {
      items.push({
        customerId: String(item.customerId),
        email: String(item.email),
        ...(typeof item.firstName === 'string' ? { firstName: item.firstName } : {}),
        ...(typeof item.lastName === 'string' ? { lastName: item.lastName } : {}),
        contacted: item.contacted === true,
      });
    }
    if (out.LastEvaluatedKey) {
      after = String(out.LastEvaluatedKey.sk);
    } else {
      shard++;
      after = undefined;
    }
  }
  const more = shard < OUTREACH_SHARDS;
  return { items, nextCursor: more ? encodeOutreachCursor({ shard, ...(after ? { after } : {}) }) : null };
}

/**
 * Marks the customer contacted on one list, once: the entry flips from not contacted in the
 * same transaction that bumps the list's count. False when the customer is not on the list or
 * was already contacted.
 */
export async function markEntryContacted(campaignId: string, storeId: string, customerId: string, at: Date, userId?: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: outreachKey(campaignId, storeId, customerId),
                UpdateExpression: `SET contacted = :true, contactedAt = :at${userId ? ', contactedBy = :by' : ''}`,
                ConditionExpression: 'attribute_exists(pk) AND contacted = :false',
                ExpressionAttributeValues: { ':true': true, ':false': false, ':at': at.toISOString(), ...(userId ? { ':by': userId } : {}) },
              },
            },
            {
              Update: {
                TableName: tableName(),
                Key: listKey(campaignId, storeId),
                UpdateExpression: 'ADD contacted :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledBy(error, 'ConditionalCheckFailed')) return false;
      if (cancelledBy(error, 'TransactionConflict') && attempt < 10) {
        await backoff(attempt + 1, 20, 500);
        continue;
      }
      throw error;
    }
  }
}

// ── attribution (reports) ────────────────────────────────────────────────────────────────────

/** What reports need of one entry: contact, reply and the orders attributed to it. */
export interface EntryActivity {
  campaignId: string;
  customerId: string;
  email: string;
  contacted: boolean;
  contactedBy?: string;
  contactedAt?: string;
  repliedAt?: string;
  ordersPaid: number;
  revenue: number;
  currency?: string;
}

const toActivity = (campaignId: string, item: Record<string, unknown>): EntryActivity => ({
  campaignId,
  customerId: String(item.customerId),
  email: String(item.email),
  contacted: item.contacted === true,
  ...(typeof item.contactedBy === 'string' ? { contactedBy: item.contactedBy } : {}),
  ...(typeof item.contactedAt === 'string' ? { contactedAt: item.contactedAt } : {}),
  ...(typeof item.repliedAt === 'string' ? { repliedAt: item.repliedAt } : {}),
  ordersPaid: Number(item.ordersPaid ?? 0),
  revenue: Number(item.revenue ?? 0),
  ...(typeof item.currency === 'string' ? { currency: item.currency } : {}),
});

/** The customer's entries on the given lists of a store (one BatchGetItem; absent entries are left out). */
export async function entriesOfCustomer(storeId: string, customerId: string, campaignIds: readonly string[]): Promise<EntryActivity[]> {
  if (campaignIds.length === 0) return [];
  const items = await batchGetAll(tableName(), campaignIds.map((campaignId) => outreachKey(campaignId, storeId, customerId)), { consistentRead: true });
  const byPk = new Map(campaignIds.map((campaignId) => [outreachKey(campaignId, storeId, customerId).pk, campaignId]));
  return items.map((item) => toActivity(byPk.get(String(item.pk)) ?? '', item));
}

/**
 * Marks a contacted customer replied on one list, once: the entry's first reply and the list's
 * `replied` count go in one transaction. False when not on the list, not contacted, or already replied.
 */
export async function markEntryReplied(campaignId: string, storeId: string, customerId: string, at: Date): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: outreachKey(campaignId, storeId, customerId),
                UpdateExpression: 'SET repliedAt = :at',
                ConditionExpression: 'attribute_exists(pk) AND contacted = :true AND attribute_not_exists(repliedAt)',
                ExpressionAttributeValues: { ':true': true, ':at': at.toISOString() },
              },
            },
            {
              Update: {
                TableName: tableName(),
                Key: listKey(campaignId, storeId),
                UpdateExpression: 'ADD replied :one',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancelledBy(error, 'ConditionalCheckFailed')) return false;
      if (cancelledBy(error, 'TransactionConflict') && attempt < 10) {
        await backoff(attempt + 1, 20, 500);
        continue;
      }
      throw error;
    }
  }
}

/** Replies per store of a campaign (the lists' `replied` counts). */
export async function repliedByStore(campaignId: string): Promise<Map<string, number>> {
  const items = await queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': campaignPk(campaignId), ':prefix': 'LIST#' },
  });
  return new Map(items.map((item) => [String(item.storeId), Number(item.replied ?? 0)]));
}

/**
 * The write that adds a paid order to an entry, for the caller's transaction (so the order is
 * counted together with the caller's exactly-once marker). The entry must exist.
 */
export function entryOrderUpdate(campaignId: string, storeId: string, customerId: string, amount: number, currency: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: outreachKey(campaignId, storeId, customerId),
      UpdateExpression: 'ADD ordersPaid :one, revenue :amount SET currency = :currency',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1, ':amount': amount, ':currency': currency },
    },
  };
}

/** Every entry of a (campaign, store) list, a page at a time, shard by shard (flat memory). */
export async function* entriesOfList(campaignId: string, storeId: string): AsyncGenerator<EntryActivity[]> {
  for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
    for await (const items of queryPages({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) } })) {
      yield items.map((item) => toActivity(campaignId, item));
    }
  }
}
