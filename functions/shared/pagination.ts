/**
 * Paging: `?limit=` (default 50, max 200) and an opaque `?cursor=`. The cursor carries the
 * DynamoDB key to resume from; decoding checks its shape and that it belongs to the partition
 * being read, so a cursor that was tampered with (or taken from another store's list) is a 400.
 */
import * as z from 'zod';
import { ValidationError } from './errors';

/**
 * Room for the largest key a list resumes from (the table's key and an index's, built from ids of
 * at most 128 characters), base64url-encoded; anything longer was not given out by a list.
 */
export const MAX_CURSOR_LENGTH = 2048;
/** DynamoDB's limit on a sort key value: a decoded cursor holding a longer value was not ours. */
const MAX_KEY_VALUE_BYTES = 1024;

/** `?cursor=` as lists give it out: base64url, bounded (docs/architecture.md, "HTTP API"). */
export const Cursor = z
  .string()
  .min(1, 'required')
  .max(MAX_CURSOR_LENGTH, `at most ${MAX_CURSOR_LENGTH} characters`)
  .regex(/^[A-Za-z0-9_-]+$/, 'a cursor from a previous page (base64url)');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: Cursor.optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Key = Record<string, string | number>;
const keySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * @param expected attributes the key must carry with exactly these values (the partition read).
 * @param prefixes attributes whose value must start with this (the slice of the partition read).
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: Key = {},
  prefixes: Record<string, string> = {},
): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('The cursor is not one this list gave out.', [
      { in: 'query', field: 'cursor', detail: 'invalid cursor' },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const key = keySchema.safeParse(parsed);
  if (!key.success) throw invalid();
  const tooLong = (value: string | number) =>
    typeof value === 'string' && Buffer.byteLength(value, 'utf8') > MAX_KEY_VALUE_BYTES;
  if (Object.values(key.data).some(tooLong)) throw invalid();
  for (const [name, value] of Object.entries(expected)) {
    if (key.data[name] !== value) throw invalid();
  }
  for (const [name, prefix] of Object.entries(prefixes)) {
    if (!String(key.data[name]).startsWith(prefix)) throw invalid();
  }
  return key.data;
}
