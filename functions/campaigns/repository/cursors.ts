/**
 * The cursors of the campaign lists that merge or walk shards (rejections, an outreach list):
 * their own JSON, base64url, checked against a schema so an altered or foreign cursor is a 400.
 */
import type * as z from 'zod';
import { ValidationError } from '../../shared/errors';

export function decodeShardCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const invalid = () =>
    new ValidationError('The cursor is not one this list gave out.', [
      { in: 'query', field: 'cursor', detail: 'invalid cursor' },
    ]);
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (!parsed.success) throw invalid();
    return parsed.data;
  } catch {
    throw invalid();
  }
}

export const encodeShardCursor = (position: unknown) =>
  Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
