/**
 * The single table's physical shape, shared by the CDK stack, the local stack and the tests.
 * Repositories choose the key values (each capability prefixes its own); this file only names
 * the attributes and indexes so that every side builds the same table.
 *
 * Index roles:
 * - gsi1: collections read newest first (all campaigns, a store's inbox)
 * - gsi2: per-person views (an associate's inbox, a store's enabled outreach lists)
 * - gsi3: due-by-time sweeps (carts by expiry, conversations by last activity, imports by
 *   last progress), sharded keys
 *
 * Projections are what each index's queries read, fixed before any data exists (changing one
 * later means a new index). gsi1 and gsi2 answer list pages with whole items (campaigns, inbox
 * rows, outreach lists): ALL, or each row would cost a GetItem. gsi3's sweeps read keys, the conversation
 * id and what a due scheduled message needs (its id, time and kind) only, so a cart edit (carts sit in gsi3 by expiry) no longer copies the cart.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  /** Live events are derived from the stream (functions/events/): every change, with both images. */
  streamView: 'NEW_AND_OLD_IMAGES',
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: { type: 'ALL' } },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: { type: 'ALL' } },
    gsi3: {
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: { type: 'INCLUDE', attributes: ['conversationId', 'messageId', 'scheduledFor', 'sendKind'] },
    },
  },
} as const;
