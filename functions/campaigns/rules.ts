/**
 * Campaign CSV rules (docs/rules.md, "Campaign CSV rules"), pure: the header check, the classification of a data
 * row, physical line numbers, chunk limits, the final status and the outreach shard of a
 * customer. No AWS import and no I/O, so every rule is tested table-driven.
 */
import { isValidEmail, normalizeEmail } from '../stores/rules';
import type { WireRow } from './queue-messages';

export type { ChunkMessage, ImportQueueMessage, WireRow } from './queue-messages';

export const EXPECTED_HEADER = ['customer email', 'store id'] as const;

/** Where `POST /campaigns` has the file uploaded: one key per campaign. */
export const UPLOAD_PREFIX = 'campaigns/';
export const uploadKeyOf = (campaignId: string) => `${UPLOAD_PREFIX}${campaignId}.csv`;

export const REJECTION_REASONS = ['INVALID_EMAIL', 'UNKNOWN_CUSTOMER', 'MISSING_STORE_ID', 'MALFORMED_ROW'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const CAMPAIGN_STATUSES = ['PROCESSING', 'SUCCESSFUL', 'PARTIALLY_SUCCESSFUL', 'FAILED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** A format problem that fails the whole file (nothing is written). */
export class CsvFormatError extends Error {}

// ── header ───────────────────────────────────────────────────────────────────────────────────

const normalizeHeaderCell = (cell: string): string =>
  cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** Describes what was found, quoted, so the error says exactly what the file had. */
const describeHeader = (cells: readonly string[]): string =>
  cells.length === 0 ? 'an empty line' : cells.map((c) => JSON.stringify(c.replace(/^\uFEFF/, ''))).join(', ');

/**
 * Checks the header row. A BOM, surrounding spaces and letter case are tolerated; anything else
 * (other names, a third column, the two swapped) throws with what was expected and what was found.
 */
export function checkHeader(cells: readonly string[]): void {
  const normalized = cells.map(normalizeHeaderCell);
  const matches =
    normalized.length === EXPECTED_HEADER.length && EXPECTED_HEADER.every((name, i) => normalized[i] === name);
  if (matches) return;
  const expected = EXPECTED_HEADER.map((h) => JSON.stringify(h)).join(', ');
  let why = '';
  if (normalized.length === 2 && normalized[0] === EXPECTED_HEADER[1] && normalized[1] === EXPECTED_HEADER[0])
    why = ' (the two columns are swapped)';
  else if (normalized.length > 2) why = ` (${normalized.length} columns; exactly 2 are allowed)`;
  else if (normalized.length < 2)
    why = ` (${normalized.length} column${normalized.length === 1 ? '' : 's'}; exactly 2 are required)`;
  throw new CsvFormatError(`The header must be ${expected}; found ${describeHeader(cells)}${why}.`);
}

// ── rows ─────────────────────────────────────────────────────────────────────────────────────

/** Longest email or store id kept in a rejection, so one absurd field cannot blow a queue message. */
export const MAX_FIELD_CHARS = 320;
const clip = (value: string | undefined): string => (value ?? '').slice(0, MAX_FIELD_CHARS);

/** One data row as the import hands it to the writer: valid rows carry no reason. */
export interface ClassifiedRow {
  line: number;
  email: string;
  storeId: string;
  reason?: Exclude<RejectionReason, 'UNKNOWN_CUSTOMER'>;
}

/**
 * Classifies a data row by what the file alone can tell: a different number of fields is
 * MALFORMED_ROW, then a bad email INVALID_EMAIL, then an empty store id MISSING_STORE_ID.
 * Whether a customer has the email (UNKNOWN_CUSTOMER) is the writer's question.
 */
export function classifyRow(line: number, cells: readonly string[]): ClassifiedRow {
  if (cells.length !== EXPECTED_HEADER.length) {
    return { line, email: clip(cells[0]?.trim()), storeId: clip(cells[1]?.trim()), reason: 'MALFORMED_ROW' };
  }
  const email = normalizeEmail(cells[0]!);
  const storeId = cells[1]!.trim();
  if (!isValidEmail(email))
    return { line, email: clip(cells[0]!.trim()), storeId: clip(storeId), reason: 'INVALID_EMAIL' };
  if (storeId === '') return { line, email, storeId, reason: 'MISSING_STORE_ID' };
  return { line, email, storeId: clip(storeId) };
}

// ── stores per campaign ──────────────────────────────────────────────────────────────────────

/**
 * A campaign holds at most this many distinct store ids (docs/rules.md, "Campaign CSV rules"):
 * a retailer has about 1,000 stores. The end of an import counts each store's list, and the
 * campaign item and its chunk counters keep the set of store ids, so both stay bounded.
 */
export const MAX_CAMPAIGN_STORES = 2_000;
/** …and those ids take at most this many UTF-8 bytes together: the set must fit, with room to spare, in one 400 KB item. */
export const MAX_CAMPAIGN_STORE_ID_BYTES = 200_000;

const thousands = (n: number) => n.toLocaleString('en-US');

/**
 * The distinct store ids of a file's accepted-so-far rows (rows that pass the row checks), read
 * in file order; the row that goes over either limit refuses the whole file (CsvFormatError).
 */
export class CampaignStores {
  private readonly ids = new Set<string>();
  private bytes = 0;

  add(storeId: string, line: number): void {
    if (this.ids.has(storeId)) return;
    if (this.ids.size === MAX_CAMPAIGN_STORES)
      throw new CsvFormatError(
        `The file names more than ${thousands(MAX_CAMPAIGN_STORES)} distinct store ids (the store id on line ${line} is one too many); a campaign holds at most ${thousands(MAX_CAMPAIGN_STORES)} stores: split the file by store.`,
      );
    const bytes = Buffer.byteLength(storeId);
    if (this.bytes + bytes > MAX_CAMPAIGN_STORE_ID_BYTES)
      throw new CsvFormatError(
        `The file's distinct store ids take more than ${thousands(MAX_CAMPAIGN_STORE_ID_BYTES)} bytes together (reached at line ${line}); a campaign's store ids hold at most ${thousands(MAX_CAMPAIGN_STORE_ID_BYTES)} bytes: split the file by store.`,
      );
    this.ids.add(storeId);
    this.bytes += bytes;
  }
}

// ── chunks ───────────────────────────────────────────────────────────────────────────────────

/** Rows per chunk: one writer invocation does ~10 BatchGets and ~40 BatchWrites, well inside its timeout. */
export const CHUNK_MAX_ROWS = 1_000;
/** SQS takes 256 KB per message and per SendMessageBatch; chunks stay far below so a batch packs several. */
export const CHUNK_MAX_BYTES = 60_000;
export const SEND_BATCH_MAX_BYTES = 250_000;
export const SEND_BATCH_MAX_ENTRIES = 10;

export const toWireRow = (row: ClassifiedRow): WireRow =>
  row.reason ? [row.line, row.email, row.storeId, row.reason] : [row.line, row.email, row.storeId];
export const fromWireRow = (wire: WireRow): ClassifiedRow =>
  wire.length === 4
    ? { line: wire[0], email: wire[1], storeId: wire[2], reason: wire[3] }
    : { line: wire[0], email: wire[1], storeId: wire[2] };

/** Bytes a row adds to a chunk's JSON body (an over-estimate is fine: it only closes a chunk early). */
export const wireBytes = (row: ClassifiedRow): number =>
  Buffer.byteLength(row.email) + Buffer.byteLength(row.storeId) + 40;

// ── outcome ──────────────────────────────────────────────────────────────────────────────────

export interface Counts {
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
}

/** SUCCESSFUL: nothing rejected; PARTIALLY_SUCCESSFUL: some rejected, some accepted; FAILED: nothing accepted. */
export function finalStatus(counts: Pick<Counts, 'accepted' | 'rejected'>): Exclude<CampaignStatus, 'PROCESSING'> {
  if (counts.accepted === 0) return 'FAILED';
  return counts.rejected === 0 ? 'SUCCESSFUL' : 'PARTIALLY_SUCCESSFUL';
}

export const NOTHING_ACCEPTED = 'No row was accepted: every row was rejected (see the rejections).';

/** A campaign named after a dropped file: the key's last segment without `.csv`. */
export function campaignNameFromKey(key: string): string {
  const file = key.split('/').pop() ?? key;
  const name = file.replace(/\.csv$/i, '').trim();
  return name === '' ? file : name;
}

// ── stalled imports ──────────────────────────────────────────────────────────────────────────

/**
 * An import with no recorded step (claim, chunk, chunk total) for this long has died: the
 * import function's retries are over (3 tries of at most 15 minutes start well within it) and no
 * writer is making progress. With the watchdog running every 15 minutes, a stalled import ends
 * at most 45 minutes after its last step.
 */
export const IMPORT_STALL_MINUTES = 30;
export const IMPORT_INTERRUPTED = 'import interrupted; upload the file again';
/** How long the presigned upload URL of POST /campaigns works: a campaign waits that long for its file. */
export const UPLOAD_URL_SECONDS = 3600;

export interface ImportProgress {
  chunksTotal?: number;
  chunksDone: number;
  progressAt?: string;
  createdAt: string;
  /** Set once an import has claimed an uploaded file. */
  sourceTag?: string;
  /** Notes of chunks waiting in the dead-letter queue. */
  deadLettered: readonly string[];
}

/**
 * What the watchdog does with an import that stopped making progress: every chunk written
 * (only the finishing step was lost) → finish it; anything else → FAILED with the reason.
 */
export function stalledImportVerdict(
  campaign: ImportProgress,
  now: Date,
): { action: 'wait' } | { action: 'finish' } | { action: 'fail'; error: string } {
  if (campaign.sourceTag === undefined) {
    // No file yet: its presigned upload URL may still be used; after that, nothing can arrive.
    const uploadWindowEnds = Date.parse(campaign.createdAt) + (UPLOAD_URL_SECONDS + IMPORT_STALL_MINUTES * 60) * 1000;
    if (now.getTime() < uploadWindowEnds) return { action: 'wait' };
    return {
      action: 'fail',
      error: `No file was uploaded before the upload URL expired; ${IMPORT_INTERRUPTED.replace('import interrupted; ', '')} with a new campaign.`,
    };
  }
  if (campaign.chunksTotal !== undefined && campaign.chunksDone >= campaign.chunksTotal) return { action: 'finish' };
  const written = `${campaign.chunksDone} of ${campaign.chunksTotal ?? 'an unknown number of'} chunks written`;
  const since = campaign.progressAt ? `no progress since ${campaign.progressAt}; ` : '';
  const lost = campaign.deadLettered.length > 0 ? `; ${campaign.deadLettered.join('; ')}` : '';
  return { action: 'fail', error: `${IMPORT_INTERRUPTED} (${since}${written}${lost}).` };
}

/** What a chunk that used up its receives leaves on its campaign. */
export function deadLetterNote(message: { chunk: number; rows: readonly WireRow[] }, attempts: number): string {
  const first = message.rows[0]?.[0];
  const last = message.rows[message.rows.length - 1]?.[0];
  return `rows on lines ${first}–${last} (chunk ${message.chunk}) could not be written after ${attempts} attempts and wait in the import dead-letter queue`;
}

/** What an upload is checked against when the import cannot claim its campaign. */
export interface ClaimedCampaign {
  status: CampaignStatus;
  deleted: boolean;
  sourceTag?: string;
}

/**
 * Why an upload the import could not claim is ignored, for its log line: a campaign's contents
 * never change after creation (docs/rules.md, "Campaign CSV rules", Lifecycle), so another file
 * for a campaign that has one, or for one that ended, is not imported.
 */
export function ignoredUploadReason(campaign: ClaimedCampaign | undefined, tag: string): string {
  if (!campaign || campaign.deleted) return 'the campaign was deleted';
  if (campaign.status !== 'PROCESSING')
    return `the campaign's import has ended (${campaign.status}) and its contents never change; create a new campaign (POST /campaigns) for a new file`;
  if (campaign.sourceTag !== undefined && campaign.sourceTag !== tag)
    return 'the campaign is being imported from another upload of this key (another ETag) and its contents never change; create a new campaign for a new file';
  return 'the campaign changed while the upload was being claimed';
}

/** A key that names a folder (`incoming/`), or a file with no name, is no campaign upload. */
export const isFolderMarker = (key: string): boolean =>
  key.endsWith('/') || (key.split('/').pop() ?? '').replace(/\.csv$/i, '').trim() === '';

// ── shards ───────────────────────────────────────────────────────────────────────────────────

/**
 * A (campaign, store) outreach list is spread over this many partitions, so a 100k-customer
 * store writes at up to 8x one partition's 1,000 writes/s during an import.
 */
export const OUTREACH_SHARDS = 8;

/** FNV-1a: stable across runtimes, so a customer's shard never changes. */
export function shardOf(customerId: string, shards = OUTREACH_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** Zero-padded so rejections sort by line in the sort key. */
export const padLine = (line: number): string => String(line).padStart(10, '0');
export const padChunk = (chunk: number): string => String(chunk).padStart(7, '0');
