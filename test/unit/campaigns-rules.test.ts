import { describe, expect, it } from 'vitest';
import {
  CampaignStores,
  CsvFormatError,
  MAX_CAMPAIGN_STORES,
  MAX_CAMPAIGN_STORE_ID_BYTES,
  OUTREACH_SHARDS,
  campaignNameFromKey,
  checkHeader,
  classifyRow,
  deadLetterNote,
  finalStatus,
  fromWireRow,
  ignoredUploadReason,
  isFolderMarker,
  shardOf,
  stalledImportVerdict,
  toWireRow,
} from '../../functions/campaigns/rules';
import { physicalLinesOf } from '../../functions/shared/csv-lines';
import { decodeS3Key } from '../../functions/shared/s3-notification';
import { isValidEmail } from '../../functions/stores/rules';
import { Email } from '../../functions/stores/schemas';

describe('checkHeader', () => {
  it.each([
    [['customer email', 'store id']],
    [['\uFEFFcustomer email', 'store id']],
    [['  CUSTOMER EMAIL', 'Store Id  ']],
  ])('accepts %j', (cells) => {
    expect(() => checkHeader(cells)).not.toThrow();
  });

  it.each([
    [['store id', 'customer email'], /swapped/],
    [['customer email', 'store id', 'x'], /3 columns/],
    [['customer email'], /1 column;/],
    [[], /an empty line/],
    [['customer  email', 'store id'], /found "customer {2}email"/],
    [['customer_email', 'store_id'], /expected|must be "customer email", "store id"/],
  ])('refuses %j naming what it found', (cells, message) => {
    expect(() => checkHeader(cells)).toThrow(CsvFormatError);
    expect(() => checkHeader(cells)).toThrow(message);
  });
});

describe('classifyRow', () => {
  it.each([
    { cells: ['a@x.com', 's1'], expected: { line: 5, email: 'a@x.com', storeId: 's1' } },
    { cells: [' A@X.com ', ' s1 '], expected: { line: 5, email: 'a@x.com', storeId: 's1' } },
    { cells: ['a@x', 's1'], expected: { line: 5, email: 'a@x', storeId: 's1', reason: 'INVALID_EMAIL' } },
    { cells: ['a@@x.com', 's1'], expected: { line: 5, email: 'a@@x.com', storeId: 's1', reason: 'INVALID_EMAIL' } },
    { cells: ['', ''], expected: { line: 5, email: '', storeId: '', reason: 'INVALID_EMAIL' } },
    { cells: ['a@x.com', ''], expected: { line: 5, email: 'a@x.com', storeId: '', reason: 'MISSING_STORE_ID' } },
    { cells: ['a@x.com'], expected: { line: 5, email: 'a@x.com', storeId: '', reason: 'MALFORMED_ROW' } },
    { cells: ['a@x.com', 's1', ''], expected: { line: 5, email: 'a@x.com', storeId: 's1', reason: 'MALFORMED_ROW' } },
  ])('$cells -> $expected.reason', ({ cells, expected }) => {
    expect(classifyRow(5, cells)).toEqual(expected);
  });

  it('clips absurdly long fields so a rejection fits in a queue message', () => {
    expect(classifyRow(2, ['x'.repeat(5000), 's1']).email).toHaveLength(320);
  });
});

describe('isValidEmail', () => {
  it.each(['a@x.com', 'first.last+tag@sub.example.co.uk', "o'neil@x.ie"])('accepts %s', (email) =>
    expect(isValidEmail(email)).toBe(true),
  );
  it.each(['', 'plain', '@x.com', 'a@', 'a@x', 'a b@x.com', '.a@x.com', 'a..b@x.com'])('refuses %j', (email) =>
    expect(isValidEmail(email)).toBe(false),
  );
  it.each(['a@x.com', "o'neil@x.ie", '.a@x.com', 'a..b@x.com', `${'a'.repeat(250)}@x.com`])(
    'gives the customers Email schema the same answer for %j (one rule for rows and customers)',
    (email) => expect(isValidEmail(email)).toBe(Email.safeParse(email).success),
  );
});

describe('physicalLinesOf', () => {
  it.each([
    [[], 1],
    [['a', 'b'], 1],
    [['a\nb', 'c'], 2],
    [['a\r\nb\r\nc', 'd\ne'], 4],
  ])('%j spans %i lines', (cells, lines) => expect(physicalLinesOf(cells)).toBe(lines));
});

describe('finalStatus', () => {
  it.each([
    [{ accepted: 10, rejected: 0 }, 'SUCCESSFUL'],
    [{ accepted: 10, rejected: 1 }, 'PARTIALLY_SUCCESSFUL'],
    [{ accepted: 0, rejected: 5 }, 'FAILED'],
    [{ accepted: 0, rejected: 0 }, 'FAILED'],
  ] as const)('%j -> %s', (counts, status) => expect(finalStatus(counts)).toBe(status));
});

describe('S3 keys and names', () => {
  it.each([
    ['incoming/Holidays+2024.csv', 'incoming/Holidays 2024.csv'],
    ['incoming/Caf%C3%A9+%26+Co.csv', 'incoming/Café & Co.csv'],
    ['incoming/a%2Bb.csv', 'incoming/a+b.csv'],
  ])('decodes the event key %s', (encoded, decoded) => expect(decodeS3Key(encoded)).toBe(decoded));

  it.each([
    ['incoming/Holidays 2024.csv', 'Holidays 2024'],
    ['incoming/sub/Re-engage.CSV', 'Re-engage'],
    ['incoming/list.txt', 'list.txt'],
  ])('names the campaign of %s %j', (key, name) => expect(campaignNameFromKey(key)).toBe(name));
});

describe('shardOf', () => {
  it('is stable and spreads customers over every shard', () => {
    const shards = new Set(Array.from({ length: 1000 }, (_, i) => shardOf(`customer-${i}`)));
    expect(shardOf('customer-1')).toBe(shardOf('customer-1'));
    expect(shards.size).toBe(OUTREACH_SHARDS);
  });
});

describe('wire rows', () => {
  it.each([
    [{ line: 2, email: 'a@x.com', storeId: 's1' }],
    [{ line: 9, email: 'bad', storeId: 's1', reason: 'INVALID_EMAIL' as const }],
  ])('round-trips %j', (row) => expect(fromWireRow(toWireRow(row))).toEqual(row));
});

describe('stalledImportVerdict (what the import watchdog does with an import that stopped)', () => {
  const now = new Date('2025-06-01T12:00:00Z');
  const base = {
    createdAt: '2025-06-01T10:00:00Z',
    progressAt: '2025-06-01T11:00:00Z',
    sourceTag: 'etag',
    deadLettered: [] as string[],
  };
  it.each([
    ['every chunk written, only the final write lost', { ...base, chunksTotal: 3, chunksDone: 3 }, 'finish'],
    ['chunk total known, chunks missing', { ...base, chunksTotal: 3, chunksDone: 1 }, 'fail'],
    ['import died before it counted the chunks', { ...base, chunksDone: 2 }, 'fail'],
    [
      'no file yet, upload URL still valid',
      { createdAt: '2025-06-01T11:00:00Z', chunksDone: 0, deadLettered: [] },
      'wait',
    ],
    [
      'no file, upload URL expired long ago',
      { createdAt: '2025-06-01T09:00:00Z', chunksDone: 0, deadLettered: [] },
      'fail',
    ],
  ] as const)('%s → %s', (_why, campaign, action) => {
    expect(stalledImportVerdict(campaign, now).action).toBe(action);
  });

  it('names the interruption, the progress and the dead-lettered rows in the error', () => {
    const verdict = stalledImportVerdict(
      {
        ...base,
        chunksTotal: 4,
        chunksDone: 3,
        deadLettered: [
          deadLetterNote(
            {
              chunk: 2,
              rows: [
                [2002, 'a@b.co', 's'],
                [3001, 'c@d.co', 's'],
              ],
            },
            5,
          ),
        ],
      },
      now,
    );
    expect(verdict).toEqual({
      action: 'fail',
      error:
        'import interrupted; upload the file again (no progress since 2025-06-01T11:00:00Z; 3 of 4 chunks written; rows on lines 2002–3001 (chunk 2) could not be written after 5 attempts and wait in the import dead-letter queue).',
    });
  });
});

describe('ignoredUploadReason (why an upload the import could not claim is ignored)', () => {
  it.each([
    ['a deleted campaign', { status: 'PROCESSING' as const, deleted: true }, 'the campaign was deleted'],
    ['an ended import', { status: 'FAILED' as const, deleted: false, sourceTag: 'a' }, 'has ended (FAILED)'],
    ['another ETag of the key', { status: 'PROCESSING' as const, deleted: false, sourceTag: 'b' }, 'another ETag'],
  ])('%s', (_case, campaign, expected) => {
    expect(ignoredUploadReason(campaign, 'a')).toContain(expected);
  });

  it('a campaign gone meanwhile reads as deleted', () => {
    expect(ignoredUploadReason(undefined, 'a')).toBe('the campaign was deleted');
  });
});

describe('isFolderMarker', () => {
  it.each([
    ['incoming/', true],
    ['incoming/.csv', true],
    ['incoming/ .csv', true],
    ['incoming/list.csv', false],
    ['campaigns/0b7c.csv', false],
  ])('%s → %s', (key, marker) => expect(isFolderMarker(key)).toBe(marker));
});

describe('CampaignStores (the store limit of a campaign)', () => {
  const fill = (stores: CampaignStores, count: number, idOf = (i: number) => `store-${i}`) => {
    for (let i = 0; i < count; i++) stores.add(idOf(i), i + 2);
  };

  it('takes exactly the maximum of distinct store ids, and any repeat of them', () => {
    const stores = new CampaignStores();
    fill(stores, MAX_CAMPAIGN_STORES);
    expect(() => fill(stores, MAX_CAMPAIGN_STORES)).not.toThrow();
  });

  it('refuses the one store id too many, naming the limit and its line', () => {
    const stores = new CampaignStores();
    fill(stores, MAX_CAMPAIGN_STORES);
    expect(() => stores.add('one-more', 2_002)).toThrow(CsvFormatError);
    expect(() => stores.add('one-more', 2_002)).toThrow(
      /more than 2,000 distinct store ids \(the store id on line 2002 is one too many\); a campaign holds at most 2,000 stores/,
    );
  });

  it.each([
    ['ASCII ids of 320 bytes', 'x'.repeat(316), 320],
    ['ids of 160 four-byte characters', '😀'.repeat(159), 640],
  ])('refuses %s once they take more than the byte limit together', (_why, tail, bytes) => {
    const stores = new CampaignStores();
    const idOf = (i: number) => String(i).padStart(4, '0') + tail;
    const fitting = Math.floor(MAX_CAMPAIGN_STORE_ID_BYTES / bytes);
    fill(stores, fitting, idOf);
    expect(Buffer.byteLength(idOf(0))).toBe(bytes);
    expect(() => stores.add(idOf(fitting), 9_999)).toThrow(
      /take more than 200,000 bytes together \(reached at line 9999\)/,
    );
  });
});
