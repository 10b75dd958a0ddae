/**
 * The customers room's types and request schemas for a store's notes and tags about a customer
 * (docs/rules.md, "Notes and tags"); the customer record itself is the stores room's
 * (functions/stores/model.ts). Nothing here does I/O.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { Id, Tag, Text } from '../shared/validation';
import { MAX_NOTE_LENGTH, MAX_TAGS, normaliseTags } from './rules';

/** A note a store user wrote about a customer; only the caller's store ever reads it. */
export interface Note {
  noteId: string;
  storeId: string;
  customerId: string;
  text: string;
  authorId: string;
  createdAt: string;
}

/** One store's tags for a customer, as `PUT /customers/{id}/tags` answers them. */
export interface CustomerTags {
  customerId: string;
  storeId: string;
  tags: string[];
}

// ── API requests ──────────────────────────────────────────────────────────────────────────────

export const CustomerParams = /* @__PURE__ */ droppable(() => z.object({ customerId: Id }));
export const NoteParams = /* @__PURE__ */ droppable(() => z.object({ customerId: Id, noteId: Id }));

/** `POST /customers/{id}/notes`. */
export const NoteBody = /* @__PURE__ */ droppable(() => z.object({ text: Text(MAX_NOTE_LENGTH) }));

/** `PUT /customers/{id}/tags`: the store's whole set (an empty list clears it), normalised, at most MAX_TAGS. */
export const TagsBody = /* @__PURE__ */ droppable(() =>
  z.object({
    tags: z
      .pipe(
        z.array(Tag),
        z.transform((tags: string[]) => normaliseTags(tags)),
      )
      .check(z.refine((tags) => tags.length <= MAX_TAGS, `at most ${MAX_TAGS} tags (after dropping duplicates)`)),
  }),
);
