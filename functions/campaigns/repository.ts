/**
 * Campaigns and outreach lists in the single table. The only file that knows their keys:
 *
 *   CAMPAIGN#<id>                    / CAMPAIGN          the campaign: status, enabled, counters
 *                                                        (gsi1: CAMPAIGNS / <createdAt>#<id>, newest first)
 *   CAMPAIGN#<id>                    / LIST#<storeId>    one store's outreach list: customers, contacted
 *                                                        (gsi2: OUTREACHLISTS#<storeId> / <createdAt>#<id>)
 *   REJECTIONS#<id>#<line % 8>       / <line>            a rejected row, line zero-padded; pages merge the 8 shards in line order
 *   CHUNKS#<id>#<chunk % 8>          / CHUNK#<n>         a chunk whose counts were applied (exactly-once marker)
 *   CHUNKS#<id>#<shard>              / COUNTS            that shard's counters: chunks done, rows, rejected, candidates, stores
 *
 * Writers never touch the campaign item per chunk: rejections and counters are spread over 8
 * partitions each (a partition takes 1,000 writes/s), and the end of the import sums the 8
 * counter items. The campaign item's progress mark moves at most once a minute.
 *   OUTREACH#<id>#<storeId>#<shard>  / <customerId>      one customer on one store's list, sharded 8 ways
 *
 * While a campaign is PROCESSING its item also sits in gsi3 under IMPORTS / <progressAt>#<id>:
 * the import watchdog reads the imports whose last progress is older than its threshold, never
 * the whole table. Every step of an import (claim, each chunk, the chunk total) moves progressAt;
 * the final status write removes the campaign from that index.
 *
 * A store's view of its lists reads gsi2 and keeps the lists whose campaign is enabled, so
 * enabling or disabling is one write to the campaign item and never touches the lists.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { documentClient } from '../shared/clients';
import { isConditionFailure, transactIfUnchanged, withContentionRetry } from '../shared/dynamo/conditions';
import { loadConfig } from '../shared/config';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { forEachConcurrently } from '../shared/concurrency';
import {
  batchGetAll,
  batchWriteAll,
  countAll,
  queryAll,
  queryPage,
  queryPages,
  type WriteRequest,
} from '../shared/dynamo/batches';
import {
  OUTREACH_SHARDS,
  padChunk,
  padLine,
  shardOf,
  type CampaignStatus,
  type Counts,
  type RejectionReason,
} from './rules';

const tableName = () => loadConfig('table').table;

const CAMPAIGNS_PARTITION = 'CAMPAIGNS';
const campaignPk = (campaignId: string) => `CAMPAIGN#${campaignId}`;
const campaignKey = (campaignId: string) => ({ pk: campaignPk(campaignId), sk: 'CAMPAIGN' });
const listKey = (campaignId: string, storeId: string) => ({ pk: campaignPk(campaignId), sk: `LIST#${storeId}` });
const storeListsPk = (storeId: string) => `OUTREACHLISTS#${storeId}`;
export const IMPORT_SHARDS = 8;
const rejectionsPk = (campaignId: string, shard: number) => `REJECTIONS#${campaignId}#${shard}`;
const rejectionKey = (campaignId: string, line: number) => ({
  pk: rejectionsPk(campaignId, line % IMPORT_SHARDS),
  sk: padLine(line),
});
const chunksPk = (campaignId: string, shard: number) => `CHUNKS#${campaignId}#${shard}`;
const chunkKey = (campaignId: string, chunk: number) => ({
  pk: chunksPk(campaignId, chunk % IMPORT_SHARDS),
  sk: `CHUNK#${padChunk(chunk)}`,
});
const countsKey = (campaignId: string, shard: number) => ({ pk: chunksPk(campaignId, shard), sk: 'COUNTS' });
const shards = () => Array.from({ length: IMPORT_SHARDS }, (_, shard) => shard);
const IMPORTS_IN_PROGRESS = 'IMPORTS';
const progressSk = (at: Date, campaignId: string) => `${at.toISOString()}#${campaignId}`;
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
  /** The last time an import step (claim, chunk, chunk total) was recorded. */
  progressAt?: string;
  /** Chunks that used up their receives and wait in the dead-letter queue, with the lines they hold. */
  deadLettered: string[];
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
    ...(typeof item.progressAt === 'string' ? { progressAt: item.progressAt } : {}),
    deadLettered: item.deadLettered instanceof Set ? [...(item.deadLettered as Set<string>)].sort() : [],
  };
}

// ── batch writes ─────────────────────────────────────────────────────────────────────────────

/** Writers in flight per chunk: enough to keep the engine busy, few enough not to throttle one Lambda. */
const BATCH_WRITE_CONCURRENCY = 8;

/** Outreach items and rejections go in with several BatchWriteItem calls in flight. */
export async function batchWrite(
  requests: readonly WriteRequest[],
  concurrency = BATCH_WRITE_CONCURRENCY,
): Promise<void> {
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
          progressAt: createdAt,
          gsi3pk: IMPORTS_IN_PROGRESS,
          gsi3sk: progressSk(input.now, input.campaignId),
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
    { limit, cursor, partition: { gsi1pk: CAMPAIGNS_PARTITION, sk: 'CAMPAIGN' } },
  );
  return { items: page.items.map(toCampaign), nextCursor: page.nextCursor };
}

/** Moves a PROCESSING campaign's progress mark (its place in the watchdog's index). */
const PROGRESS_SET = 'progressAt = :progressAt, gsi3pk = :importsPk, gsi3sk = :progressSk';
const progressValues = (campaignId: string, now: Date) => ({
  ':progressAt': now.toISOString(),
  ':importsPk': IMPORTS_IN_PROGRESS,
  ':progressSk': progressSk(now, campaignId),
});

/**
 * Ties the campaign to the S3 object being imported. The same object again (a redelivered
 * event) is fine; another object under the same key is refused, since contents never change.
 */
export async function claimSource(campaignId: string, sourceTag: string, now: Date): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: `SET sourceTag = :tag, ${PROGRESS_SET}`,
        ConditionExpression:
          'attribute_exists(pk) AND #status = :processing AND attribute_not_exists(deletedAt) AND (attribute_not_exists(sourceTag) OR sourceTag = :tag)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':tag': sourceTag,
          ':processing': 'PROCESSING',
          ...progressValues(campaignId, now),
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The import read the whole file: how many chunks the writers must finish. */
export async function recordChunksTotal(
  campaignId: string,
  chunksTotal: number,
  rowsInFile: number,
  now: Date,
): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: `SET chunksTotal = :total, rowsInFile = :rows, ${PROGRESS_SET}`,
        ConditionExpression: '#status = :processing AND (attribute_not_exists(chunksTotal) OR chunksTotal = :total)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':total': chunksTotal,
          ':rows': rowsInFile,
          ':processing': 'PROCESSING',
          ...progressValues(campaignId, now),
        },
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
  outcome: {
    status: Exclude<CampaignStatus, 'PROCESSING'>;
    counts?: Counts;
    storeIds?: readonly string[];
    error?: string;
    now: Date;
  },
): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':processing': 'PROCESSING',
    ':status': outcome.status,
    ':at': outcome.now.toISOString(),
  };
  const sets = ['#status = :status', 'finishedAt = :at'];
  if (outcome.storeIds && outcome.storeIds.length > 0) {
    sets.push('storeIds = :storeIds');
    values[':storeIds'] = new Set(outcome.storeIds);
  }
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
        UpdateExpression: `SET ${sets.join(', ')} REMOVE gsi3pk, gsi3sk`,
        ConditionExpression: '#status = :processing',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...(outcome.error ? { '#error': 'error' } : {}),
          ...(outcome.counts
            ? { '#rows': 'rows', '#accepted': 'accepted', '#rejected': 'rejected', '#duplicates': 'duplicates' }
            : {}),
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
        UpdateExpression: 'SET deletedAt = :at, enabled = :false, #ttl = :ttl REMOVE gsi1pk, gsi1sk, gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deletedAt)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: {
          ':at': now.toISOString(),
          ':false': false,
          ':ttl': Math.floor(now.getTime() / 1000) + TOMBSTONE_SECONDS,
        },
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
  // A campaign that never finished has its stores only in the chunk counters.
  const storeIds = new Set([...campaign.storeIds, ...(await importTotals(campaign.campaignId)).storeIds]);
  for (const storeId of storeIds) {
    for (let shard = 0; shard < OUTREACH_SHARDS; shard++) {
      if (!(await deletePartition({ pk: outreachPk(campaign.campaignId, storeId, shard) }, deadline))) return false;
    }
  }
  for (const shard of shards()) {
    if (!(await deletePartition({ pk: rejectionsPk(campaign.campaignId, shard) }, deadline))) return false;
  }
  for (const shard of shards()) {
    if (!(await deletePartition({ pk: chunksPk(campaign.campaignId, shard) }, deadline))) return false;
  }
  return true;
}

// ── chunks ───────────────────────────────────────────────────────────────────────────────────

export async function isChunkDone(campaignId: string, chunk: number): Promise<boolean> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: chunkKey(campaignId, chunk), ConsistentRead: true }),
  );
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
      PutRequest: {
        Item: {
          ...rejectionKey(campaignId, r.line),
          type: 'rejection',
          line: r.line,
          email: r.email,
          storeId: r.storeId,
          reason: r.reason,
        },
      },
    })),
  );
}

/**
 * Applies one chunk's counts exactly once: the chunk's marker is created in the same
 * transaction as the increments of its shard's counters, so a chunk redelivered after its counts
 * were applied fails the marker's condition and adds nothing. Returns false in that case. Both
 * items sit in the chunk's shard partition, never on the campaign item.
 */
export async function completeChunk(
  campaignId: string,
  chunk: number,
  counts: { rows: number; rejected: number; candidates: number; storeIds: readonly string[] },
  now: Date,
): Promise<boolean> {
  const values: Record<string, unknown> = {
    ':rows': counts.rows,
    ':rejected': counts.rejected,
    ':candidates': counts.candidates,
    ':one': 1,
  };
  let add = '#rows :rows, rejected :rejected, candidates :candidates, chunksDone :one';
  if (counts.storeIds.length > 0) {
    add += ', storeIds :stores';
    values[':stores'] = new Set(counts.storeIds);
  }
  // Only the marker has a condition: a failure means the chunk's counts were applied already.
  // Chunks of the same shard finishing together update one counter item and DynamoDB cancels the
  // losers with TransactionConflict: with a writer per queued chunk in flight, one counter item
  // sees far more contention than an outreach entry, hence more tries than the default.
  return withContentionRetry(
    () =>
      transactIfUnchanged([
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
            Key: countsKey(campaignId, chunk % IMPORT_SHARDS),
            UpdateExpression: `ADD ${add}`,
            ExpressionAttributeNames: { '#rows': 'rows' },
            ExpressionAttributeValues: values,
          },
        },
      ]),
    CHUNK_COUNTER_ATTEMPTS,
  );
}

/** Tries of a chunk's counter transaction (see completeChunk). */
const CHUNK_COUNTER_ATTEMPTS = 21;

export interface ImportTotals {
  chunksDone: number;
  rows: number;
  rejected: number;
  candidates: number;
  storeIds: string[];
}

/** The sum of the chunk counters over every shard (consistent reads: the end of an import decides on it). */
export async function importTotals(campaignId: string): Promise<ImportTotals> {
  const items = await batchGetAll(
    tableName(),
    shards().map((shard) => countsKey(campaignId, shard)),
    { consistentRead: true },
  );
  const totals: ImportTotals = { chunksDone: 0, rows: 0, rejected: 0, candidates: 0, storeIds: [] };
  const stores = new Set<string>();
  for (const item of items) {
    for (const name of ['chunksDone', 'rows', 'rejected', 'candidates'] as const)
      totals[name] += typeof item[name] === 'number' ? item[name] : 0;
    if (item.storeIds instanceof Set) for (const storeId of item.storeIds as Set<string>) stores.add(storeId);
  }
  totals.storeIds = [...stores].sort();
  return totals;
}

/** Moves a PROCESSING campaign's progress mark, unless another writer moved it in the last minute. */
export async function touchProgress(campaignId: string, now: Date): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: `SET ${PROGRESS_SET}`,
        ConditionExpression:
          '#status = :processing AND (attribute_not_exists(progressAt) OR progressAt < :staleBefore)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':processing': 'PROCESSING',
          ':staleBefore': new Date(now.getTime() - PROGRESS_EVERY_MS).toISOString(),
          ...progressValues(campaignId, now),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** How often chunk writers move the campaign's progress mark (the watchdog waits 30 minutes). */
export const PROGRESS_EVERY_MS = 60_000;

/**
 * Campaigns still PROCESSING whose last progress is at or before `before`, oldest first: the
 * import watchdog's work list, read from gsi3 (ids only; the caller reads each campaign itself).
 */
export async function stalledImports(before: Date): Promise<string[]> {
  const items = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :upper',
    ExpressionAttributeValues: { ':pk': IMPORTS_IN_PROGRESS, ':upper': `${before.toISOString()}#~` },
  });
  return items.map((item) => String(item.pk).slice(campaignPk('').length));
}

/**
 * Marks a chunk that used up its receives: SQS moves it to the dead-letter queue, where it
 * stays for a redrive; the campaign keeps the lines it holds, so the watchdog can say which
 * rows are missing if nobody redrives it in time. No progress is recorded.
 */
export async function markChunkDeadLettered(campaignId: string, note: string): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: campaignKey(campaignId),
        UpdateExpression: 'ADD deadLettered :note',
        ConditionExpression: 'attribute_exists(pk) AND #status = :processing',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':note': new Set([note]), ':processing': 'PROCESSING' },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/** Customers on a (campaign, store) list: a COUNT over its shards (read at the end of an import, once). */
export async function countListEntries(campaignId: string, storeId: string): Promise<number> {
  const perShard = await Promise.all(
    Array.from({ length: OUTREACH_SHARDS }, (_, shard) =>
      countAll({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
        ConsistentRead: true,
      }),
    ),
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

/**
 * One page of rejections in line order: each of the 8 shards is read from after the cursor's
 * line, up to `limit` each, and the smallest lines win. The cursor is the last line returned.
 */
export async function listRejections(campaignId: string, limit: number, cursor?: string): Promise<Page<Rejection>> {
  const after = decodeRejectionCursor(cursor);
  const pages = await Promise.all(
    shards().map(async (shard) => {
      const out: QueryCommandOutput = await documentClient.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: after === undefined ? 'pk = :pk' : 'pk = :pk AND sk > :after',
          ExpressionAttributeValues: {
            ':pk': rejectionsPk(campaignId, shard),
            ...(after === undefined ? {} : { ':after': padLine(after) }),
          },
          Limit: limit + 1,
        }),
      );
      return out.Items ?? [];
    }),
  );
  const merged = pages.flat().sort((a, b) => Number(a.line) - Number(b.line));
  const items = merged.slice(0, limit).map((item) => ({
    line: Number(item.line),
    email: String(item.email),
    storeId: String(item.storeId),
    reason: item.reason as RejectionReason,
  }));
  const more = merged.length > limit || pages.some((page) => page.length > limit);
  return { items, nextCursor: more && items.length > 0 ? encodeRejectionCursor(items[items.length - 1]!.line) : null };
}

const RejectionCursor = z.object({ campaignRejectionsAfter: z.number().int().positive() }).strict();

function decodeRejectionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const invalid = new ValidationError('The cursor is not one this list gave out.', [
    { in: 'query', field: 'cursor', detail: 'invalid cursor' },
  ]);
  try {
    const parsed = RejectionCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (!parsed.success) throw invalid;
    return parsed.data.campaignRejectionsAfter;
  } catch {
    throw invalid;
  }
}

const encodeRejectionCursor = (line: number) =>
  Buffer.from(JSON.stringify({ campaignRejectionsAfter: line }), 'utf8').toString('base64url');

/**
 * The cursor of an outreach list page: the shard being read and the last customer id read in
 * it. Pages walk shard 0 to 7 in order, each in customer-id order; a page may span shards.
 */
const OutreachCursor = z
  .object({
    shard: z
      .number()
      .int()
      .min(0)
      .max(OUTREACH_SHARDS - 1),
    after: z.string().min(1).optional(),
  })
  .strict();

function decodeOutreachCursor(cursor: string | undefined): z.infer<typeof OutreachCursor> {
  if (cursor === undefined) return { shard: 0 };
  const invalid = () =>
    new ValidationError('The cursor is not one this list gave out.', [
      { in: 'query', field: 'cursor', detail: 'invalid cursor' },
    ]);
  try {
    const parsed = OutreachCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (!parsed.success) throw invalid();
    return parsed.data;
  } catch {
    throw invalid();
  }
}

const encodeOutreachCursor = (position: z.infer<typeof OutreachCursor>) =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

/** One page of a store's outreach list, across its shards. */
export async function listOutreachEntries(
  campaignId: string,
  storeId: string,
  limit: number,
  cursor?: string,
): Promise<Page<OutreachEntry>> {
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
export async function markEntryContacted(
  campaignId: string,
  storeId: string,
  customerId: string,
  at: Date,
  userId?: string,
): Promise<boolean> {
  // A condition failing means it was marked already; contention is retried with the one backoff policy.
  return withContentionRetry(() =>
    transactIfUnchanged([
      {
        Update: {
          TableName: tableName(),
          Key: outreachKey(campaignId, storeId, customerId),
          UpdateExpression: `SET contacted = :true, contactedAt = :at${userId ? ', contactedBy = :by' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND contacted = :false',
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':at': at.toISOString(),
            ...(userId ? { ':by': userId } : {}),
          },
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
    ]),
  );
}

// ── erasure ──────────────────────────────────────────────────────────────────────────────────

/**
 * Takes an erased customer off every outreach list and out of every rejection, in every
 * campaign (also disabled ones): each entry is deleted in one transaction with its list's counts
 * (`customers`, and `contacted` when it was), so the lists stay right; the rejections that carry
 * the email are deleted. Campaign-level import counts (rows, accepted, rejected) describe the
 * uploaded file and stay. Idempotent: an entry already gone changes no count. Returns how many
 * entries and rejections were removed.
 */
export async function eraseFromCampaigns(
  customerId: string,
  email: string | undefined,
): Promise<{ entries: number; rejections: number }> {
  const campaigns = await queryAll({
    TableName: tableName(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': CAMPAIGNS_PARTITION },
  });
  let entries = 0;
  let rejections = 0;
  for (const campaign of campaigns.map(toCampaign)) {
    // The stores that have a list in this campaign: the customer's entry, if any, is one key in each.
    const storeIds = (await listsOfCampaign(campaign.campaignId)).map((list) => list.storeId);
    const storeByPk = new Map(
      storeIds.map((storeId) => [outreachKey(campaign.campaignId, storeId, customerId).pk, storeId]),
    );
    const keys = storeIds.map((storeId) => outreachKey(campaign.campaignId, storeId, customerId));
    const found = keys.length > 0 ? await batchGetAll(tableName(), keys, { consistentRead: true }) : [];
    for (const entry of found) {
      const storeId = storeByPk.get(String(entry.pk))!;
      const contacted = entry.contacted === true;
      // A failed condition: gone already (a retried erasure), or marked contacted meanwhile; the next run sees it as it is now.
      const removed = await transactIfUnchanged([
        {
          Delete: {
            TableName: tableName(),
            Key: { pk: entry.pk, sk: entry.sk },
            ConditionExpression: 'attribute_exists(pk) AND contacted = :contacted',
            ExpressionAttributeValues: { ':contacted': contacted },
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: listKey(campaign.campaignId, storeId),
            UpdateExpression: contacted ? 'ADD customers :minus, contacted :minus' : 'ADD customers :minus',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minus': -1 },
          },
        },
      ]);
      if (removed) entries++;
    }
    if (!email) continue;
    // Rejected rows keep the email as the file had it: compared as emails are (trimmed, any case).
    const shards = await Promise.all(
      Array.from({ length: IMPORT_SHARDS }, (_, shard) =>
        queryAll({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': rejectionsPk(campaign.campaignId, shard) },
          ProjectionExpression: 'pk, sk, email',
        }),
      ),
    );
    const rejected = shards.flat().filter(
      (r) =>
        String(r.email ?? '')
          .trim()
          .toLowerCase() === email,
    );
    await batchWriteAll(
      tableName(),
      rejected.map((r) => ({ DeleteRequest: { Key: { pk: r.pk, sk: r.sk } } })),
    );
    rejections += rejected.length;
  }
  return { entries, rejections };
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
export async function entriesOfCustomer(
  storeId: string,
  customerId: string,
  campaignIds: readonly string[],
): Promise<EntryActivity[]> {
  if (campaignIds.length === 0) return [];
  const items = await batchGetAll(
    tableName(),
    campaignIds.map((campaignId) => outreachKey(campaignId, storeId, customerId)),
    { consistentRead: true },
  );
  const byPk = new Map(campaignIds.map((campaignId) => [outreachKey(campaignId, storeId, customerId).pk, campaignId]));
  return items.map((item) => toActivity(byPk.get(String(item.pk)) ?? '', item));
}

/**
 * Marks a contacted customer replied on one list, once: the entry's first reply and the list's
 * `replied` count go in one transaction. False when not on the list, not contacted, or already replied.
 */
export async function markEntryReplied(
  campaignId: string,
  storeId: string,
  customerId: string,
  at: Date,
): Promise<boolean> {
  // A condition failing means it was marked already; contention is retried with the one backoff policy.
  return withContentionRetry(() =>
    transactIfUnchanged([
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
    ]),
  );
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
export function entryOrderUpdate(
  campaignId: string,
  storeId: string,
  customerId: string,
  amount: number,
  currency: string,
) {
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
    for await (const items of queryPages({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': outreachPk(campaignId, storeId, shard) },
    })) {
      yield items.map((item) => toActivity(campaignId, item));
    }
  }
}
