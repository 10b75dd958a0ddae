import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, firstCell } from '../../functions/shared/csv-records';
import { cellHoldsEmail } from '../../functions/stores/rules';

/** Feeds the text in chunks of `size` bytes and returns the records as text. */
function split(text: string, size: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const splitter = new CsvRecordSplitter();
  const records: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) records.push(...splitter.push(bytes.subarray(i, i + size)));
  const last = splitter.end();
  if (last) records.push(last);
  return records.map((r) => r.toString('utf8'));
}

describe('CSV records, byte for byte', () => {
  it.each([
    [
      'LF lines',
      'customer email,store id\na@x.co,s1\nb@x.co,s2\n',
      ['customer email,store id\n', 'a@x.co,s1\n', 'b@x.co,s2\n'],
    ],
    ['CRLF lines, no final break', 'h1,h2\r\na@x.co,s1\r\nb@x.co,s2', ['h1,h2\r\n', 'a@x.co,s1\r\n', 'b@x.co,s2']],
    ['a quoted cell holding a line break is one record', 'h\n"a\nb",s1\nc,s2\n', ['h\n', '"a\nb",s1\n', 'c,s2\n']],
    ['doubled quotes keep the cell quoted', 'h\n"a""\nb",s\nc\n', ['h\n', '"a""\nb",s\n', 'c\n']],
    ['blank lines are records of their own', 'h\n\na,s\n', ['h\n', '\n', 'a,s\n']],
    ['a BOM stays on the first record', '\uFEFFh\na,s\n', ['\uFEFFh\n', 'a,s\n']],
    ['multi-byte characters across chunks', 'h\nzoë@x.co,s\n', ['h\n', 'zoë@x.co,s\n']],
  ])('%s', (_why, text, records) => {
    for (const size of [1, 2, 3, 7, 1024]) {
      expect(split(text, size)).toEqual(records);
      expect(split(text, size).join('')).toBe(text);
    }
  });
});

describe('first cell', () => {
  it.each([
    ['a@x.co,s1\n', 'a@x.co', 'plain'],
    ['a@x.co\r\n', 'a@x.co', 'the only cell, CRLF'],
    ['"a,b@x.co",s1\n', 'a,b@x.co', 'quoted, with a comma'],
    ['"say ""hi""",s\n', 'say "hi"', 'doubled quotes'],
    ['\uFEFFcustomer email,store id\n', 'customer email', 'the BOM is not part of it'],
    ['\n', '', 'a blank line'],
    ['  A@X.co ,s\n', '  A@X.co ', 'spaces kept: the caller compares as emails are'],
  ])('%j is %j (%s)', (record, cell) => {
    expect(firstCell(Buffer.from(record, 'utf8'))).toBe(cell);
  });
});

describe('cellHoldsEmail', () => {
  it.each([
    ['a@x.co', true, 'as stored'],
    ['  A@X.CO ', true, 'trimmed, any case, as the import compares'],
    ["'a@x.co", false, 'a quote before a plain email is another value'],
    ['b@x.co', false, 'another email'],
    ['a@x.co.uk', false, 'a longer email'],
    ['', false, 'empty'],
  ])('%j for a@x.co: %s (%s)', (cell, holds) => {
    expect(cellHoldsEmail(cell, 'a@x.co')).toBe(holds);
  });

  it("matches an export's formula-guarded cell", () => {
    expect(cellHoldsEmail("'-a@x.co", '-a@x.co')).toBe(true);
    expect(cellHoldsEmail("'=a@x.co", 'a@x.co')).toBe(false);
  });
});
