/**
 * The request budget of an outreach touch (docs/data-model.md, "a customer's open outreach"):
 * marking a customer contacted or replied costs the same number of DynamoDB requests whether
 * the store ever had 2 campaigns or 200, when the customer is on one of them.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRequests } from '../support/requests';
import { useFreshTable } from '../support/table';

await useFreshTable('budget');
const campaigns = await import('../../functions/campaigns/repository');
const { markContacted, markReplied } = await import('../../functions/campaigns/outreach');
const { recordOutboundTouch } = await import('../../functions/reports/record-outbound-touch');
const { recordInboundReply } = await import('../../functions/reports/record-reply');
const { openOutreachKey } = await import('../../functions/campaigns/repository/keys');
const { documentClient } = await import('../../functions/shared/clients');
const { GetCommand } = await import('@aws-sdk/lib-dynamodb');

const openOutreachItem = async (storeId: string, customerId: string) =>
  (
    await documentClient.send(
      new GetCommand({
        TableName: process.env.TABLE_NAME,
        Key: openOutreachKey(storeId, customerId),
        ConsistentRead: true,
      }),
    )
  ).Item;

const start = new Date('2026-03-01T10:00:00Z');

/**
 * A store with `count` enabled campaigns (each with a list holding another customer) and the
 * customer on the list of one of them (the oldest); one more campaign that has the customer is disabled.
 */
async function storeWithCampaigns(count: number) {
  const storeId = `store-${count}-${randomUUID().slice(0, 6)}`;
  const customerId = `cust-${randomUUID()}`;
  let onList = '';
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
  for (let i = 0; i < count; i++) {
    const campaignId = await make(i, i === 0, true);
    if (i === 0) onList = campaignId;
  }
  await make(count, true, false);
  return { storeId, customerId, onList };
}

type Setup = Awaited<ReturnType<typeof storeWithCampaigns>>;

/** Every touch of one customer, in order, with the requests each made. */
async function touches({ storeId, customerId }: Setup) {
  const conversationId = randomUUID();
  const at = (minutes: number) => new Date(start.getTime() + 3 * 3600_000 + minutes * 60_000);
  const contactedFirst = await countRequests(() => markContacted({ storeId, customerId, at: at(0), userId: 'u-1' }));
  const contactedAgain = await countRequests(() => markContacted({ storeId, customerId, at: at(1), userId: 'u-1' }));
  const repliedFirst = await countRequests(() => markReplied({ storeId, customerId, at: at(2) }));
  const repliedAgain = await countRequests(() => markReplied({ storeId, customerId, at: at(3) }));
  const outbound = await countRequests(() =>
    recordOutboundTouch({
      storeId,
      customerId,
      conversationId,
      messageId: `m-${randomUUID()}`,
      sentBy: 'u-1',
      actingUserId: 'u-1',
      at: at(4),
    }),
  );
  const inbound = await countRequests(() =>
    recordInboundReply({ storeId, customerId, conversationId, messageId: `SM${randomUUID()}`, at: at(5) }),
  );
  const counts = { contactedFirst, contactedAgain, repliedFirst, repliedAgain, outbound, inbound };
  return {
    campaignIds: contactedFirst.result,
    totals: Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count.total])),
    byCommand: Object.fromEntries(Object.entries(counts).map(([name, count]) => [name, count.byCommand])),
  };
}

describe('outreach touch budget', () => {
  let small: Setup;
  let large: Setup;
  beforeAll(async () => {
    small = await storeWithCampaigns(2);
    large = await storeWithCampaigns(200);
  }, 300_000);

  it('costs the same with 2 campaigns as with 200, the customer on one of them', async () => {
    const few = await touches(small);
    const many = await touches(large);

    expect(few.campaignIds).toEqual([small.onList]);
    expect(many.campaignIds).toEqual([large.onList]);
    expect(few.totals).toEqual({
      contactedFirst: 3,
      contactedAgain: 2,
      repliedFirst: 3,
      repliedAgain: 2,
      outbound: 4,
      inbound: 4,
    });
    expect(many.totals).toEqual(few.totals);
    expect(few.byCommand).toEqual({
      contactedFirst: { GetItem: 1, BatchGetItem: 1, TransactWriteItems: 1 },
      contactedAgain: { GetItem: 1, BatchGetItem: 1 },
      repliedFirst: { GetItem: 1, BatchGetItem: 1, TransactWriteItems: 1 },
      repliedAgain: { GetItem: 1, BatchGetItem: 1 },
      outbound: { GetItem: 2, BatchGetItem: 1, TransactWriteItems: 1 },
      inbound: { GetItem: 2, BatchGetItem: 1, TransactWriteItems: 1 },
    });
    expect(many.byCommand).toEqual(few.byCommand);
  });

  it('reads one item for a customer on no list of the store, however many campaigns it has', async () => {
    const stranger = await countRequests(() =>
      markContacted({ storeId: large.storeId, customerId: `nobody-${randomUUID()}`, at: start, userId: 'u-1' }),
    );
    expect(stranger).toMatchObject({ result: [], total: 1, byCommand: { GetItem: 1 } });
  });
});

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
    const { storeId, customerId, onList } = await storeWithCampaigns(1);
    const disabled = [...((await openOutreachItem(storeId, customerId))!.campaigns as Set<string>)].find(
      (id) => id !== onList,
    )!;
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
    await campaigns.eraseFromCampaigns(customerId, `${customerId}@example.com`);
    expect(await openOutreachItem(storeId, customerId)).toBeUndefined();
    expect(await markContacted({ storeId, customerId, at: start })).toEqual([]);
  });
});
