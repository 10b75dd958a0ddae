/**
 * The customers room's pure rules for a store's notes and tags about a customer (docs/rules.md,
 * "Notes and tags"): their limits, how a list of tags is normalised, and who may delete a note.
 * No I/O; tested table-driven in test/unit/customers-rules.test.ts.
 */
import type { Role } from '../shared/principal';
import { tagKey } from '../shared/validation';

/** The longest note, in UTF-16 units (as every free-text field counts). */
export const MAX_NOTE_LENGTH = 2000;
/** The most tags a store keeps on one customer, counted after duplicates are dropped. */
export const MAX_TAGS = 20;

/**
 * The tags as kept: each already trimmed (the `Tag` schema), duplicates that differ only in case
 * dropped, the first spelling and the given order kept.
 */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tagKey(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A note is deleted by its author, or by a manager of its store (the caller's store is the note's: others never find it). */
export function mayDeleteNote(caller: { userId: string; roles: readonly Role[] }, note: { authorId: string }): boolean {
  return caller.userId === note.authorId || caller.roles.includes('manager');
}
