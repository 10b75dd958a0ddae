/**
 * Outreach lists as stores see them, and the "contacted" mark the conversations work sets.
 * A store sees the lists of enabled campaigns only; the lists themselves never change when a
 * campaign is enabled or disabled (the campaign item carries the flag).
 */
import { NotFoundError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import {
  entriesOfCustomer,
  getCampaigns,
  getList,
  listOutreachEntries,
  listsOfStore,
  markEntryContacted,
  markEntryReplied,
  requireCampaign,
} from './repository';
import type { EntryActivity, OutreachEntry } from './model';

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
export async function outreachListPage(
  storeId: string,
  campaignId: string,
  limit: number,
  cursor?: string,
): Promise<Page<OutreachEntry>> {
  const campaign = await requireCampaign(campaignId);
  const list = campaign.enabled ? await getList(campaignId, storeId) : undefined;
  if (!list) throw new NotFoundError(`Store ${storeId} has no enabled outreach list in campaign ${campaignId}.`);
  return listOutreachEntries(campaignId, storeId, limit, cursor);
}

/** The store's lists of enabled campaigns on which the customer is, newest campaign first. */
async function enabledEntriesOf(storeId: string, customerId: string): Promise<EntryActivity[]> {
  const lists = await outreachListsOfStore(storeId);
  const entries = await entriesOfCustomer(
    storeId,
    customerId,
    lists.map((list) => list.campaignId),
  );
  const order = new Map(lists.map((list, index) => [list.campaignId, index]));
  return entries.sort((a, b) => (order.get(a.campaignId) ?? 0) - (order.get(b.campaignId) ?? 0));
}

/**
 * Marks the customer contacted (by whom, when) on every list of an enabled campaign of the store
 * that has them. Idempotent: each list's `contacted` count goes up only the first time. Answers
 * the campaigns whose lists have the customer, newest first (the touch reports attribute).
 */
export async function markContacted(input: {
  storeId: string;
  customerId: string;
  at: Date;
  userId?: string;
}): Promise<string[]> {
  const entries = await enabledEntriesOf(input.storeId, input.customerId);
  await Promise.all(
    entries
      .filter((entry) => !entry.contacted)
      .map((entry) => markEntryContacted(entry.campaignId, input.storeId, input.customerId, input.at, input.userId)),
  );
  return entries.map((entry) => entry.campaignId);
}

/** Marks a contacted customer replied on the store's enabled lists that have them, once per list. */
export async function markReplied(input: { storeId: string; customerId: string; at: Date }): Promise<void> {
  const entries = await enabledEntriesOf(input.storeId, input.customerId);
  await Promise.all(
    entries
      .filter((entry) => entry.contacted && !entry.repliedAt)
      .map((entry) => markEntryReplied(entry.campaignId, input.storeId, input.customerId, input.at)),
  );
}
