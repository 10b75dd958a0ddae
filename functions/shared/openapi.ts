/**
 * How a capability describes its routes to API consumers: the answers each route gives (success
 * shapes as zod schemas, and when each problem status is answered), request headers, examples.
 * What a route accepts (path, query, body, roles) is not repeated here: lib/openapi reads it from
 * the route's own contract (http.ts), so the description cannot drift from the validation.
 * Only `npm run openapi` and tests import these files; no handler bundle does.
 */
import * as z from 'zod';

/** Problem statuses the API answers; 401 and 403 are added to every JWT route by the document builder. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

export interface HeaderDoc {
  readonly description: string;
  readonly schema: Record<string, unknown>;
  readonly required?: boolean;
}

export interface AnswerDoc {
  readonly description: string;
  /** The JSON body; absent for an empty answer (204) or when `contentType` carries no schema. */
  readonly schema?: z.core.$ZodType;
  /** Default `application/json`. */
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
  readonly example?: unknown;
}

export interface OperationDoc {
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Success answers by status. */
  readonly answers: Readonly<Record<number, AnswerDoc>>;
  /** When each problem status is answered. 400 is added with a default text when the route validates input. */
  readonly problems?: Partial<Readonly<Record<ProblemStatus, string | AnswerDoc>>>;
  /** Request headers beyond the bearer token (If-Match, Idempotency-Key, signatures). */
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
  /** The body when the handler parses it itself (signed webhooks read the raw bytes first). */
  readonly body?: {
    readonly schema: z.core.$ZodType;
    readonly contentType: string;
    readonly description?: string;
    /** False for a body the route may go without (the default is required). */
    readonly required?: boolean;
  };
  /** A request body example. */
  readonly example?: unknown;
  /** Signature schemes that stand in for the bearer token on public routes. */
  readonly signedBy?: 'twilioSignature' | 'paymentSignature';
}

export type OperationDocs = Readonly<Record<string, OperationDoc>>;

// ── shared shapes ────────────────────────────────────────────────────────────────────────────

export const Instant = z.string().meta({ format: 'date-time', description: 'ISO-8601 instant, UTC' });

export const FieldError = z
  .object({
    in: z.enum(['body', 'query', 'path', 'header']),
    field: z.string().meta({ description: 'Dotted path inside that place, e.g. `customers.3.email`' }),
    detail: z.string(),
  })
  .meta({ id: 'FieldError' });

/** RFC 9457 problem details; extension members may be added. */
export const Problem = z
  .looseObject({
    type: z
      .string()
      .meta({ format: 'uri', description: 'Stable problem type, e.g. https://problems.clienteling.dev/validation' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string(),
    instance: z.string().optional().meta({ description: 'The request path' }),
    requestId: z.string().optional(),
    errors: z.array(FieldError).optional().meta({ description: 'Each invalid field (400 only)' }),
  })
  .meta({
    id: 'Problem',
    description: 'application/problem+json (RFC 9457)',
    examples: [
      {
        type: 'https://problems.clienteling.dev/validation',
        title: 'Invalid request',
        status: 400,
        detail: 'Invalid body: email: a valid email address',
        errors: [{ in: 'body', field: 'email', detail: 'a valid email address' }],
      },
    ],
  });

export const NextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `?cursor=` for the next page; null on the last page' });

/** `{items, nextCursor}`: every list answer. */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: NextCursor });

export const ETAG_HEADER: HeaderDoc = {
  description: 'The cart version, e.g. `"3"`; send it back as If-Match',
  schema: { type: 'string' },
};
export const IF_MATCH_HEADER: HeaderDoc = {
  description:
    'The cart version this edit is based on (`"3"`, `W/"3"` or `3`); a stale one is a 409. Absent or `*`: whatever is current.',
  schema: { type: 'string' },
};
