/**
 * The campaigns capability's key layout in the single table (docs/data-model.md). Every key of
 * this capability is built here and nowhere else; tests build keys through these too.
 *
 *   CAMPAIGN#<id>                    / CAMPAIGN          the campaign: status, enabled, counters
 *                                                        (gsi1: CAMPAIGNS / <createdAt>#<id>, newest first)
 *   CAMPAIGN#<id>                    / LIST#<storeId>    one store's outreach list: customers, contacted
 *                                                        (gsi2: OUTREACHLISTS#<storeId> / <createdAt>#<id>)
 *   REJECTIONS#<id>#<line % 8>       / <line>            a rejected row, line zero-padded; pages merge the 8 shards in line order
 *   CHUNKS#<id>#<chunk % 8>          / CHUNK#<n>         a chunk whose counts were applied (exactly-once marker)
 *   CHUNKS#<id>#<shard>              / COUNTS            that shard's counters: chunks done, rows, rejected, candidates, stores
 *   OUTREACH#<id>#<storeId>#<shard>  / <customerId>      one customer on one store's list, sharded 8 ways
 *   CUSTOUTREACH#<storeId>#<customerId> / CUSTOUTREACH   the customer's open outreach at the store: the
 *                                                        campaigns whose list there holds them, and the
 *                                                        ones where they were contacted, replied (string sets)
 *
 * Writers never touch the campaign item per chunk: rejections and counters are spread over 8
 * partitions each (a partition takes 1,000 writes/s), and the end of the import sums the 8
 * counter items. The campaign item's progress mark moves at most once a minute.
 *
 * While a campaign is PROCESSING its item also sits in gsi3 under IMPORTS / <progressAt>#<id>:
 * the import watchdog reads the imports whose last progress is older than its threshold, never
 * the whole table. Every step of an import (claim, rows read, each chunk, the chunk total) moves progressAt;
 * the final status write removes the campaign from that index.
 *
 * A store's view of its lists reads gsi2 and keeps the lists whose campaign is enabled, so
 * enabling or disabling is one write to the campaign item and never touches the lists.
 *
 * A touch (an associate's message, a customer's reply) reads the one CUSTOUTREACH item of its
 * (store, customer), then the campaign items of just the campaigns it names (their `enabled`
 * flag): its cost never depends on how many campaigns the store ever had (docs/data-model.md).
 */
import { padChunk, padLine, shardOf } from '../rules';

export const CAMPAIGNS_PARTITION = 'CAMPAIGNS';
export const CAMPAIGN_PREFIX = 'CAMPAIGN#';
export const CAMPAIGN_SK = 'CAMPAIGN';
export const campaignPk = (campaignId: string) => `${CAMPAIGN_PREFIX}${campaignId}`;
export const campaignKey = (campaignId: string) => ({ pk: campaignPk(campaignId), sk: CAMPAIGN_SK });
/** The gsi1 sort key of a campaign, and the gsi2 sort key of its lists: newest campaign first. */
export const campaignCreatedSk = (createdAt: string, campaignId: string) => `${createdAt}#${campaignId}`;

export const LIST_PREFIX = 'LIST#';
export const listKey = (campaignId: string, storeId: string) => ({
  pk: campaignPk(campaignId),
  sk: `${LIST_PREFIX}${storeId}`,
});
export const storeListsPk = (storeId: string) => `OUTREACHLISTS#${storeId}`;

/** Rejections, chunk markers and chunk counters are each spread over this many partitions. */
const IMPORT_SHARDS = 8;
export const importShards = () => Array.from({ length: IMPORT_SHARDS }, (_, shard) => shard);

export const REJECTIONS_PREFIX = 'REJECTIONS#';
export const rejectionsPk = (campaignId: string, shard: number) => `${REJECTIONS_PREFIX}${campaignId}#${shard}`;
export const rejectionKey = (campaignId: string, line: number) => ({
  pk: rejectionsPk(campaignId, line % IMPORT_SHARDS),
  sk: padLine(line),
});

export const CHUNKS_PREFIX = 'CHUNKS#';
export const chunksPk = (campaignId: string, shard: number) => `${CHUNKS_PREFIX}${campaignId}#${shard}`;
export const chunkKey = (campaignId: string, chunk: number) => ({
  pk: chunksPk(campaignId, chunk % IMPORT_SHARDS),
  sk: `CHUNK#${padChunk(chunk)}`,
});
/** One shard's chunk counters; a chunk counts in the shard of its marker (countsShardOf). */
export const countsKey = (campaignId: string, shard: number) => ({
  pk: chunksPk(campaignId, shard),
  sk: 'COUNTS',
});
export const countsShardOf = (chunk: number) => chunk % IMPORT_SHARDS;

export const IMPORTS_IN_PROGRESS = 'IMPORTS';
export const progressSk = (at: Date, campaignId: string) => `${at.toISOString()}#${campaignId}`;
/** The campaign id of an item read from the IMPORTS index (its pk). */
export const campaignIdOfPk = (pk: string) => pk.slice(CAMPAIGN_PREFIX.length);
/** The campaign id of a campaign item's key (a stream image's), or undefined for any other key. */
export const campaignIdOf = (key: { pk: string; sk: string }): string | undefined =>
  key.sk === CAMPAIGN_SK && key.pk.startsWith(CAMPAIGN_PREFIX) ? campaignIdOfPk(key.pk) : undefined;

export const OUTREACH_PREFIX = 'OUTREACH#';
export const outreachPk = (campaignId: string, storeId: string, shard: number) =>
  `${OUTREACH_PREFIX}${campaignId}#${storeId}#${shard}`;
export const outreachKey = (campaignId: string, storeId: string, customerId: string) => ({
  pk: outreachPk(campaignId, storeId, shardOf(customerId)),
  sk: customerId,
});

/** The customer's open outreach at one store (a touch reads this one item; docs/data-model.md). */
export const OPEN_OUTREACH_PREFIX = 'CUSTOUTREACH#';
export const openOutreachKey = (storeId: string, customerId: string) => ({
  pk: `${OPEN_OUTREACH_PREFIX}${storeId}#${customerId}`,
  sk: 'CUSTOUTREACH',
});
