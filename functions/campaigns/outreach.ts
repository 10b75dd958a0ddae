/**
 * Outreach lists as stores see them, and the "contacted" mark the conversations work sets.
 * A store sees the lists of enabled campaigns only; the lists themselves never change when a
 * campaign is enabled or disabled (the campaign item carries the flag).
 */
import { NotFoundError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { getCampaigns, getList, listOutreachEntries, listsOfStore, markEntryContacted, requireCampaign, type OutreachEntry } from './repository';

export interface StoreOutreachList {
  campaignId: string;
  name: string;
  customers: number;
  contacted: number;
}

/** The store's lists from enabled campaigns, newest campaign first. */
export async function outreachListsOfStore(storeId: string): Promise<StoreOutreachList[]> {
  const lists = await listsOfStore(storeId);
  const campaigns = await getCampaigns(lists.map((list) => list.campaignId));
  return lists
    .filter((list) => {
      const campaign = campaigns.get(list.campaignId);
      return campaign?.enabled === true && !campaign.deleted;
    })
    .map(({ campaignId, name, customers, contacted }) => ({ campaignId, name, customers, contacted }));
}

/** One page of a store's list; a disabled or deleted campaign, or a store not in it, is a 404. */
export async function outreachListPage(storeId: string, campaignId: string, limit: number, cursor?: string): Promise<Page<OutreachEntry>> {
  const campaign = await requireCampaign(campaignId);
  const list = campaign.enabled ? await getList(campaignId, storeId) : undefined;
  if (!list) throw new NotFoundError(`Store ${storeId} has no enabled outreach list in campaign ${campaignId}.`);
  return listOutreachEntries(campaignId, storeId, limit, cursor);
}

/**
 * Marks the customer contacted on every outreach list of the store that has them (enabled or
 * not, so enabling later shows the truth). Idempotent: each list's `contacted` count goes up
 * only the first time.
 */
export async function markContacted(input: { storeId: string; customerId: string; at: Date }): Promise<void> {
  const lists = await listsOfStore(input.storeId);
  await Promise.all(lists.map((list) => markEntryContacted(list.campaignId, input.storeId, input.customerId, input.at)));
}
