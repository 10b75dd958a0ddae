/**
 * How the conversations' two scheduled sweeps are sized: the archiver and the scheduled-message
 * release. The functions read these at run time; the infrastructure (lib/load-model.ts, which
 * derives each run's capacity from them, and lib/functions.ts, which sets the schedule and
 * timeout) imports them from here, so a Lambda bundle never pulls in the manifest
 * (docs/architecture.md, "Capabilities").
 */

/**
 * The conversation archiver (./repository/archive.ts): every 15 minutes, its 8 activity shards
 * at once, a few conversations of each page at once, 2 DynamoDB requests per conversation (a
 * consistent read and one transaction, whatever its readers: counted in
 * test/integration/conversations-archive.test.ts), 5-minute timeout so runs never overlap.
 */
export const ARCHIVER = {
  everyMinutes: 15,
  timeoutSeconds: 300,
  shardConcurrency: 8,
  itemConcurrency: 4,
  pageSize: 100,
  requestsPerConversation: 2,
} as const;

/**
 * The scheduled-message release (./release-due.ts): every minute, 60 s timeout, the 8 due shards
 * at once, a few messages of each page at once. A released message costs 4 DynamoDB requests (its
 * state, its conversation's consent, the release, the inbox item: counted in
 * test/integration/sender.test.ts) and a tenth of an SQS batch send.
 */
export const RELEASE = {
  everyMinutes: 1,
  timeoutSeconds: 60,
  shardConcurrency: 8,
  itemConcurrency: 8,
  pageSize: 100,
  requestsPerMessage: 4,
} as const;
