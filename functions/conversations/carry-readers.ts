/**
 * The readers' side of a conversation's move between the active and archived views
 * (docs/delivery-guarantees.md, "Unread counts"): the move itself (archiving, or a new message
 * un-archiving) writes only the conversation and the store's inbound sums, so it costs the same
 * whatever the readers; the table stream's consumer then calls this with the batch's changes, and
 * every conversation whose `archived` changed gets its readers' markers and read sums carried
 * into its view. A redelivered batch finds them moved already and changes nothing.
 */
import { forEachConcurrently } from '../shared/concurrency';
import { CONVERSATION_SK, conversationIdOf } from './repository/keys';
import { bringReadersAlong } from './repository';

type Image = Readonly<Record<string, unknown>> | undefined;

/** Conversations carried at once (each a few small transactions per reader still elsewhere). */
const CONCURRENCY = 8;

/** The conversations whose view changed in these changes (old and new images of the table stream). */
export function movedConversations(changes: ReadonlyArray<{ oldImage?: Image; newImage?: Image }>): string[] {
  const moved = new Set<string>();
  for (const { oldImage, newImage } of changes) {
    if (!oldImage || !newImage || newImage.sk !== CONVERSATION_SK) continue;
    const id = conversationIdOf(String(newImage.pk));
    if (id && (oldImage.archived === true) !== (newImage.archived === true)) moved.add(id);
  }
  return [...moved];
}

/** Carries the readers of every moved conversation; answers how many markers moved. */
export async function carryReaders(changes: ReadonlyArray<{ oldImage?: Image; newImage?: Image }>): Promise<number> {
  let moved = 0;
  await forEachConcurrently(movedConversations(changes), CONCURRENCY, async (id) => {
    const carried = await bringReadersAlong(id);
    moved += carried;
  });
  return moved;
}
