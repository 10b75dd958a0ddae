/**
 * Shared arrangement for the open-outreach tests: a fresh table, and stores with any number of
 * enabled campaigns, the customer on the list of one of them. Import it first (it sets TABLE_NAME
 * before any handler loads).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { useFreshTable } from '../support/table';

export const tableName = await useFreshTable('outreach');
export const campaigns = await import('../../functions/campaigns/repository');
const { openOutreachKey } = await import('../../functions/campaigns/repository/keys');
const { documentClient } = await import('../../functions/shared/clients');
const { forEachConcurrently } = await import('../../functions/shared/concurrency');

export const start = new Date('2026-03-01T10:00:00Z');

/** The customer's open-outreach item at the store, as stored. */
export const openOutreachItem = async (storeId: string, customerId: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: tableName, Key: openOutreachKey(storeId, customerId), ConsistentRead: true }),
    )
  ).Item;

/**
 * A store with `count` enabled campaigns (each with a list holding another customer) and the
 * customer on the list of one of them (the oldest, `onList`); one more campaign that has the
 * customer is disabled (`disabled`).
 */
export async function storeWithCampaigns(count: number) {
  const storeId = `store-${count}-${randomUUID().slice(0, 6)}`;
  const customerId = `cust-${randomUUID()}`;
  const make = async (i: number, withCustomer: boolean, enabled: boolean) => {
    const campaignId = randomUUID();
    await campaigns.createCampaign({ campaignId, name: `C${i}`, now: new Date(start.getTime() + i * 60_000) });
    const entries = [{ campaignId, storeId, customerId: `other-${i}`, email: `other-${i}@example.com` }];
    if (withCustomer) entries.push({ campaignId, storeId, customerId, email: `${customerId}@example.com` });
    await campaigns.putOutreachEntries(entries);
    await campaigns.finishCampaign(campaignId, { status: 'SUCCESSFUL', storeIds: [storeId], now: start });
    await campaigns.putLists((await campaigns.getCampaign(campaignId))!, new Map([[storeId, entries.length]]));
    if (enabled) await campaigns.setEnabled(campaignId, true);
    return campaignId;
  };
  const onList = await make(0, true, true);
  await forEachConcurrently(
    Array.from({ length: count - 1 }, (_, i) => i + 1),
    8,
    async (i) => {
      await make(i, false, true);
    },
  );
  const disabled = await make(count, true, false);
  return { storeId, customerId, onList, disabled };
}

export type Setup = Awaited<ReturnType<typeof storeWithCampaigns>>;
