import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCampaignRows } from '../../functions/campaigns/csv';
import { CsvFormatError, type ClassifiedRow } from '../../functions/campaigns/rules';

/** Streams the file in small pieces so rows and quotes straddle chunk boundaries, as S3 bodies do. */
function streamOf(content: string | Buffer, pieceBytes = 7): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += pieceBytes) pieces.push(bytes.subarray(i, i + pieceBytes));
  return Readable.from(pieces);
}

async function read(content: string | Buffer): Promise<ClassifiedRow[]> {
  const rows: ClassifiedRow[] = [];
  for await (const row of readCampaignRows(streamOf(content))) rows.push(row);
  return rows;
}

const HEADER = 'customer email,store id';

describe('campaign CSV: files that import', () => {
  const cases: Array<{ name: string; file: string; rows: ClassifiedRow[] }> = [
    {
      name: 'plain LF',
      file: `${HEADER}\na@x.com,s1\nb@x.com,s2\n`,
      rows: [
        { line: 2, email: 'a@x.com', storeId: 's1' },
        { line: 3, email: 'b@x.com', storeId: 's2' },
      ],
    },
    {
      name: 'CRLF',
      file: `${HEADER}\r\na@x.com,s1\r\nb@x.com,s2\r\n`,
      rows: [
        { line: 2, email: 'a@x.com', storeId: 's1' },
        { line: 3, email: 'b@x.com', storeId: 's2' },
      ],
    },
    {
      name: 'no newline at the end',
      file: `${HEADER}\na@x.com,s1`,
      rows: [{ line: 2, email: 'a@x.com', storeId: 's1' }],
    },
    {
      name: 'UTF-8 BOM before the header',
      file: `\uFEFF${HEADER}\na@x.com,s1\n`,
      rows: [{ line: 2, email: 'a@x.com', storeId: 's1' }],
    },
    {
      name: 'header case and surrounding spaces',
      file: ` Customer Email , STORE ID \na@x.com,s1\n`,
      rows: [{ line: 2, email: 'a@x.com', storeId: 's1' }],
    },
    {
      name: 'quoted header',
      file: `"customer email","store id"\na@x.com,s1\n`,
      rows: [{ line: 2, email: 'a@x.com', storeId: 's1' }],
    },
    {
      name: 'blank lines are skipped but counted',
      file: `${HEADER}\n\na@x.com,s1\n\n\nb@x.com,s2\n\n`,
      rows: [
        { line: 3, email: 'a@x.com', storeId: 's1' },
        { line: 6, email: 'b@x.com', storeId: 's2' },
      ],
    },
    {
      name: 'blank CRLF lines',
      file: `${HEADER}\r\n\r\na@x.com,s1\r\n`,
      rows: [{ line: 3, email: 'a@x.com', storeId: 's1' }],
    },
    {
      name: 'quoted fields, an escaped quote and a comma inside quotes',
      file: `${HEADER}\n"a@x.com","s1"\n"b@x.com","store ""2"", east"\n`,
      rows: [
        { line: 2, email: 'a@x.com', storeId: 's1' },
        { line: 3, email: 'b@x.com', storeId: 'store "2", east' },
      ],
    },
    {
      name: 'a quoted field spanning lines: the row counts from where it starts',
      file: `${HEADER}\na@x.com,"s\n1"\nb@x.com,s2\n`,
      rows: [
        { line: 2, email: 'a@x.com', storeId: 's\n1' },
        { line: 4, email: 'b@x.com', storeId: 's2' },
      ],
    },
    {
      name: 'emails trimmed and lower-cased, store ids trimmed',
      file: `${HEADER}\n  Ann@X.COM  ,  s1 \n`,
      rows: [{ line: 2, email: 'ann@x.com', storeId: 's1' }],
    },
    {
      name: 'duplicates are rows like any other (the writer counts them)',
      file: `${HEADER}\na@x.com,s1\nA@x.com,s1\n`,
      rows: [
        { line: 2, email: 'a@x.com', storeId: 's1' },
        { line: 3, email: 'a@x.com', storeId: 's1' },
      ],
    },
  ];
  it.each(cases)('$name', async ({ file, rows }) => {
    // Act
    const read_ = await read(file);
    // Assert
    expect(read_).toEqual(rows);
  });
});

describe('campaign CSV: rows rejected by the file alone', () => {
  const cases: Array<{ name: string; row: string; expected: ClassifiedRow }> = [
    {
      name: 'an email with no @ is INVALID_EMAIL',
      row: 'ann.x.com,s1',
      expected: { line: 2, email: 'ann.x.com', storeId: 's1', reason: 'INVALID_EMAIL' },
    },
    {
      name: 'an empty email is INVALID_EMAIL',
      row: ',s1',
      expected: { line: 2, email: '', storeId: 's1', reason: 'INVALID_EMAIL' },
    },
    {
      name: 'an email without a domain dot is INVALID_EMAIL',
      row: 'ann@x,s1',
      expected: { line: 2, email: 'ann@x', storeId: 's1', reason: 'INVALID_EMAIL' },
    },
    {
      name: 'an empty store id is MISSING_STORE_ID',
      row: 'a@x.com,',
      expected: { line: 2, email: 'a@x.com', storeId: '', reason: 'MISSING_STORE_ID' },
    },
    {
      name: 'a blank store id is MISSING_STORE_ID',
      row: 'a@x.com,   ',
      expected: { line: 2, email: 'a@x.com', storeId: '', reason: 'MISSING_STORE_ID' },
    },
    {
      name: 'one field is MALFORMED_ROW',
      row: 'a@x.com',
      expected: { line: 2, email: 'a@x.com', storeId: '', reason: 'MALFORMED_ROW' },
    },
    {
      name: 'three fields is MALFORMED_ROW',
      row: 'a@x.com,s1,extra',
      expected: { line: 2, email: 'a@x.com', storeId: 's1', reason: 'MALFORMED_ROW' },
    },
    {
      name: 'a trailing comma is MALFORMED_ROW',
      row: 'a@x.com,s1,',
      expected: { line: 2, email: 'a@x.com', storeId: 's1', reason: 'MALFORMED_ROW' },
    },
  ];
  it.each(cases)('$name', async ({ row, expected }) => {
    expect(await read(`${HEADER}\n${row}\n`)).toEqual([expected]);
  });

  it('gives each rejected row the physical line it starts on', async () => {
    // Arrange
    const file = `${HEADER}\n\nbad,s1\n"multi\nline@x.com",s1\nc@x.com,\n`;
    // Act
    const rows = await read(file);
    // Assert
    expect(rows.map((r) => [r.line, r.reason])).toEqual([
      [3, 'INVALID_EMAIL'],
      [4, 'INVALID_EMAIL'],
      [6, 'MISSING_STORE_ID'],
    ]);
  });
});

describe('campaign CSV: files that fail', () => {
  const cases: Array<{ name: string; file: string | Buffer; error: RegExp }> = [
    { name: 'an empty file', file: '', error: /empty/ },
    { name: 'only blank lines', file: '\n\n\r\n', error: /no header/ },
    { name: 'a header and nothing else', file: `${HEADER}\n`, error: /header but no data rows/ },
    { name: 'a header followed by blank lines', file: `${HEADER}\n\n\n`, error: /header but no data rows/ },
    {
      name: 'swapped columns',
      file: 'store id,customer email\ns1,a@x.com\n',
      error: /expected|must be.*found "store id", "customer email".*swapped/,
    },
    {
      name: 'a third column',
      file: 'customer email,store id,name\na@x.com,s1,Ann\n',
      error: /found "customer email", "store id", "name" \(3 columns/,
    },
    { name: 'a missing column', file: 'customer email\na@x.com\n', error: /found "customer email" \(1 column;/ },
    {
      name: 'another header name',
      file: 'email,store\na@x.com,s1\n',
      error: /must be "customer email", "store id"; found "email", "store"/,
    },
    { name: 'no header at all (data first)', file: 'a@x.com,s1\nb@x.com,s2\n', error: /found "a@x.com", "s1"/ },
    {
      name: 'a binary file (NUL bytes)',
      file: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
      error: /not text/,
    },
    {
      name: 'bytes that are not UTF-8',
      file: Buffer.from([0x63, 0x75, 0xff, 0xfe, 0x0a, 0x61]),
      error: /not text \(it is not valid UTF-8\)/,
    },
    {
      name: 'a quote that never closes (one endless row)',
      file: `${HEADER}\n"a@x.com,s1\n${'x,y\n'.repeat(20_000)}`,
      error: /longer than/,
    },
  ];
  it.each(cases)('$name', async ({ file, error }) => {
    // Act
    const reading = read(file);
    // Assert
    await expect(reading).rejects.toBeInstanceOf(CsvFormatError);
    await expect(read(file)).rejects.toThrow(error);
  });

  it('refuses a bad header before yielding any row', async () => {
    // Arrange
    const reader = readCampaignRows(streamOf('store id,customer email\ns1,a@x.com\n'));
    // Act
    const first = reader.next();
    // Assert
    await expect(first).rejects.toThrow(/swapped/);
  });
});
