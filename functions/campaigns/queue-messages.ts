/**
 * The import queue's messages (docs/architecture.md, "Campaign import"): a chunk of rows for the
 * outreach writer, or the background purge of a deleted campaign. Checked with zod by the writer
 * only; apart from rules.ts so the functions that merely read campaigns do not build them.
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';

/** A row in a queue message: `[line, email, storeId, reason?]`, compact so a chunk stays small. */
export const WireRow = /* @__PURE__ */ droppable(() =>
  z.union([
    z.tuple([z.number().check(z.int(), z.positive()), z.string(), z.string()]),
    z.tuple([
      z.number().check(z.int(), z.positive()),
      z.string(),
      z.string(),
      z.enum(['INVALID_EMAIL', 'MISSING_STORE_ID', 'MALFORMED_ROW']),
    ]),
  ]),
);
export type WireRow = z.infer<typeof WireRow>;

/** The import queue's messages: a chunk of rows to write, or the background purge of a deleted campaign. */
export const ChunkMessage = /* @__PURE__ */ droppable(() =>
  z.object({
    type: z.literal('rows'),
    campaignId: z.string().check(z.minLength(1)),
    chunk: z.number().check(z.int(), z.nonnegative()),
    rows: z.array(WireRow).check(z.minLength(1)),
  }),
);
export type ChunkMessage = z.infer<typeof ChunkMessage>;

export const PurgeMessage = /* @__PURE__ */ droppable(() =>
  z.object({
    type: z.literal('purge'),
    campaignId: z.string().check(z.minLength(1)),
  }),
);
export type PurgeMessage = z.infer<typeof PurgeMessage>;

export const ImportQueueMessage = /* @__PURE__ */ droppable(() =>
  z.discriminatedUnion('type', [ChunkMessage, PurgeMessage]),
);
export type ImportQueueMessage = z.infer<typeof ImportQueueMessage>;
