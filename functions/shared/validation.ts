/**
 * Reading zod's verdict at an edge, written once: its issues become field errors (problem+json's
 * `errors`, each naming where and which field), and a failed parse becomes a ValidationError (400).
 * The HTTP chain, the webhooks and batch endpoints all go through here. The one id schema every
 * route's path, query and body ids are declared with lives here too.
 *
 * Schemas are written with `zod/mini`, zod's tree-shakable build, which loads no locale: the
 * field-level wording is this module's own error map (`issueDetail`), handed to every parse, so a
 * bundle reads the same texts whether or not anything else loaded zod's English messages
 * (docs/architecture.md, "Schemas").
 */
import * as z from 'zod/mini';
import { droppable } from './droppable';
import { ValidationError, type FieldError } from './errors';

/**
 * The longest id a request may name. Keys are built from ids (`MSG#<conversationId>#<messageId>`),
 * so bounded ids keep every key far below DynamoDB's limits (1,024 bytes of sort key, 2,048 of
 * partition key) and SQS's 128-character group and deduplication ids; an id the code makes is a
 * UUID (36) or shorter.
 */
export const MAX_ID_LENGTH = 128;

/**
 * An id as a request names it (a path parameter, a query or body field): 1 to 128 characters,
 * none of them a control character (NUL, ESC, DEL, C1) or half a surrogate pair, which no id
 * the code makes has and which S3 keys and SQS attributes refuse (docs/architecture.md, "HTTP API").
 */
export const Id = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.minLength(1, 'required'),
      z.maxLength(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters`),
      z.regex(/^[^\p{Cc}\p{Cs}]*$/u, 'no control characters'),
    ),
);

/**
 * A free-text field, the one rule for every one (names, message text and template variables,
 * help text, addresses and shipping options, campaign names): trimmed, 1 to `max` characters
 * (UTF-16 units, as Twilio counts), no control character but tab and line breaks, no half of a
 * surrogate pair. A NUL or a lone surrogate is refused here instead of reaching DynamoDB,
 * Twilio or a CSV export (docs/architecture.md, "HTTP API").
 */
export const Text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'required'),
      z.maxLength(max, `at most ${max} characters`),
      z.regex(
        /^(?:[\t\n\r]|[^\p{Cc}\p{Cs}])*$/u,
        'no control characters (but tab and line breaks) or unpaired surrogates',
      ),
    );

/** The longest tag a store may put on a customer (docs/rules.md, "Notes and tags"). */
export const MAX_TAG_LENGTH = 40;

/**
 * A tag as a request names it (a customer's tags, the inbox's `?tag=` filter): trimmed, 1 to 40
 * characters, on one line (no control character at all) and no half of a surrogate pair.
 */
export const Tag = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'required'),
      z.maxLength(MAX_TAG_LENGTH, `at most ${MAX_TAG_LENGTH} characters`),
      z.regex(/^[^\p{Cc}\p{Cs}]*$/u, 'one line: no control characters or unpaired surrogates'),
    ),
);

/**
 * Values a route takes as they come and checks one by one later, each with the schema named here
 * (a batch's entries: a bad one is reported by its index, not a 400 for the whole call). The API
 * docs show that schema in its place (lib/openapi/document.ts), so a batch's items are described
 * by the very schema they are checked with.
 */
const checkedLater = new WeakMap<object, z.ZodMiniType>();

/** Any value, checked later with `schema` by the handler itself; documented as `schema`. */
export function checkedLaterWith(schema: z.ZodMiniType): z.ZodMiniUnknown {
  const value = z.unknown();
  checkedLater.set(value, schema);
  return value;
}

/** The schema a `checkedLaterWith` value is checked with, for the docs; undefined for any other schema. */
export const checkedLaterSchema = (schema: object): z.ZodMiniType | undefined => checkedLater.get(schema);

/** The form two tags are compared in: the same letters whatever their case ("VIP" is "vip"). */
export const tagKey = (tag: string): string => tag.normalize('NFC').toLowerCase();

const UNITS: Record<string, string> = { string: ' characters', array: ' items', set: ' items', file: ' bytes' };

/** "a string", "an integer": what a field must be, as a client reads it. */
const kindOf = (expected: string): string =>
  ({ int: 'an integer', array: 'a list', object: 'an object', undefined: 'absent' })[expected] ??
  `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;

/**
 * One issue's detail for its field, as zod's error map: called only for an issue whose schema gave
 * no message of its own (a schema's own message wins), it words it field-level ("must be at most
 * 1600 characters", "required" for a missing field). What it does not know is left to zod
 * (undefined), never dropped.
 */
export function issueDetail(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `must be ${kindOf(issue.expected)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}${UNITS[issue.origin] ?? ''}`;
    case 'too_small':
      return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}${UNITS[issue.origin] ?? ''}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'invalid_format':
      return `must be a valid ${issue.format === 'datetime' ? 'ISO-8601 date-time' : issue.format}`;
    case 'invalid_union':
      return 'matches none of the accepted forms';
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return undefined;
  }
}

/** What every parse at an edge is given: the field-level wording of `issueDetail`. */
const FIELD_WORDING = { error: issueDetail } as const;

/**
 * `value` checked with `schema`, its issues worded field-level (`issueDetail`): the one safe parse
 * an edge uses, whichever zod build made the schema.
 */
export const checkFields = <T>(schema: z.core.$ZodType<T>, value: unknown) => z.safeParse(schema, value, FIELD_WORDING);

/**
 * zod's issues as field errors, the one reading of a ZodError at the edge (`root` names a
 * whole-value issue). Unknown keys are one error each, named by their own path.
 */
export function fieldErrors(where: FieldError['in'], error: z.core.$ZodError, root: string = where): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ in: where, field: [...issue.path, key].join('.'), detail: 'unknown field' }));
    return [{ in: where, field: issue.path.length > 0 ? issue.path.join('.') : root, detail: issue.message }];
  });
}

/** Field errors as one line: `field: detail; field: detail`. */
export const describeFieldErrors = (errors: readonly FieldError[]): string =>
  errors.map((e) => `${e.field}: ${e.detail}`).join('; ');

/**
 * `value` checked with `schema`; a failure is a ValidationError (400) naming every field, its
 * title starting with `what` (e.g. "Invalid body", "Invalid Twilio request").
 */
export function parseOrReject<T>(
  where: FieldError['in'],
  schema: z.core.$ZodType<T>,
  value: unknown,
  what = `Invalid ${where}`,
  root: string = where,
): T {
  const result = checkFields(schema, value);
  if (result.success) return result.data;
  const errors = fieldErrors(where, result.error, root);
  throw new ValidationError(`${what}: ${describeFieldErrors(errors)}`, errors);
}

/** A body's JSON, or the one refusal of a body that is not JSON (400 naming `body`). */
export function jsonOf(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationError('The body is not valid JSON.', [{ in: 'body', field: 'body', detail: 'malformed JSON' }]);
  }
}

/**
 * An optional JSON body (a cart share, an opt-in request): none, or only white space, is `{}`,
 * so clients that send no body keep working; any other is JSON checked with `schema`.
 */
export function parseOptionalJsonBody<T extends object>(raw: string, schema: z.core.$ZodType<T>): T | Partial<T> {
  return raw.trim() === '' ? {} : parseOrReject('body', schema, jsonOf(raw));
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The paths of `input`'s keys that `output` (what a schema made of it) no longer has: a zod
 * object drops keys it does not know, so these are the request's unknown fields, at any depth.
 */
function droppedKeys(input: unknown, output: unknown, path: readonly string[] = []): string[][] {
  if (Array.isArray(input) && Array.isArray(output) && input.length === output.length)
    return input.flatMap((item, i) => droppedKeys(item, output[i], [...path, String(i)]));
  if (!isPlainObject(input) || !isPlainObject(output)) return [];
  return Object.keys(input).flatMap((key) =>
    key in output ? droppedKeys(input[key], output[key], [...path, key]) : [[...path, key]],
  );
}

/**
 * A JSON body checked with `schema`, unknown fields refused: every route's body the same way,
 * whether its schema is a strict object (zod names the key) or not (the key it would silently
 * drop is named here), each as an `unknown field` error of its own path (400).
 */
export function parseJsonBodyWith<T>(schema: z.core.$ZodType<T>, value: unknown): T {
  const data = parseOrReject('body', schema, value);
  const unknown = droppedKeys(value, data);
  if (unknown.length === 0) return data;
  const errors: FieldError[] = unknown.map((path) => ({ in: 'body', field: path.join('.'), detail: 'unknown field' }));
  throw new ValidationError(`Invalid body: ${describeFieldErrors(errors)}`, errors);
}
