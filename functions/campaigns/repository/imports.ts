/**
 * An import's writes: the campaign item's claim, rows read, chunk total, progress mark and final status;
 * each chunk's exactly-once marker and its shard's counters; the watchdog's list of stalled
 * imports. Keys: ./keys.ts.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { batchGetAll, queryAll } from '../../shared/dynamo/batches';
import { transactIfUnchanged, withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { ImportTotals } from '../model';
import type { CampaignStatus, Counts } from '../rules';
import {
  IMPORTS_IN_PROGRESS,
  campaignIdOfPk,
  campaignKey,
  chunkKey,
  countsKey,
  countsShardOf,
  importShards,
  progressSk,
} from './keys';
import { putIfAbsent, tableName } from '../../shared/dynamo/table';

/** Moves a PROCESSING campaign's progress mark (its place in the watchdog's index). */
const PROGRESS_SET = 'progressAt = :progressAt, gsi3pk = :importsPk, gsi3sk = :progressSk';
const progressValues = (campaignId: string, now: Date) => ({
  ':progressAt': now.toISOString(),
  ':importsPk': IMPORTS_IN_PROGRESS,
  ':progressSk': progressSk(now, campaignId),
});

/** A conditional UpdateItem of an import step; false when its condition failed (the state moved on). */
const updateIfUnchanged = (input: ConstructorParameters<typeof UpdateCommand>[0]) =>
  writeIfUnchanged(() => documentClient.send(new UpdateCommand(input)));

/**
 * Ties the campaign to the S3 object being imported. The same object again (a redelivered
 * event) is fine; another object under the same key is refused, since contents never change.
 * The key is kept too: an erasure finds the file there (docs/rules.md, "Compliance").
 * `uploadedAt` is set by the first claim only: the time the import started on the file.
 */
export async function claimSource(
  campaignId: string,
  source: { key: string; tag: string },
  now: Date,
): Promise<boolean> {
  return updateIfUnchanged({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: `SET sourceTag = :tag, sourceKey = :key, uploadedAt = if_not_exists(uploadedAt, :now), ${PROGRESS_SET}`,
    ConditionExpression:
      'attribute_exists(pk) AND #status = :processing AND attribute_not_exists(deletedAt) AND (attribute_not_exists(sourceTag) OR sourceTag = :tag)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':tag': source.tag,
      ':key': source.key,
      ':now': now.toISOString(),
      ':processing': 'PROCESSING',
      ...progressValues(campaignId, now),
    },
  });
}

/**
 * The rows the import has read so far, with a progress mark (docs/rules.md, "Campaign CSV
 * rules", Progress). The import calls it at most once every few seconds, never per row. The
 * condition keeps it from racing the end: a finished, failed or deleted campaign is left as it
 * is (the write would put it back in the watchdog's index), and a smaller count (a redelivered
 * event reading the file again) never replaces a larger one. False when nothing was written.
 */
export async function recordRowsRead(campaignId: string, rowsRead: number, now: Date): Promise<boolean> {
  return updateIfUnchanged({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: `SET rowsRead = :rowsRead, ${PROGRESS_SET}`,
    ConditionExpression:
      '#status = :processing AND attribute_not_exists(deletedAt) AND (attribute_not_exists(rowsRead) OR rowsRead < :rowsRead)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':rowsRead': rowsRead,
      ':processing': 'PROCESSING',
      ...progressValues(campaignId, now),
    },
  });
}

/** The import read the whole file: how many chunks the writers must finish (and every row read). */
export async function recordChunksTotal(
  campaignId: string,
  chunksTotal: number,
  rowsInFile: number,
  now: Date,
): Promise<void> {
  // A failed condition: already finished (or failed) meanwhile, or a different count from an
  // earlier run of the same object: nothing to record.
  await updateIfUnchanged({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: `SET chunksTotal = :total, rowsInFile = :rows, rowsRead = :rows, ${PROGRESS_SET}`,
    ConditionExpression: '#status = :processing AND (attribute_not_exists(chunksTotal) OR chunksTotal = :total)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':total': chunksTotal,
      ':rows': rowsInFile,
      ':processing': 'PROCESSING',
      ...progressValues(campaignId, now),
    },
  });
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
  return updateIfUnchanged({
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
  });
}

export async function isChunkDone(campaignId: string, chunk: number): Promise<boolean> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: chunkKey(campaignId, chunk), ConsistentRead: true }),
  );
  return out.Item !== undefined;
}

/**
 * Tries of a chunk's counter transaction. Chunks of the same shard finishing together update one
 * counter item and DynamoDB cancels the losers with TransactionConflict: with a writer per queued
 * chunk in flight, one counter item sees far more contention than an outreach entry, hence more
 * tries than the default.
 */
const CHUNK_COUNTER_ATTEMPTS = 21;

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
  return withContentionRetry(
    () =>
      transactIfUnchanged([
        putIfAbsent({ ...chunkKey(campaignId, chunk), type: 'chunkDone', rows: counts.rows, at: now.toISOString() }),
        {
          Update: {
            TableName: tableName(),
            Key: countsKey(campaignId, countsShardOf(chunk)),
            UpdateExpression: `ADD ${add}`,
            ExpressionAttributeNames: { '#rows': 'rows' },
            ExpressionAttributeValues: values,
          },
        },
      ]),
    CHUNK_COUNTER_ATTEMPTS,
  );
}

/** The sum of the chunk counters over every shard (consistent reads: the end of an import decides on it). */
export async function importTotals(campaignId: string): Promise<ImportTotals> {
  const items = await batchGetAll(
    tableName(),
    importShards().map((shard) => countsKey(campaignId, shard)),
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

/** How often chunk writers move the campaign's progress mark (the watchdog waits 30 minutes). */
export const PROGRESS_EVERY_MS = 60_000;

/** Moves a PROCESSING campaign's progress mark, unless another writer moved it in the last minute. */
export async function touchProgress(campaignId: string, now: Date): Promise<void> {
  await updateIfUnchanged({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: `SET ${PROGRESS_SET}`,
    ConditionExpression: '#status = :processing AND (attribute_not_exists(progressAt) OR progressAt < :staleBefore)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':processing': 'PROCESSING',
      ':staleBefore': new Date(now.getTime() - PROGRESS_EVERY_MS).toISOString(),
      ...progressValues(campaignId, now),
    },
  });
}

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
  return items.map((item) => campaignIdOfPk(String(item.pk)));
}

/**
 * Marks a chunk that used up its receives: SQS moves it to the dead-letter queue, where it
 * stays for a redrive; the campaign keeps the lines it holds, so the watchdog can say which
 * rows are missing if nobody redrives it in time. No progress is recorded.
 */
export async function markChunkDeadLettered(campaignId: string, note: string): Promise<void> {
  await updateIfUnchanged({
    TableName: tableName(),
    Key: campaignKey(campaignId),
    UpdateExpression: 'ADD deadLettered :note',
    ConditionExpression: 'attribute_exists(pk) AND #status = :processing',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':note': new Set([note]), ':processing': 'PROCESSING' },
  });
}
