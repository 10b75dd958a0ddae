/**
 * The chunk writer's use case: one chunk of rows into outreach lists (and a chunk that used up
 * its receives noted on the campaign). The end of an import is ./finish-import.ts.
 *
 * Duplicates: the same (email, store) twice is one outreach entry. An entry's key and content
 * depend only on (campaign, store, customer), so writing it again — a repeated row in another
 * chunk, or a redelivered chunk — leaves the same item. The rule for counting: every row with a
 * known customer is a candidate; when the last chunk is done, `accepted` is the number of
 * entries actually stored (a consistent COUNT per list) and `duplicates = candidates - accepted`.
 * Which of the repeated rows "won" is therefore not recorded (the entry is the same either way);
 * `rows = accepted + rejected + duplicates` holds by construction.
 */
import { logger } from '../shared/logger';
import { recordRowsImported, recordRowsRejected } from '../shared/metrics';
import { findCustomersByEmail } from '../stores/repository';
import { finishIfComplete } from './finish-import';
import {
  completeChunk,
  getCampaign,
  isChunkDone,
  markChunkDeadLettered,
  putOutreachEntries,
  putRejections,
  PROGRESS_EVERY_MS,
  touchProgress,
} from './repository';
import type { NewOutreachEntry, Rejection } from './model';
import { deadLetterNote, fromWireRow, type ChunkMessage } from './rules';

const countBy = (keys: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
};

/** Test seam: runs between writing a chunk's items and applying its counts (where a crash hurts most). */
export const writerHooks = { afterItemsWritten: async (_message: ChunkMessage): Promise<void> => undefined };

/**
 * Writes one chunk:
 * 1. drops it if the campaign is gone, no longer PROCESSING, or the chunk's counts were applied;
 * 2. looks the customers up by email (BatchGetItem, 100 a call) — unknown ones are UNKNOWN_CUSTOMER;
 * 3. writes the outreach entries and the rejections (BatchWriteItem, UnprocessedItems retried);
 * 4. applies the chunk's counts exactly once (marker + counters in one transaction);
 * 5. finishes the campaign if this was the last chunk.
 */
export async function writeChunk(message: ChunkMessage, now: Date): Promise<'written' | 'already-done' | 'dropped'> {
  const { campaignId, chunk } = message;
  const campaign = await getCampaign(campaignId);
  if (!campaign || campaign.deleted || campaign.status !== 'PROCESSING') {
    logger.info('chunk dropped: campaign deleted or finished', { campaignId, chunk, status: campaign?.status });
    return 'dropped';
  }
  if (await isChunkDone(campaignId, chunk)) {
    await finishIfComplete(campaignId, now);
    return 'already-done';
  }

  const rows = message.rows.map(fromWireRow);
  const rejections: Rejection[] = [];
  const valid = rows.filter((row) => {
    if (row.reason) rejections.push({ line: row.line, email: row.email, storeId: row.storeId, reason: row.reason });
    return !row.reason;
  });
  const customers = await findCustomersByEmail(valid.map((row) => row.email));
  const entries = new Map<string, NewOutreachEntry>();
  const storeIds = new Set<string>();
  let candidates = 0;
  for (const row of valid) {
    const customer = customers.get(row.email);
    if (!customer) {
      rejections.push({ line: row.line, email: row.email, storeId: row.storeId, reason: 'UNKNOWN_CUSTOMER' });
      continue;
    }
    candidates++;
    storeIds.add(row.storeId);
    entries.set(`${row.storeId}\n${customer.customerId}`, {
      campaignId,
      storeId: row.storeId,
      customerId: customer.customerId,
      email: customer.email ?? row.email,
      firstName: customer.firstName,
      lastName: customer.lastName,
    });
  }

  await Promise.all([putOutreachEntries([...entries.values()]), putRejections(campaignId, rejections)]);
  await writerHooks.afterItemsWritten(message);
  const applied = await completeChunk(
    campaignId,
    chunk,
    { rows: rows.length, rejected: rejections.length, candidates, storeIds: [...storeIds] },
    now,
  );
  if (applied) {
    recordRowsImported(candidates);
    recordRowsRejected(countBy(rejections.map((r) => r.reason)));
    if (!campaign.progressAt || Date.parse(campaign.progressAt) < now.getTime() - PROGRESS_EVERY_MS)
      await touchProgress(campaignId, now);
  }
  await finishIfComplete(campaignId, now);
  return applied ? 'written' : 'already-done';
}

/** A chunk on its last receive failed: SQS moves it to the dead-letter queue; the campaign notes which rows it holds. */
export async function noteDeadLetteredChunk(message: ChunkMessage, attempts: number): Promise<void> {
  await markChunkDeadLettered(message.campaignId, deadLetterNote(message, attempts));
}
