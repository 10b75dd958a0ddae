/**
 * The customers room's own key layout in the single table (docs/data-model.md, "Notes and tags").
 * Every key of this room is built here; the items it only reads are other rooms' and named
 * through their key modules (./links.ts).
 *
 *   CUSTNOTES#<customer> / STORE#<store>#NOTE#<noteId>   a note of that store about the customer (text, author, time);
 *                                                        note ids start with the time, so newest first = a reverse query
 *   CUSTNOTES#<customer> / STORE#<store>#TAGS            that store's tags for the customer (a list, as set)
 *
 * One partition per customer holds every store's notes and tags: a store reads its slice with
 * `begins_with`, and erasure deletes the whole partition with one query, whatever the stores.
 */
import { randomBytes } from 'node:crypto';

export const customerNotesPk = (customerId: string) => `CUSTNOTES#${customerId}`;
/** The slice of a customer's partition that holds one store's notes. */
export const storeNotesPrefix = (storeId: string) => `STORE#${storeId}#NOTE#`;
export const noteKey = (customerId: string, storeId: string, noteId: string) => ({
  pk: customerNotesPk(customerId),
  sk: storeNotesPrefix(storeId) + noteId,
});
export const tagsKey = (customerId: string, storeId: string) => ({
  pk: customerNotesPk(customerId),
  sk: `STORE#${storeId}#TAGS`,
});

/** Sortable note ids: the time first (fixed width, base 36), then randomness. */
export function newNoteId(now: Date): string {
  return `${now.getTime().toString(36).padStart(10, '0')}${randomBytes(6).toString('hex')}`;
}
