/**
 * Outreach lists as stores see them, and the "contacted" mark the conversations work sets.
 * A store sees the lists of enabled campaigns only; the lists themselves never change when a
 * campaign is enabled or disabled (the campaign item carries the flag).
 *
 * A touch (markContacted, markReplied) finds the customer's lists through their open-outreach
 * item at the store and the flags of the campaigns it names: two reads, whatever the number of
 * campaigns the store ever had, then one transaction per list still to mark (docs/data-model.md).
 */
import { NotFoundError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import {
  getCampaigns,
  getList,
  getOpenOutreach,
  listOutreachEntries,
  listsOfStore,
  markEntryContacted,
  markEntryReplied,
  requireCampaign,
} from './repository';
import type { Campaign, OutreachEntry } from './model';

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

/**
 * The enabled campaigns whose list at the store holds the customer, newest campaign first (as
 * the store's lists sort), with the customer's marks there: the customer's open-outreach item,
 * then one BatchGetItem of the campaigns it names (none when it names none).
 */
async function enabledOutreachOf(storeId: string, customerId: string) {
  const open = await getOpenOutreach(storeId, customerId);
  const campaigns = open.campaignIds.length > 0 ? await getCampaigns(open.campaignIds) : new Map<string, Campaign>();
  const sortKey = (campaignId: string) => `${campaigns.get(campaignId)?.createdAt}#${campaignId}`;
  const campaignIds = open.campaignIds
    .filter((campaignId) => {
      const campaign = campaigns.get(campaignId);
      return campaign?.enabled === true && !campaign.deleted;
    })
    .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0));
  return { campaignIds, contacted: open.contacted, replied: open.replied };
}

/**
 * Marks the customer contacted (by whom, when) on every list of an enabled campaign of the store
 * that has them. Idempotent: each list's `contacted` count goes up only the first time. Answers
 * the campaigns whose lists have the customer, newest first (the touch reports attribute).
 * Lists are marked one after the other: each mark also writes the customer's one open-outreach
 * item, and two transactions on one item at once would only conflict and retry.
 */
export async function markContacted(input: {
  storeId: string;
  customerId: string;
  at: Date;
  userId?: string;
}): Promise<string[]> {
  const open = await enabledOutreachOf(input.storeId, input.customerId);
  for (const campaignId of open.campaignIds.filter((id) => !open.contacted.has(id)))
    await markEntryContacted(campaignId, input.storeId, input.customerId, input.at, input.userId);
  return open.campaignIds;
}

/** Marks a contacted customer replied on the store's enabled lists that have them, once per list. */
export async function markReplied(input: { storeId: string; customerId: string; at: Date }): Promise<void> {
  const open = await enabledOutreachOf(input.storeId, input.customerId);
  for (const campaignId of open.campaignIds.filter((id) => open.contacted.has(id) && !open.replied.has(id)))
    await markEntryReplied(campaignId, input.storeId, input.customerId, input.at);
}
