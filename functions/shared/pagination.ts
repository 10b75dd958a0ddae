/**
 * Paging: `?limit=` (default 50, max 200) and an opaque `?cursor=` (docs/architecture.md, "HTTP
 * API"). A cursor is the position to resume from, signed (HMAC-SHA256 under the stack's cursor
 * key) together with the list it was given out for. Whatever was changed in it, a cursor of
 * another list (another conversation, another store's inbox) or one made up is a 400 naming
 * `cursor`, never a 500 or someone else's page. Every list goes through here: DynamoDB queries
 * (`queryPage`), My Inbox and the campaign lists that merge shards.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { droppable } from './droppable';
import { ValidationError } from './errors';
import { cursorKeys } from './secrets';

/**
 * Room for the largest key a list resumes from (the table's key and an index's, built from ids of
 * at most 128 characters) with its signature, base64url; anything longer was not given out by a list.
 */
export const MAX_CURSOR_LENGTH = 2048;
/** DynamoDB's limit on a sort key value: a key holding a longer value was not ours. */
const MAX_KEY_VALUE_BYTES = 1024;
/** The signature leads the cursor: 32 bytes of HMAC-SHA256, 43 characters of base64url. */
const MAC_LENGTH = 43;
/** Changes with the cursor's layout, so a cursor of an older layout no longer verifies. */
const CURSOR_VERSION = 'cursor/1';

/** `?cursor=` as lists give it out: base64url, bounded (docs/architecture.md, "HTTP API"). */
export const Cursor = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.minLength(1, 'required'),
      z.maxLength(MAX_CURSOR_LENGTH, `at most ${MAX_CURSOR_LENGTH} characters`),
      z.regex(/^[A-Za-z0-9_-]+$/, 'a cursor from a previous page (base64url)'),
    ),
);

export const pageQuery = /* @__PURE__ */ droppable(() =>
  z.object({
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
    cursor: z.optional(Cursor),
  }),
);

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The one refusal of a cursor, whatever was wrong with it. */
export const invalidCursor = () =>
  new ValidationError('The cursor is not one this list gave out; start again from the first page.', [
    { in: 'query', field: 'cursor', detail: 'invalid cursor' },
  ]);

const macOf = (key: string, list: string, payload: string): string =>
  createHmac('sha256', key).update(`${CURSOR_VERSION}\n${list}\n${payload}`).digest('base64url');

/** Compares the signature as text, so no character of it can change and still pass. */
function signedBy(key: string | undefined, list: string, payload: string, mac: string): boolean {
  if (key === undefined) return false;
  const expected = Buffer.from(macOf(key, list, payload));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Whether the current key or the one a rotation replaced signed it; a miss against a cached key
 * reads the key afresh once (a container that has not seen a rotation yet).
 */
async function verified(list: string, payload: string, mac: string): Promise<boolean> {
  const keys = await cursorKeys();
  if (signedBy(keys.current, list, payload, mac) || signedBy(keys.previous, list, payload, mac)) return true;
  const fresh = await cursorKeys({ refresh: true });
  return fresh.refreshed && signedBy(fresh.current, list, payload, mac);
}

/**
 * The cursor of `position` in `list`: `list` names the list and its scope (e.g. the
 * conversation, the store and the user), so the cursor verifies only there.
 */
export async function sealCursor(list: string, position: unknown): Promise<string> {
  const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
  return macOf((await cursorKeys()).current, list, payload) + payload;
}

/** The position a cursor of `list` carries, checked with `schema`; anything else is a 400 naming `cursor`. */
export async function openCursor<T>(cursor: string, list: string, schema: z.ZodMiniType<T>): Promise<T> {
  const mac = cursor.slice(0, MAC_LENGTH);
  const payload = cursor.slice(MAC_LENGTH);
  if (payload === '' || !(await verified(list, payload, mac))) throw invalidCursor();
  let position: unknown;
  try {
    position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = schema.safeParse(position);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

// ── cursors of DynamoDB keys ─────────────────────────────────────────────────────────────────

type Key = Record<string, string | number>;
const KeyValue = /* @__PURE__ */ droppable(() =>
  z.union([z.string().check(z.refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_KEY_VALUE_BYTES)), z.number()]),
);
const TableKey = /* @__PURE__ */ droppable(() => z.record(z.string(), KeyValue));

/** The cursor of a query's `LastEvaluatedKey`, or null on the last page. */
export async function encodeCursor(list: string, key: Record<string, unknown> | undefined): Promise<string | null> {
  return key ? sealCursor(list, key) : null;
}

/**
 * The key a cursor of `list` resumes from (undefined without a cursor).
 * @param expected attributes the key must carry with exactly these values (the partition read).
 * @param prefixes attributes whose value must start with this (the slice of the partition read).
 */
export async function decodeCursor(
  cursor: string | undefined,
  list: string,
  expected: Key = {},
  prefixes: Record<string, string> = {},
): Promise<Key | undefined> {
  if (cursor === undefined) return undefined;
  const key = await openCursor(cursor, list, TableKey);
  const inPartition = Object.entries(expected).every(([name, value]) => key[name] === value);
  const inSlice = Object.entries(prefixes).every(([name, prefix]) => String(key[name]).startsWith(prefix));
  if (!inPartition || !inSlice) throw invalidCursor();
  return key;
}
