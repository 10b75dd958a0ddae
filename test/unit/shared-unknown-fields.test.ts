/**
 * Unknown fields are refused the same way on every JSON body (issue 24): for each route of the
 * manifest with a body, its documented example passes the route's own body schema, and the same
 * example with one more field, at the top or inside a nested object, is a 400 naming that field.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/shared/errors';
import { parseJsonBodyWith } from '../../functions/shared/validation';
import { OPERATION_DOCS, routeContracts } from '../../lib/openapi/document';

const contracts = await routeContracts();
const withBodies = [...contracts].filter(([, contract]) => contract.body !== undefined);

/** The field errors of a refused body (fails the test when the body is accepted). */
function refusal(parse: () => unknown) {
  try {
    parse();
  } catch (error) {
    if (error instanceof ValidationError) return error.errors;
    throw error;
  }
  throw new Error('the body was accepted');
}

/** The example with `extra` put into its first nested object, if it has one. */
function nestedExtra(example: Record<string, unknown>): { body: unknown; field: string } | undefined {
  for (const [key, value] of Object.entries(example))
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return { body: { ...example, [key]: { ...value, extra: 1 } }, field: `${key}.extra` };
  return undefined;
}

describe('unknown fields in JSON bodies', () => {
  it('covers every route with a body, each documented with an example', () => {
    expect(withBodies.length).toBeGreaterThan(10);
    expect(withBodies.filter(([key]) => OPERATION_DOCS[key]?.example === undefined).map(([key]) => key)).toEqual([]);
  });

  it.each(withBodies)('%s: the example passes, one more field is refused by name', (key, contract) => {
    const schema = contract.body!;
    const example = OPERATION_DOCS[key]!.example as Record<string, unknown>;

    expect(() => parseJsonBodyWith(schema, example)).not.toThrow();
    expect(refusal(() => parseJsonBodyWith(schema, { ...example, unknownField: 1 }))).toEqual([
      { in: 'body', field: 'unknownField', detail: 'unknown field' },
    ]);
    const nested = nestedExtra(example);
    if (nested)
      expect(refusal(() => parseJsonBodyWith(schema, nested.body))).toEqual([
        { in: 'body', field: nested.field, detail: 'unknown field' },
      ]);
  });
});
