/** What an admin reads of a campaign: its summary (the listing) and its details with the stores' lists. */
import { getStores } from '../stores/repository';
import type { Campaign } from './model';
import { listsOfCampaign, requireCampaign } from './repository';

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
