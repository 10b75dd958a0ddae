/**
 * The admin use cases of campaigns: create one with its upload URL, read its details, delete it.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '../shared/clients';
import { loadConfig } from '../shared/config';
import { getStores } from '../stores/repository';
import { sendToImportQueue } from './chunk-queue';
import { newCampaignId, uploadKeyOf } from './importer';
import { UPLOAD_URL_SECONDS } from './rules';
import type { Campaign } from './model';
import { createCampaign, listsOfCampaign, markDeleted, requireCampaign } from './repository';

const CSV_CONTENT_TYPE = 'text/csv';

export interface CampaignUpload {
  campaignId: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };
}

/** Creates the campaign (PROCESSING, disabled) and a presigned PUT for its file; the upload starts the import. */
export async function createCampaignWithUpload(name: string, now: Date): Promise<CampaignUpload> {
  const campaignId = newCampaignId();
  await createCampaign({ campaignId, name, now });
  const command = new PutObjectCommand({
    Bucket: loadConfig('uploads').uploads,
    Key: uploadKeyOf(campaignId),
    ContentType: CSV_CONTENT_TYPE,
  });
  const url = await getSignedUrl(s3, command, {
    expiresIn: UPLOAD_URL_SECONDS,
    signableHeaders: new Set(['content-type']),
  });
  return {
    campaignId,
    upload: {
      url,
      method: 'PUT',
      headers: { 'Content-Type': CSV_CONTENT_TYPE },
      expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    },
  };
}

export interface CampaignSummary {
  campaignId: string;
  name: string;
  status: Campaign['status'];
  enabled: boolean;
  createdAt: string;
  counts: { rows: number; accepted: number; rejected: number; duplicates: number };
  error?: string;
}

/** While PROCESSING, counts show the progress so far (accepted and duplicates are known at the end). */
export function summary(campaign: Campaign): CampaignSummary {
  return {
    campaignId: campaign.campaignId,
    name: campaign.name,
    status: campaign.status,
    enabled: campaign.enabled,
    createdAt: campaign.createdAt,
    counts: {
      rows: campaign.rows,
      accepted: campaign.accepted ?? 0,
      rejected: campaign.rejected,
      duplicates: campaign.duplicates ?? 0,
    },
    ...(campaign.error ? { error: campaign.error } : {}),
  };
}

export async function campaignDetails(campaignId: string) {
  const campaign = await requireCampaign(campaignId);
  const lists = await listsOfCampaign(campaignId);
  const known = await getStores(lists.map((list) => list.storeId));
  return {
    ...summary(campaign),
    ...(campaign.finishedAt ? { finishedAt: campaign.finishedAt } : {}),
    stores: lists.map((list) => ({
      storeId: list.storeId,
      customers: list.customers,
      contacted: list.contacted,
      knownStore: known.has(list.storeId),
    })),
  };
}

/**
 * Deletes the campaign: gone from every read at once (tombstone, per-store list items removed),
 * while its outreach entries are deleted in the background by the writer (a purge message).
 */
export async function deleteCampaign(campaignId: string, now: Date): Promise<void> {
  await markDeleted(campaignId, now);
  await sendToImportQueue({ type: 'purge', campaignId });
}
