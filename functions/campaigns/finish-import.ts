/**
 * The end of an import: once every chunk is done, the per-store lists and the final status.
 * Run by the import, by every chunk writer and by the watchdog; whichever gets there first wins.
 * It works within a deadline and resumes where an earlier run stopped (docs/rules.md,
 * "Campaign CSV rules", Stores).
 */
import { logger } from '../shared/logger';
import { recordImportFinished } from '../shared/metrics';
import {
  countListEntries,
  finishCampaign,
  getCampaign,
  importTotals,
  listCountsOfCampaign,
  putLists,
} from './repository';
import type { Campaign } from './model';
import { NOTHING_ACCEPTED, finalStatus } from './rules';

/** Stores counted at once: each is 8 COUNT queries (one per outreach shard) in flight together. */
const STORES_IN_FLIGHT = 4;
/** Time a caller that names no deadline (the import, a chunk writer) gives the counting. */
const FINISH_BUDGET_MS = 30_000;

/** `out-of-time`: lists were written, some stores are left; the next run resumes from them. */
export type FinishOutcome = 'finished' | 'not-ready' | 'out-of-time';

/**
 * Counts the stores that have no list yet, a few at a time, writing each one's list item as
 * soon as it is counted, until every store has its count or `deadline` passed (one group of
 * stores is always counted, so every run moves on). Stores whose count is 0 get no list.
 */
async function countMissingLists(
  campaign: Campaign,
  storeIds: readonly string[],
  deadline: number,
): Promise<Map<string, number> | undefined> {
  const counted = await listCountsOfCampaign(campaign.campaignId);
  const missing = storeIds.filter((storeId) => !counted.has(storeId));
  for (let start = 0; start < missing.length; start += STORES_IN_FLIGHT) {
    if (start > 0 && Date.now() > deadline) return undefined;
    const group = missing.slice(start, start + STORES_IN_FLIGHT);
    const counts = await Promise.all(group.map((storeId) => countListEntries(campaign.campaignId, storeId)));
    const lists = new Map(group.map((storeId, i) => [storeId, counts[i]!]));
    await putLists(campaign, new Map([...lists].filter(([, customers]) => customers > 0)));
    for (const [storeId, customers] of lists) counted.set(storeId, customers);
  }
  return counted;
}

/**
 * Ends the import once every chunk is done (and the import has said how many there are):
 * 1. counts each store's entries and writes its list item (stores with a list already are
 *    kept: a finish that ran out of time resumes there);
 * 2. moves the campaign from PROCESSING to its final status with one conditional write.
 * Safe to run twice at once (the import and the last writer may both get here): the counts are
 * the same and only one status write succeeds.
 */
export async function finishIfComplete(
  campaignId: string,
  now: Date,
  deadline = Date.now() + FINISH_BUDGET_MS,
): Promise<FinishOutcome> {
  const campaign = await getCampaign(campaignId);
  if (!campaign || campaign.deleted || campaign.status !== 'PROCESSING' || campaign.chunksTotal === undefined)
    return 'not-ready';
  const totals = await importTotals(campaignId);
  if (totals.chunksDone < campaign.chunksTotal) return 'not-ready';
  const customersByStore = await countMissingLists(campaign, totals.storeIds, deadline);
  if (!customersByStore) {
    logger.info('campaign lists partly counted; the next run resumes', { campaignId });
    return 'out-of-time';
  }
  const accepted = totals.storeIds.reduce((sum, storeId) => sum + (customersByStore.get(storeId) ?? 0), 0);
  const counts = { rows: totals.rows, accepted, rejected: totals.rejected, duplicates: totals.candidates - accepted };
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
  return 'finished';
}
