/**
 * The one-off backfill behind `npm run backfill-ttl` (README.md, "Runbook"): report markers
 * written before they carried `ttl` have their expiry in `expiresAt` only, an attribute the
 * table's TTL does not read, so they never expired. This scans the table in parallel segments
 * for items with a numeric `expiresAt` (epoch seconds) and no `ttl`, and sets `ttl` to it with a
 * conditional update, at most `maxWritesPerSecond` updates a second across all segments.
 *
 * Idempotent: an item that has `ttl` is never matched nor written (the condition guards against
 * a change between the scan and the write), so a second run writes nothing. Resumable: each
 * page's progress reports every segment's position (`cursors`), and a run given them goes on
 * from there. Carts and links carry `expiresAt` as an ISO string beside their own `ttl`: a
 * string `expiresAt` is never matched.
 */
import { ScanCommand, type ScanCommandOutput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../shared/clients';
import { forEachConcurrently } from '../shared/concurrency';
import { writeIfUnchanged } from '../shared/dynamo/conditions';
import { TABLE } from '../shared/table';

/** Where one segment stands: `null` not started, a key to scan on from, `'done'` finished. */
export type SegmentCursor = Record<string, unknown> | null | 'done';

export interface BackfillProgress {
  cursors: SegmentCursor[];
  /** Items matched so far (a numeric `expiresAt`, no `ttl`). */
  matched: number;
  /** `ttl` set. */
  updated: number;
  /** Matched, but changed before the write (a `ttl` set meanwhile, or deleted): left alone. */
  skipped: number;
}

export interface BackfillOptions {
  tableName: string;
  segments: number;
  maxWritesPerSecond: number;
  /** Items a scan page evaluates (DynamoDB's Limit); the default is DynamoDB's 1 MB page. */
  pageSize?: number;
  /** The last progress of an interrupted run, to go on from there (its totals carry on too). */
  resume?: Readonly<BackfillProgress>;
  /** Told after every page; a run stopped after it can resume from `progress.cursors`. */
  onProgress?: (progress: Readonly<BackfillProgress>) => void | Promise<void>;
  /** Test seam: the clock and the wait of the write budget. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** Spaces calls evenly so that no more than `perSecond` start in any second, across every caller. */
export function writeBudget(
  perSecond: number,
  now: () => number = Date.now,
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
): () => Promise<void> {
  if (!(perSecond > 0)) throw new Error('the write budget must be a positive number of writes per second');
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    const at = Math.max(now(), next);
    next = at + interval;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  };
}

/** Runs the backfill to the end (or resumes one) and answers the totals. */
export async function backfillTtl(options: BackfillOptions): Promise<BackfillProgress> {
  const { tableName, segments } = options;
  if (!Number.isInteger(segments) || segments < 1) throw new Error('segments must be a positive integer');
  if (options.resume && options.resume.cursors.length !== segments)
    throw new Error(`the saved progress has ${options.resume.cursors.length} segments, not ${segments}`);
  const progress: BackfillProgress = options.resume
    ? { ...options.resume, cursors: [...options.resume.cursors] }
    : { cursors: Array.from({ length: segments }, () => null), matched: 0, updated: 0, skipped: 0 };
  const acquire = writeBudget(options.maxWritesPerSecond, options.now, options.sleep);
  const ttl = TABLE.ttlAttribute;

  const scanSegment = async (segment: number) => {
    while (progress.cursors[segment] !== 'done') {
      const from = progress.cursors[segment];
      const page: ScanCommandOutput = await documentClient.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          FilterExpression: 'attribute_type(expiresAt, :number) AND attribute_not_exists(#ttl)',
          ProjectionExpression: '#pk, #sk, expiresAt',
          ExpressionAttributeNames: { '#ttl': ttl, '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
          ExpressionAttributeValues: { ':number': 'N' },
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        progress.matched++;
        await acquire();
        const set = await writeIfUnchanged(() =>
          documentClient.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { [TABLE.partitionKey]: item[TABLE.partitionKey], [TABLE.sortKey]: item[TABLE.sortKey] },
              UpdateExpression: 'SET #ttl = :expiresAt',
              ConditionExpression: 'attribute_not_exists(#ttl) AND expiresAt = :expiresAt',
              ExpressionAttributeNames: { '#ttl': ttl },
              ExpressionAttributeValues: { ':expiresAt': item.expiresAt },
            }),
          ),
        );
        if (set) progress.updated++;
        else progress.skipped++;
      }
      progress.cursors[segment] = page.LastEvaluatedKey ?? 'done';
      await options.onProgress?.(progress);
    }
  };

  await forEachConcurrently(
    Array.from({ length: segments }, (_, segment) => segment),
    segments,
    scanSegment,
  );
  return progress;
}
