/**
 * Erasing a customer (GDPR/CCPA): `DELETE /customers/{id}` marks the customer and queues the
 * work on the erasure queue (./erasure-queue.ts); its worker (./erasure-worker.handler.ts)
 * carries it out in the background. Every step can run again, so a retried or repeated erasure
 * finishes what an interrupted one left. Logged by id only: no email, phone or name is ever
 * written to the logs. It reaches into every capability that holds the customer (conversations,
 * carts, campaigns, reports), which is why it lives in the customers room, above all of them
 * (docs/architecture.md, "Capabilities").
 */
import { eraseFromCampaigns } from '../campaigns/repository';
import { eraseConversationCarts } from '../carts/repository';
import { deleteMedia } from '../conversations/media';
import * as conversations from '../conversations/repository';
import { NotFoundError } from '../shared/errors';
import { logger } from '../shared/logger';
import { eraseFromCampaignFiles, noFilesErased } from './erase-files';
import {
  customerForErasure,
  deleteCustomerRecords,
  deleteCustomerLookups,
  markCustomerErasing,
} from '../stores/repository';
import { enqueueErasure } from './erasure-queue';
import { eraseNotesAndTags } from './repository';

/** Starts an erasure: 404 for a customer that does not exist (or whose erasure has finished). */
export async function requestErasure(
  customerId: string,
  now: Date,
): Promise<{ customerId: string; status: 'ERASING' }> {
  const outcome = await markCustomerErasing(customerId, now);
  if (outcome === 'unknown') throw new NotFoundError(`There is no customer ${customerId}.`);
  // Queued again on a repeated DELETE too: if the first run died, this one finishes it.
  await enqueueErasure(customerId, now);
  logger.info('customer erasure requested', { customerId, repeated: outcome === 'erasing' });
  return { customerId, status: 'ERASING' };
}

/**
 * Erases everything that holds the customer's personal data.
 * 1. The consent ledger becomes a suppression record (keyed hash of the phone) for the stores
 *    where the customer had opted out: that number stays opted out there.
 * 2. The email and phone look-ups and the search entries: nothing finds the customer any more,
 *    and a text from that number now starts a new customer.
 * 3. Each conversation: its carts and links, messages, read markers, SID look-ups (unread sums
 *    adjusted), and the images its messages held.
 * 4. The customer's open outreach at each store; then, campaign by campaign, the rows carrying
 *    the email in its uploaded file and its exports (rewritten without them, older versions
 *    deleted), before its outreach entries (list counts adjusted) and rejections that carry
 *    the email, which are how a retried erasure finds that campaign again.
 * 5. Every store's notes and tags about the customer (their copies went with the conversations).
 * 6. The ledger again (entries written while this ran), then the customer item itself, last,
 *    so an interrupted erasure still finds what it needs to finish.
 */
export async function eraseCustomer(customerId: string, now: Date): Promise<'erased' | 'gone'> {
  const customer = await customerForErasure(customerId);
  if (!customer) return 'gone';
  const suppressedAt = await conversations.replaceLedgerWithSuppression(customerId, customer.phone, now);
  await deleteCustomerLookups(customer);
  let messages = 0;
  let images = 0;
  for (const { conversationId, storeId } of await conversations.customerConversations(customerId)) {
    await eraseConversationCarts(conversationId);
    const erased = await conversations.eraseConversation(conversationId, customerId, storeId);
    await deleteMedia(erased.mediaKeys);
    messages += erased.messages;
    images += erased.mediaKeys.length;
  }
  const files = noFilesErased();
  const outreach = await eraseFromCampaigns(customerId, customer.email, (holding) =>
    eraseFromCampaignFiles(holding, customer, now, files),
  );
  const notesAndTags = await eraseNotesAndTags(customerId);
  await conversations.replaceLedgerWithSuppression(customerId, customer.phone, now);
  await deleteCustomerRecords(customer);
  logger.info('customer erased', {
    customerId,
    suppressedAt: suppressedAt.length,
    messages,
    images,
    notesAndTags,
    ...outreach,
    files: files.files,
    fileRows: files.rows,
    fileVersions: files.versions,
  });
  return 'erased';
}
