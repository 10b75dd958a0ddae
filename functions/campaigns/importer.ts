/**
 * The import use case: one uploaded object becomes queued chunks of classified rows.
 *
 * 0. Skips a file an erasure wrote again (docs/rules.md, "Compliance"): it was imported already.
 * 1. Finds the campaign: `campaigns/<id>.csv` belongs to a campaign made by POST /campaigns;
 *    `incoming/<name>.csv` creates one named after the file, with an id derived from the
 *    object (bucket, key, event sequencer or version or ETag), created under a condition, so a
 *    redelivered S3 event finds the campaign its first delivery created.
 * 2. Ties the campaign to that object (another upload to the same key is ignored).
 * 3. Streams the object through csv-parser: the header is checked before any row is queued; rows
 *    are classified and packed into chunks numbered from 0, in file order; a file naming more
 *    distinct store ids than a campaign holds is refused at the row that goes over. The same object gives
 *    the same chunks, so a repeated import re-sends chunks the writer recognises. Every
 *    ROWS_READ_EVERY_MS the rows read so far are recorded on the campaign (one UpdateItem).
 * 4. Records how many chunks there are and finishes the campaign if the writers are already done.
 * A format error turns the campaign FAILED with the reason.
 */
import { randomUUID, createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { loadS3 } from '../shared/s3';
import { systemClock, type Clock } from '../shared/clock';
import { ERASURE_REWRITE_METADATA } from '../shared/csv-rewrite';
import { logger } from '../shared/logger';
import { recordImportFinished } from '../shared/metrics';
import { BatchingSender, sendBatchToImportQueue, sendToImportQueue, type SendBatch } from './chunk-queue';
import { readCampaignRows } from './csv';
import {
  claimSource,
  createCampaign,
  failCampaign,
  getCampaign,
  recordChunksTotal,
  recordRowsRead,
} from './repository';
import {
  CHUNK_MAX_BYTES,
  CHUNK_MAX_ROWS,
  CampaignStores,
  CsvFormatError,
  campaignNameFromKey,
  ignoredUploadReason,
  isFolderMarker,
  toWireRow,
  wireBytes,
  type ClassifiedRow,
  type WireRow,
  UPLOAD_PREFIX,
} from './rules';
import { finishIfComplete } from './finish-import';

export const DROP_PREFIX = 'incoming/';

export interface UploadedObject {
  bucket: string;
  /** Decoded key. */
  key: string;
  eTag?: string;
  versionId?: string;
  sequencer?: string;
}

export interface ImportDependencies {
  /** Opens the object's body as a stream. */
  open(object: UploadedObject): Promise<Readable>;
  send: SendBatch;
  /** Whether the object is an erasure's rewrite of a campaign file (never imported). */
  isErasureRewrite(object: UploadedObject): Promise<boolean>;
  /** The time progress is measured with (tests move it on). */
  clock: Clock;
  /** How often the rows read are recorded on the campaign. */
  progressEveryMs: number;
}

/**
 * How often the import records the rows it has read: GET /campaigns/{id} shows them while
 * PROCESSING (docs/rules.md, "Campaign CSV rules", Progress), and each record is a progress mark
 * for the import watchdog. One UpdateItem per interval, never one per row.
 */
export const ROWS_READ_EVERY_MS = 5_000;

const defaultDependencies: ImportDependencies = {
  open: async (object) => {
    const { client, sdk } = await loadS3();
    const out = await client.send(
      new sdk.GetObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        ...(object.versionId ? { VersionId: object.versionId } : {}),
      }),
    );
    if (!out.Body) throw new Error(`s3://${object.bucket}/${object.key} has no body`);
    return out.Body as Readable;
  },
  send: sendBatchToImportQueue,
  isErasureRewrite: async (object) => {
    const { client, sdk } = await loadS3();
    try {
      const head = await client.send(
        new sdk.HeadObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          ...(object.versionId ? { VersionId: object.versionId } : {}),
        }),
      );
      return head.Metadata?.[ERASURE_REWRITE_METADATA] !== undefined;
    } catch (error) {
      // A missing object is no rewrite; opening it fails the import as it always did.
      if ((error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  },
  clock: systemClock,
  progressEveryMs: ROWS_READ_EVERY_MS,
};

/**
 * Told the count of rows read after each row; a promise only when it records it (the time check
 * is synchronous, so a row costs no extra await).
 */
type RowsReadListener = (rowsRead: number) => Promise<void> | undefined;

/**
 * Records the rows read on the campaign at most once per `everyMs` of `clock`. A failed record
 * is logged and the import goes on: progress is for people watching, the import's outcome does
 * not depend on it.
 */
function rowsReadRecorder(campaignId: string, clock: Clock, everyMs: number): RowsReadListener {
  let last = clock().getTime();
  return (rowsRead) => {
    const now = clock();
    if (now.getTime() - last < everyMs) return undefined;
    last = now.getTime();
    return recordRowsRead(campaignId, rowsRead, now).then(
      () => undefined,
      (error: unknown) => logger.warn('rows read not recorded; the import goes on', { campaignId, rowsRead, error }),
    );
  };
}

/** A campaign id that only this drop-folder object maps to, shaped like a UUID. */
export function dropCampaignId(object: UploadedObject): string {
  const version = object.sequencer ?? object.versionId ?? object.eTag ?? '';
  const hex = createHash('sha256').update(`${object.bucket}\n${object.key}\n${version}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const newCampaignId = () => randomUUID();

async function campaignFor(object: UploadedObject, now: Date): Promise<string | undefined> {
  if (object.key.startsWith(UPLOAD_PREFIX)) {
    const campaignId = object.key.slice(UPLOAD_PREFIX.length).replace(/\.csv$/, '');
    return (await getCampaign(campaignId)) ? campaignId : undefined;
  }
  if (object.key.startsWith(DROP_PREFIX)) {
    const campaignId = dropCampaignId(object);
    const created = await createCampaign({ campaignId, name: campaignNameFromKey(object.key), now });
    if (!created)
      logger.info('drop-folder object already has its campaign (redelivered event)', { campaignId, key: object.key });
    return campaignId;
  }
  return undefined;
}

export interface ImportOutcome {
  campaignId?: string;
  outcome: 'queued' | 'failed' | 'skipped';
  rows?: number;
  chunks?: number;
  error?: string;
}

/**
 * Streams rows into chunks and hands each to the sender; returns the totals. A file over the
 * campaign's store limit (rules.ts, CampaignStores) is refused at the row that goes over it.
 * `onRow` hears the count of rows read after each one.
 */
export async function queueChunks(
  campaignId: string,
  body: Readable,
  send: SendBatch,
  onRow: RowsReadListener = () => undefined,
): Promise<{ rows: number; chunks: number }> {
  const sender = new BatchingSender(send);
  let chunk = 0;
  let rows: WireRow[] = [];
  let bytes = 0;
  const seal = async () => {
    if (rows.length === 0) return;
    await sender.add(`c${chunk}`, { type: 'rows', campaignId, chunk, rows });
    chunk++;
    rows = [];
    bytes = 0;
  };
  const reader = readCampaignRows(body);
  const stores = new CampaignStores();
  let total = 0;
  for (let read = 1; ; read++) {
    const next: IteratorResult<ClassifiedRow, { rows: number }> = await reader.next();
    if (next.done) {
      total = next.value.rows;
      break;
    }
    const recording = onRow(read);
    if (recording) await recording;
    if (!next.value.reason) stores.add(next.value.storeId, next.value.line);
    const size = wireBytes(next.value);
    if (rows.length === CHUNK_MAX_ROWS || bytes + size > CHUNK_MAX_BYTES) await seal();
    rows.push(toWireRow(next.value));
    bytes += size;
  }
  await seal();
  await sender.flush();
  return { rows: total, chunks: chunk };
}

export async function importObject(
  object: UploadedObject,
  now: Date,
  given: Partial<ImportDependencies> = {},
): Promise<ImportOutcome> {
  const deps: ImportDependencies = { ...defaultDependencies, ...given };
  if (isFolderMarker(object.key)) {
    logger.info('upload ignored: a folder marker or a file without a name', { bucket: object.bucket, key: object.key });
    return { outcome: 'skipped' };
  }
  // An erasure wrote the file again without a customer's rows: its campaign exists (a drop-folder
  // copy would otherwise start a new one).
  if (await deps.isErasureRewrite(object)) {
    logger.info('upload ignored: an erasure rewrote this campaign file, which was imported already', {
      bucket: object.bucket,
      key: object.key,
    });
    return { outcome: 'skipped' };
  }
  const campaignId = await campaignFor(object, now);
  if (!campaignId) {
    const reason = object.key.startsWith(UPLOAD_PREFIX)
      ? 'no campaign has this id: upload to the URL POST /campaigns answered (the campaign may have been deleted)'
      : `the key is under neither ${DROP_PREFIX} nor ${UPLOAD_PREFIX}`;
    logger.warn('upload ignored: not a campaign upload', { bucket: object.bucket, key: object.key, reason });
    return { outcome: 'skipped' };
  }
  const sourceTag = object.eTag ?? object.versionId ?? object.sequencer ?? 'unknown';
  if (!(await claimSource(campaignId, { key: object.key, tag: sourceTag }, now))) {
    const reason = ignoredUploadReason(await getCampaign(campaignId), sourceTag);
    logger.warn('upload ignored: the campaign has its file', { campaignId, key: object.key, reason });
    return { campaignId, outcome: 'skipped' };
  }
  let totals: { rows: number; chunks: number };
  let queued = 0;
  try {
    const body = await deps.open(object);
    totals = await queueChunks(
      campaignId,
      body,
      async (entries) => {
        await deps.send(entries);
        queued += entries.length;
      },
      rowsReadRecorder(campaignId, deps.clock, deps.progressEveryMs),
    );
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    if (await failCampaign(campaignId, error.message, now)) recordImportFinished('FAILED');
    // A file that went bad half-way may already have had chunks written: clear them in the background.
    if (queued > 0) await sendToImportQueue({ type: 'purge', campaignId });
    logger.warn('campaign import FAILED: the file was refused', { campaignId, key: object.key, reason: error.message });
    return { campaignId, outcome: 'failed', error: error.message };
  }
  await recordChunksTotal(campaignId, totals.chunks, totals.rows, now);
  await finishIfComplete(campaignId, now);
  return { campaignId, outcome: 'queued', rows: totals.rows, chunks: totals.chunks };
}
