/**
 * The end of an import: once every chunk is done, the per-store lists and the final status.
 * Run by the import, by every chunk writer and by the watchdog; whichever gets there first wins.
 */
import { logger } from '../shared/logger';
import { recordImportFinished } from '../shared/metrics';
import { countListEntries, finishCampaign, getCampaign, importTotals, putLists } from './repository';
import { NOTHING_ACCEPTED, finalStatus } from './rules';

/**
 * Ends the import once every chunk is done (and the import has said how many there are):
 * counts each store's entries, writes the per-store list items, then moves the campaign from
 * PROCESSING to its final status with one conditional write. Safe to run twice at once (the
 * import and the last writer may both get here): the counts are the same and only one
 * status write succeeds.
 */
export async function finishIfComplete(campaignId: string, now: Date): Promise<void> {
  const campaign = await getCampaign(campaignId);
  if (!campaign || campaign.deleted || campaign.status !== 'PROCESSING' || campaign.chunksTotal === undefined) return;
  const totals = await importTotals(campaignId);
  if (totals.chunksDone < campaign.chunksTotal) return;
  const customersByStore = new Map<string, number>();
  for (const storeId of totals.storeIds) customersByStore.set(storeId, await countListEntries(campaignId, storeId));
  const accepted = [...customersByStore.values()].reduce((a, b) => a + b, 0);
  const counts = { rows: totals.rows, accepted, rejected: totals.rejected, duplicates: totals.candidates - accepted };
  await putLists(campaign, new Map([...customersByStore].filter(([, customers]) => customers > 0)));
  const status = finalStatus(counts);
  const finished = await finishCampaign(campaignId, {
    status,
    counts,
    storeIds: totals.storeIds,
    now,
    ...(status === 'FAILED' ? { error: NOTHING_ACCEPTED } : {}),
  });
  if (finished) {
    recordImportFinished(status);
    logger.info('campaign import finished', { campaignId, status, ...counts });
  }
}
