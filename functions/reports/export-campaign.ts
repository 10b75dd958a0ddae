/**
 * Campaign exports: a request is recorded and dropped in the uploads bucket as a small object,
 * whose object-created event runs the writer; the writer streams every list's entries into a CSV
 * with a multipart upload, so memory stays flat at one part whatever the campaign's size.
 */
import { randomUUID } from 'node:crypto';
import { entriesOfList, listsOfCampaign, requireCampaign } from '../campaigns/repository';
import { loadS3 } from '../shared/s3';
import { loadConfig } from '../shared/config';
import { NotFoundError } from '../shared/errors';
import { ObjectWriter } from '../shared/object-writer';
import { logger } from '../shared/logger';
import type { ExportStatus } from './model';
import { getExport, putExport } from './repository/exports';
import { csvLine, EXPORT_EXPIRY_DAYS, EXPORT_HEADER, exportExpiresAt, exportRevenue } from './rules';

const bucket = () => loadConfig('uploads').uploads;
/** Where export requests land; the export writer's S3 trigger watches this prefix. */
export const EXPORT_REQUEST_PREFIX = 'exports/requests/';
const DOWNLOAD_URL_SECONDS = 15 * 60;
export const EXPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Starts an export: the campaign must exist (404); answers its id at once. */
export async function requestExport(campaignId: string, now: Date): Promise<{ exportId: string }> {
  await requireCampaign(campaignId);
  const exportId = randomUUID();
  await putExport({
    campaignId,
    exportId,
    status: 'PENDING',
    objectKey: `exports/${campaignId}/${exportId}.csv`,
    createdAt: now.toISOString(),
  });
  const { client, sdk } = await loadS3();
  await client.send(
    new sdk.PutObjectCommand({
      Bucket: bucket(),
      Key: `${EXPORT_REQUEST_PREFIX}${campaignId}/${exportId}.json`,
      Body: JSON.stringify({ campaignId, exportId }),
      ContentType: 'application/json',
    }),
  );
  return { exportId };
}

/** An export's state; 404 for one unknown or expired (its object is gone with the bucket's lifecycle). */
export async function exportState(
  campaignId: string,
  exportId: string,
  now: Date,
): Promise<{ status: ExportStatus; url?: string }> {
  const record = await getExport(campaignId, exportId);
  if (!record) throw new NotFoundError(`Campaign ${campaignId} has no export ${exportId}.`);
  if (exportExpiresAt(record.createdAt) <= now)
    throw new NotFoundError(
      `Export ${exportId} of campaign ${campaignId} expired ${EXPORT_EXPIRY_DAYS} days after it was made.`,
    );
  if (record.status !== 'READY') return { status: record.status };
  const { client, sdk } = await loadS3();
  const url = await sdk.getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: bucket(), Key: record.objectKey }), {
    expiresIn: DOWNLOAD_URL_SECONDS,
  });
  return { status: 'READY', url };
}

/** The (campaignId, exportId) of a request object's key, or undefined for any other key. */
export function exportOfRequestKey(key: string): { campaignId: string; exportId: string } | undefined {
  const match = /^exports\/requests\/([^/]+)\/([0-9a-f-]{36})\.json$/.exec(key);
  return match ? { campaignId: match[1]!, exportId: match[2]! } : undefined;
}

/**
 * Writes one export:
 * 1. A request already READY or FAILED (a redelivered event) is left alone.
 * 2. Every list of the campaign, entry by entry, into CSV lines (formula-safe), in parts of 5 MiB.
 * 3. READY with the object; any failure aborts the upload and marks the export FAILED.
 */
export async function writeExport(campaignId: string, exportId: string): Promise<ExportStatus> {
  const record = await getExport(campaignId, exportId);
  if (record?.status !== 'PENDING') return record?.status ?? 'FAILED';
  const out = new ObjectWriter({ bucket: bucket(), key: record.objectKey, contentType: EXPORT_CONTENT_TYPE });
  const write = (line: string) => out.write(line);
  try {
    await write(csvLine(EXPORT_HEADER));
    for (const list of await listsOfCampaign(campaignId)) {
      for await (const entries of entriesOfList(campaignId, list.storeId)) {
        for (const entry of entries) {
          await write(
            csvLine([
              entry.email,
              list.storeId,
              entry.contacted,
              entry.contactedBy ?? '',
              entry.contactedAt ?? '',
              entry.repliedAt !== undefined,
              entry.ordersPaid,
              exportRevenue(entry.revenue, entry.currency),
              entry.currency ?? '',
            ]),
          );
        }
      }
    }
    await out.complete();
    await putExport({ ...record, status: 'READY' });
    return 'READY';
  } catch (error) {
    logger.error('campaign export failed', { campaignId, exportId, error: error as Error });
    await out.abort();
    await putExport({ ...record, status: 'FAILED', error: (error as Error).message });
    return 'FAILED';
  }
}
