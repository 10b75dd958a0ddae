/**
 * The customer's open-outreach item (docs/data-model.md, "A customer's open outreach"): written
 * beside the entries, marked with them, untouched by enabling and disabling, emptied by a
 * campaign's purge and deleted by erasure.
 */
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { campaigns, openOutreachItem, start, storeWithCampaigns } from './outreach-fixtures';

const { markContacted, markReplied } = await import('../../functions/campaigns/outreach');
const { backfillOpenOutreach } = await import('../../functions/campaigns/backfill-open-outreach');
const { openOutreachKey } = await import('../../functions/campaigns/repository/keys');
const { documentClient } = await import('../../functions/shared/clients');

describe('the open-outreach item', () => {
  it('names every campaign that has the customer, marks as the entries do, and a redelivered chunk leaves it as it was', async () => {
    const { storeId, customerId, onList } = await storeWithCampaigns(2);
    await markContacted({ storeId, customerId, at: start, userId: 'u-1' });
    const before = await openOutreachItem(storeId, customerId);
    expect(before).toMatchObject({ type: 'openOutreach', storeId, customerId, contacted: new Set([onList]) });
    expect((before!.campaigns as Set<string>).size).toBe(2);
    expect(before!.replied).toBeUndefined();

    await campaigns.putOutreachEntries([
      { campaignId: onList, storeId, customerId, email: `${customerId}@example.com` },
    ]);
    // The entry itself is rewritten as the chunk had it (the campaign was PROCESSING then); the item is unchanged.
    expect(await openOutreachItem(storeId, customerId)).toEqual(before);
  });

  it('is left alone by disabling, loses a deleted campaign in its purge, and is gone once no campaign is left', async () => {
    const { storeId, customerId, onList, disabled } = await storeWithCampaigns(1);
    await campaigns.setEnabled(onList, false);
    expect(await markContacted({ storeId, customerId, at: start })).toEqual([]);
    await campaigns.setEnabled(onList, true);
    expect(await markContacted({ storeId, customerId, at: start })).toEqual([onList]);

    await campaigns.markDeleted(onList, start);
    expect(await markContacted({ storeId, customerId, at: start })).toEqual([]);
    await campaigns.purgeCampaign((await campaigns.getCampaign(onList))!, Number.POSITIVE_INFINITY);
    expect(await openOutreachItem(storeId, customerId)).toMatchObject({ campaigns: new Set([disabled]) });
    expect((await openOutreachItem(storeId, customerId))!.contacted).toBeUndefined();

    await campaigns.markDeleted(disabled, start);
    await campaigns.purgeCampaign((await campaigns.getCampaign(disabled))!, Number.POSITIVE_INFINITY);
    expect(await openOutreachItem(storeId, customerId)).toBeUndefined();
    expect(await openOutreachItem(storeId, 'other-0')).toBeUndefined();
  });

  it('is deleted by erasure', async () => {
    const { storeId, customerId } = await storeWithCampaigns(1);
    await campaigns.eraseFromCampaigns(customerId, `${customerId}@example.com`, async () => undefined);
    expect(await openOutreachItem(storeId, customerId)).toBeUndefined();
    expect(await markContacted({ storeId, customerId, at: start })).toEqual([]);
  });

  it('is built again, marks included, by the backfill for entries written before it existed', async () => {
    const { storeId, customerId } = await storeWithCampaigns(2);
    await markContacted({ storeId, customerId, at: start, userId: 'u-1' });
    await markReplied({ storeId, customerId, at: new Date(start.getTime() + 60_000) });
    const before = await openOutreachItem(storeId, customerId);
    await documentClient.send(
      new DeleteCommand({ TableName: process.env.TABLE_NAME!, Key: openOutreachKey(storeId, customerId) }),
    );

    const first = await backfillOpenOutreach({ maxWritesPerSecond: 1_000 });
    expect(await openOutreachItem(storeId, customerId)).toEqual(before);
    const again = await backfillOpenOutreach({ maxWritesPerSecond: 1_000 });
    expect(again).toEqual(first);
    expect(await openOutreachItem(storeId, customerId)).toEqual(before);
  });
});
