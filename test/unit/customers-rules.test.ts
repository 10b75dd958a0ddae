/**
 * A store's notes and tags about a customer (docs/rules.md, "Notes and tags"): the limits with
 * the field each refusal names, how tags are normalised, and who may delete a note.
 */
import { describe, expect, it } from 'vitest';
import { NoteBody, TagsBody } from '../../functions/customers/model';
import { MAX_NOTE_LENGTH, MAX_TAGS, mayDeleteNote, normaliseTags } from '../../functions/customers/rules';
import { fieldErrors, MAX_TAG_LENGTH, Tag, tagKey } from '../../functions/shared/validation';

const refusal = (schema: typeof NoteBody | typeof TagsBody, body: unknown) => {
  const result = schema.safeParse(body);
  expect(result.success, JSON.stringify(body).slice(0, 80)).toBe(false);
  return fieldErrors('body', result.error!);
};

describe('tags', () => {
  it.each([
    [['VIP', 'vip', ' Vip '], ['VIP']],
    [
      ['bridal', 'VIP', 'Bridal', 'vip'],
      ['bridal', 'VIP'],
    ],
    [['  size 38  ', 'Size 38'], ['size 38']],
    [['Éte', 'éte'], ['Éte']],
    [[], []],
  ])('%j is kept as %j (trimmed, first spelling, given order)', (given, kept) => {
    expect(TagsBody.parse({ tags: given }).tags).toEqual(kept);
  });

  it('counts the limit after duplicates are dropped', () => {
    const twenty = Array.from({ length: MAX_TAGS }, (_, i) => `tag ${i}`);
    expect(TagsBody.parse({ tags: [...twenty, ...twenty.map((t) => t.toUpperCase())] }).tags).toEqual(twenty);
    expect(refusal(TagsBody, { tags: [...twenty, 'one more'] })).toEqual([
      { in: 'body', field: 'tags', detail: `at most ${MAX_TAGS} tags (after dropping duplicates)` },
    ]);
  });

  it.each([
    ['an empty tag', ['ok', '   '], 'tags.1', 'required'],
    ['a tag over 40 characters', ['x'.repeat(MAX_TAG_LENGTH + 1)], 'tags.0', `at most ${MAX_TAG_LENGTH} characters`],
    ['a tag on two lines', ['two\nlines'], 'tags.0', 'one line: no control characters or unpaired surrogates'],
    ['a tag with a lone surrogate', ['\ud800'], 'tags.0', 'one line: no control characters or unpaired surrogates'],
  ])('%s is a 400 naming %s', (_, tags, field, detail) => {
    expect(refusal(TagsBody, { tags })).toContainEqual({ in: 'body', field, detail });
  });

  it('takes 40 characters exactly, and no list is no tags', () => {
    expect(TagsBody.parse({ tags: ['x'.repeat(MAX_TAG_LENGTH)] }).tags).toEqual(['x'.repeat(MAX_TAG_LENGTH)]);
    expect(refusal(TagsBody, {})).toEqual([expect.objectContaining({ field: 'tags' })]);
  });

  it('compares tags ignoring case, as the inbox filter does', () => {
    expect(tagKey('VIP')).toBe(tagKey('vip'));
    expect(tagKey('Bridal')).not.toBe(tagKey('bride'));
    expect(normaliseTags(['A', 'a', 'B'])).toEqual(['A', 'B']);
    expect(Tag.parse('  VIP ')).toBe('VIP');
  });
});

describe('notes', () => {
  it('keeps a note of up to 2,000 characters, trimmed, on several lines', () => {
    const text = `${'x'.repeat(MAX_NOTE_LENGTH - 6)}\nline2`;
    expect(NoteBody.parse({ text: `  ${text}  ` }).text).toBe(text);
  });

  it.each([
    ['an empty note', { text: '  ' }, 'required'],
    [
      'a note over 2,000 characters',
      { text: 'x'.repeat(MAX_NOTE_LENGTH + 1) },
      `at most ${MAX_NOTE_LENGTH} characters`,
    ],
    [
      'a note with a NUL',
      { text: 'a\u0000b' },
      'no control characters (but tab and line breaks) or unpaired surrogates',
    ],
  ])('%s is a 400 naming text', (_, body, detail) => {
    expect(refusal(NoteBody, body)).toContainEqual({ in: 'body', field: 'text', detail });
  });

  it.each([
    ['its author, an associate', { userId: 'alice', roles: ['associate'] as const }, true],
    ['a manager of the store', { userId: 'maria', roles: ['manager'] as const }, true],
    ['another associate', { userId: 'bob', roles: ['associate'] as const }, false],
    ['an author who is a manager', { userId: 'alice', roles: ['manager'] as const }, true],
  ])('%s may delete it: %s', (_, caller, allowed) => {
    expect(mayDeleteNote(caller, { authorId: 'alice' })).toBe(allowed);
  });
});
