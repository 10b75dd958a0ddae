/**
 * Reading zod's verdict at an edge, written once: its issues become field errors (problem+json's
 * `errors`, each naming where and which field), and a failed parse becomes a ValidationError (400).
 * The HTTP chain, the webhooks and batch endpoints all go through here.
 */
import type * as z from 'zod';
import { ValidationError, type FieldError } from './errors';

/** zod's issues as field errors, the one reading of a ZodError at the edge (`root` names a whole-value issue). */
export function fieldErrors(where: FieldError['in'], error: z.ZodError, root: string = where): FieldError[] {
  return error.issues.map((issue) => ({
    in: where,
    field: issue.path.length > 0 ? issue.path.join('.') : root,
    detail: issue.message,
  }));
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
  schema: z.ZodType<T>,
  value: unknown,
  what = `Invalid ${where}`,
  root: string = where,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(where, result.error, root);
  throw new ValidationError(`${what}: ${describeFieldErrors(errors)}`, errors);
}
