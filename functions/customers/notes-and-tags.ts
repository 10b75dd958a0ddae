/**
 * What a store keeps about a customer beside the record: notes (written, listed newest first,
 * deleted by their author or a manager) and tags (set as a whole) (docs/rules.md, "Notes and
 * tags"). Store users only, and only about customers linked to their store: any other customer
 * is a 404 on every one of these, exactly like an unknown id, and another store's notes and tags
 * are never read (they live under that store's keys).
 */
import { ForbiddenError, NotFoundError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { actingStore, type Principal } from '../shared/principal';
import { visibleCustomer } from './customer-access';
import type { CustomerTags, Note } from './model';
import * as repository from './repository';
import { mayDeleteNote } from './rules';

/** The caller's store, once the customer is known to be linked to it (404 otherwise). */
async function storeOfVisible(principal: Principal, customerId: string): Promise<string> {
  const storeId = actingStore(principal);
  if (!(await visibleCustomer(principal, customerId))) throw new NotFoundError(`There is no customer ${customerId}.`);
  return storeId;
}

/** 1. the customer must be linked to the caller's store; 2. the note is stored under the store, by the caller. */
export async function addNote(principal: Principal, customerId: string, text: string, now: Date): Promise<Note> {
  const storeId = await storeOfVisible(principal, customerId);
  const note: Note = {
    noteId: repository.newNoteId(now),
    storeId,
    customerId,
    text,
    authorId: principal.userId,
    createdAt: now.toISOString(),
  };
  await repository.putNote(note);
  return note;
}

/** The caller's store's notes about the customer, newest first, one page. */
export async function listNotesAs(
  principal: Principal,
  customerId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Note>> {
  const storeId = await storeOfVisible(principal, customerId);
  return repository.listNotes(customerId, storeId, page.limit, page.cursor);
}

/**
 * 1. the customer must be linked to the caller's store; 2. the note must be the store's (another
 * store's, or an unknown id, is a 404); 3. its author or a manager deletes it (403 otherwise).
 */
export async function removeNote(principal: Principal, customerId: string, noteId: string): Promise<void> {
  const storeId = await storeOfVisible(principal, customerId);
  const note = await repository.getNote(customerId, storeId, noteId);
  if (!note) throw new NotFoundError(`There is no note ${noteId} about customer ${customerId} in your store.`);
  if (!mayDeleteNote(principal, note))
    throw new ForbiddenError("Only the note's author or a manager of the store may delete it.");
  await repository.deleteNote(customerId, storeId, noteId);
}

/** Replaces the caller's store's tags for the customer (already normalised by the request schema). */
export async function setTagsAs(principal: Principal, customerId: string, tags: string[]): Promise<CustomerTags> {
  const storeId = await storeOfVisible(principal, customerId);
  await repository.setTags(customerId, storeId, tags);
  return { customerId, storeId, tags };
}
