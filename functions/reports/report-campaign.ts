/** A campaign's report: its lists' counts plus the attribution counters, per store and in total. */
import { listsOfCampaign, repliedByStore, requireCampaign } from '../campaigns/repository';
import type { CampaignReport } from './model';
import { campaignCounterItems } from './repository/counters';
import { addMoney, revenueOf } from './rules';

/**
 * 1. The campaign must exist (404).
 * 2. Customers, contacted and replied per store from the lists; carts, orders and revenue from the
 *    store's counter shards, summed. The cost grows with stores × shards, never with messages.
 */
export async function campaignReport(campaignId: string): Promise<CampaignReport> {
  await requireCampaign(campaignId);
  const [lists, replied, counters] = await Promise.all([
    listsOfCampaign(campaignId),
    repliedByStore(campaignId),
    campaignCounterItems(campaignId),
  ]);
  const storeIds = [
    ...new Set([...lists.map((list) => list.storeId), ...counters.map((item) => String(item.storeId))]),
  ].sort();
  const stores = storeIds.map((storeId) => {
    const list = lists.find((l) => l.storeId === storeId);
    const shards = counters.filter((item) => item.storeId === storeId);
    const sum = (name: string) => shards.reduce((total, item) => total + Number(item[name] ?? 0), 0);
    return {
      storeId,
      customers: list?.customers ?? 0,
      contacted: list?.contacted ?? 0,
      replied: replied.get(storeId) ?? 0,
      cartsShared: sum('cartsShared'),
      ordersPaid: sum('ordersPaid'),
      revenue: revenueOf(shards),
    };
  });
  const total = (name: 'customers' | 'contacted' | 'replied' | 'cartsShared' | 'ordersPaid') =>
    stores.reduce((sum, store) => sum + store[name], 0);
  return {
    campaignId,
    stores,
    totals: {
      customers: total('customers'),
      contacted: total('contacted'),
      replied: total('replied'),
      cartsShared: total('cartsShared'),
      ordersPaid: total('ordersPaid'),
      revenue: addMoney(...stores.map((store) => store.revenue)),
    },
  };
}
