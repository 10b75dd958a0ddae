/**
 * Field errors read as field-level messages (issue 24: zod's raw texts replaced): zod's default
 * wording becomes "must be …", "required", "unknown field"; a schema's own message stays.
 */
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../functions/shared/errors';
import { Text, parseOrReject } from '../../functions/shared/validation';

const Body = z.strictObject({
  text: z.string().max(1600),
  note: Text(20),
  count: z.int().min(1),
  channel: z.enum(['sms', 'whatsapp']),
  email: z.email(),
  sendAt: z.iso.datetime(),
  tags: z.array(z.string()).max(2),
  nested: z.strictObject({ size: z.number() }).optional(),
});

/** The field errors a body gets, by field. */
function errorsOf(body: unknown): Record<string, string> {
  try {
    parseOrReject('body', Body, body, 'Invalid body');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return Object.fromEntries(error.errors.map((e) => [e.field, e.detail]));
  }
  throw new Error('the body was accepted');
}

describe('field errors', () => {
  it("say what each field must be, in the field's own words", () => {
    expect(
      errorsOf({
        text: 'x'.repeat(1601),
        note: 'x'.repeat(21),
        count: 0,
        channel: 'fax',
        email: 'nope',
        sendAt: 'tomorrow',
        tags: ['a', 'b', 'c'],
      }),
    ).toEqual({
      text: 'must be at most 1600 characters',
      note: 'at most 20 characters',
      count: 'must be at least 1',
      channel: 'must be one of: sms, whatsapp',
      email: 'must be a valid email',
      sendAt: 'must be a valid ISO-8601 date-time',
      tags: 'must be at most 2 items',
    });
  });

  it('name a missing field as required, a wrong type by its kind, and each unknown field by its path', () => {
    const errors = errorsOf({
      text: 5,
      note: 'ok',
      channel: 'sms',
      email: 'a@example.com',
      sendAt: '2026-01-01T00:00:00Z',
      tags: [],
      nested: { size: 1, colour: 'red' },
      extra: true,
    });

    expect(errors).toEqual({
      text: 'must be a string',
      count: 'required',
      extra: 'unknown field',
      'nested.colour': 'unknown field',
    });
  });

  it('put the same words in the problem detail', () => {
    expect(() => parseOrReject('body', Body, { text: 1 }, 'Invalid body')).toThrow(
      /^Invalid body: text: must be a string; note: required/,
    );
  });
});

describe('field errors with zod/mini alone', () => {
  // A handler bundle holds zod/mini, which loads no locale (docs/architecture.md, "Schemas"):
  // the wording must come from validation.ts, not from zod's English messages. The classic
  // import above loaded them into zod's shared config; this removes them for the test.
  it('read the same without English messages loaded', async () => {
    const mini = await import('zod/mini');
    const { localeError } = mini.config();
    mini.config({ localeError: undefined });
    try {
      const Mini = mini.strictObject({
        text: mini.string().check(mini.maxLength(3)),
        count: mini.int().check(mini.gte(1)),
        channel: mini.enum(['sms', 'whatsapp']),
        sendAt: mini.optional(mini.iso.datetime()),
      });
      const detail = () => {
        try {
          parseOrReject('body', Mini, { text: 'long', channel: 'fax', sendAt: 'soon', extra: 1 }, 'Invalid body');
        } catch (error) {
          if (error instanceof ValidationError) return Object.fromEntries(error.errors.map((e) => [e.field, e.detail]));
          throw error;
        }
        throw new Error('the body was accepted');
      };
      expect(detail()).toEqual({
        text: 'must be at most 3 characters',
        count: 'required',
        channel: 'must be one of: sms, whatsapp',
        sendAt: 'must be a valid ISO-8601 date-time',
        extra: 'unknown field',
      });
    } finally {
      mini.config({ localeError });
    }
  });
});
