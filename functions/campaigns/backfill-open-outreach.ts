/**
 * The one-off build of the customers' open-outreach items for campaigns imported before those
 * items existed (docs/data-model.md, "A customer's open outreach"): without it a touch finds no
 * list for those customers. Every list of every campaign that is not deleted, its entries a page
 * at a time: the campaign added to each (store, customer) item with the entry's contacted and
 * replied marks. Idempotent (sets): a run stopped half-way is simply run again. Each item write
 * takes a token from the write budget.
 */
import { TokenBucket, type BucketClock, realClock } from '../shared/token-bucket';
import { addToOpenOutreach, entriesOfList, listCampaigns, listsOfCampaign } from './repository';

export interface OpenOutreachBackfill {
  campaigns: number;
  entries: number;
  /** (store, customer) item writes: one per customer per page of a list. */
  writes: number;
}

export async function backfillOpenOutreach(options: {
  maxWritesPerSecond: number;
  clock?: BucketClock;
  onProgress?: (progress: OpenOutreachBackfill & { campaignId: string }) => void;
}): Promise<OpenOutreachBackfill> {
  const budget = new TokenBucket(options.maxWritesPerSecond, options.clock ?? realClock);
  const done: OpenOutreachBackfill = { campaigns: 0, entries: 0, writes: 0 };
  let cursor: string | undefined;
  do {
    const page = await listCampaigns(200, cursor);
    for (const campaign of page.items) {
      for (const list of await listsOfCampaign(campaign.campaignId)) {
        for await (const entries of entriesOfList(campaign.campaignId, list.storeId)) {
          done.writes += await addToOpenOutreach(
            entries.map((entry) => ({
              campaignId: campaign.campaignId,
              storeId: list.storeId,
              customerId: entry.customerId,
              contacted: entry.contacted,
              replied: entry.repliedAt !== undefined,
            })),
            () => budget.take(1),
          );
          done.entries += entries.length;
        }
      }
      done.campaigns++;
      options.onProgress?.({ ...done, campaignId: campaign.campaignId });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return done;
}
