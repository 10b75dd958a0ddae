/**
 * The keys of report items in the single table (the only file that knows them):
 *
 *   REPORTEVENT#<event>                 / EVENT               an event already counted (exactly-once marker, `ttl` 35 days)
 *   REPORTCONV#<conversationId>         / STATE               who started the conversation, who wrote last, since when the customer waits
 *   LASTTOUCH#<storeId>#<customerId>    / TOUCH               the last campaign whose list contacted the customer at the store, and when
 *   CAMPAIGNREPORT#<campaignId>         / STORE#<store>#<n>   a store's counters in a campaign (carts shared, orders, revenue), 8 shards
 *   STOREREPORT#<storeId>#<day>         / USER#<userId>       an associate's counters of one UTC day, with the first-response sketch
 *   CAMPAIGNEXPORT#<campaignId>         / <exportId>          an export's status and object key (`ttl` when its object expires)
 */

export const eventKey = (event: string) => ({ pk: `REPORTEVENT#${event}`, sk: 'EVENT' });
export const conversationStateKey = (conversationId: string) => ({ pk: `REPORTCONV#${conversationId}`, sk: 'STATE' });
export const lastTouchKey = (storeId: string, customerId: string) => ({
  pk: `LASTTOUCH#${storeId}#${customerId}`,
  sk: 'TOUCH',
});
export const campaignCountersPk = (campaignId: string) => `CAMPAIGNREPORT#${campaignId}`;
export const campaignCountersKey = (campaignId: string, storeId: string, shard: number) => ({
  pk: campaignCountersPk(campaignId),
  sk: `STORE#${storeId}#${shard}`,
});
export const associateDayPk = (storeId: string, day: string) => `STOREREPORT#${storeId}#${day}`;
export const associateDayKey = (storeId: string, day: string, userId: string) => ({
  pk: associateDayPk(storeId, day),
  sk: `USER#${userId}`,
});
export const exportsPk = (campaignId: string) => `CAMPAIGNEXPORT#${campaignId}`;
export const exportKey = (campaignId: string, exportId: string) => ({
  pk: exportsPk(campaignId),
  sk: exportId,
});
