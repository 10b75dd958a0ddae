/**
 * The single table's physical shape, shared by the CDK stack, the local stack and the tests.
 * Repositories choose the key values (each capability prefixes its own); this file only names
 * the attributes and indexes so that every side builds the same table.
 *
 * Index roles:
 * - gsi1: collections read newest first (all campaigns, a store's inbox)
 * - gsi2: per-person views (an associate's inbox, a store's enabled outreach lists)
 * - gsi3: due-by-time sweeps (carts by expiry, conversations by last activity), sharded keys
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  /** Live events are derived from the stream (functions/events/): every change, with both images. */
  streamView: 'NEW_AND_OLD_IMAGES',
  indexes: {
    gsi1: { partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    gsi2: { partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    gsi3: { partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  },
} as const;
