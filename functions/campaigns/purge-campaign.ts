/** The background purge of a deleted (or failed) campaign, run by the import queue's consumer. */
import { logger } from '../shared/logger';
import { getCampaign, purgeCampaign } from './repository';

/**
 * Deletes a deleted (or failed) campaign's entries, rejections and chunk markers. Returns false
 * when the deadline came first, so the caller can queue the rest.
 */
export async function purge(campaignId: string, deadline: number): Promise<boolean> {
  const campaign = await getCampaign(campaignId);
  if (!campaign) return true;
  if (!campaign.deleted && campaign.status !== 'FAILED') {
    logger.warn('purge refused: campaign is neither deleted nor failed', { campaignId, status: campaign.status });
    return true;
  }
  return purgeCampaign(campaign, deadline);
}
