/**
 * The request budget of an outreach touch (docs/data-model.md, "A customer's open outreach";
 * docs/reports.md, "What a touch costs"): marking a customer contacted or replied costs the same
 * DynamoDB requests whether the store ever had 2 campaigns or 200, the customer on one of them.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { countRequests } from '../support/requests';
import { type Setup, start, storeWithCampaigns } from './outreach-fixtures';

const { markContacted, markReplied } = await import('../../functions/campaigns/outreach');
const { recordOutboundTouch } = await import('../../functions/reports/record-outbound-touch');
const { recordInboundReply } = await import('../../functions/reports/record-reply');

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
  }, 900_000); // 200 campaigns, ~1,500 writes: minutes on a loaded 2-core machine

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
