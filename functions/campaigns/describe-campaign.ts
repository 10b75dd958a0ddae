/** What an admin reads of a campaign: its summary (the listing) and its details with the stores' lists. */
import { getStores } from '../stores/repository';
import type { Campaign } from './model';
import { importTotals, listsOfCampaign, requireCampaign } from './repository';

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

/** How far a PROCESSING import has got (docs/rules.md, "Campaign CSV rules", Progress). */
export interface ImportProgress {
  /** Data rows the import has read from the file: recorded every few seconds while it reads. */
  rowsRead: number;
  /** Data rows the chunk writers have accounted for (stored or rejected), summed at each read. */
  rowsWritten: number;
}

/**
 * The progress of a PROCESSING campaign, undefined once it has finished. Rows written are summed
 * from the chunk writers' shard counters (one BatchGetItem of 8 items), so they are current at
 * every read and no writer touches the campaign item per chunk; before the file arrives both are 0.
 */
async function progressOf(campaign: Campaign): Promise<ImportProgress | undefined> {
  if (campaign.status !== 'PROCESSING') return undefined;
  if (campaign.uploadedAt === undefined) return { rowsRead: 0, rowsWritten: 0 };
  const { rows } = await importTotals(campaign.campaignId);
  // The writers only see rows the import read; a read not recorded yet is at least what was written.
  return { rowsRead: Math.max(campaign.rowsRead, rows), rowsWritten: rows };
}

/** The campaign with its stores' lists, when its file arrived, and while PROCESSING its progress. */
export async function campaignDetails(campaignId: string) {
  const campaign = await requireCampaign(campaignId);
  const [lists, progress] = await Promise.all([listsOfCampaign(campaignId), progressOf(campaign)]);
  const known = await getStores(lists.map((list) => list.storeId));
  return {
    ...summary(campaign),
    uploadedAt: campaign.uploadedAt ?? null,
    ...(progress ? { progress } : {}),
    ...(campaign.finishedAt ? { finishedAt: campaign.finishedAt } : {}),
    stores: lists.map((list) => ({
      storeId: list.storeId,
      customers: list.customers,
      contacted: list.contacted,
      knownStore: known.has(list.storeId),
    })),
  };
}
