/** Deleting a campaign (admin). */
import { sendToImportQueue } from './chunk-queue';
import { markDeleted } from './repository';

/**
 * Deletes the campaign: gone from every read at once (tombstone, per-store list items removed),
 * while its outreach entries are deleted in the background by the writer (a purge message).
 */
export async function deleteCampaign(campaignId: string, now: Date): Promise<void> {
  await markDeleted(campaignId, now);
  await sendToImportQueue({ type: 'purge', campaignId });
}
