/**
 * `npm start`'s banner (lib/local/banner.ts): two tokens and the mint command (not a token per
 * demo user), the demo stores with their quiet hours as they are at the given moment and the
 * command that releases what they hold, the demo customers with ids and phones, and `aws` lines
 * that carry the local credentials.
 */
import { describe, expect, it } from 'vitest';
import { localBanner, type BannerInput } from '../../lib/local/banner';
import type { SeedOutcome } from '../../lib/local/demo-data';
import { mintToken } from '../../lib/local/tokens';

const key = Buffer.alloc(32, 7);
const seeded: SeedOutcome = {
  seeded: true,
  stores: [
    {
      storeId: 'chicago-michigan',
      name: 'Chicago',
      phoneNumber: '+13125550100',
      timezone: 'America/Chicago',
      quietHours: null,
    },
    {
      storeId: 'nyc-5th',
      name: 'NYC',
      phoneNumber: '+12125550100',
      timezone: 'America/New_York',
      quietHours: { start: '21:00', end: '08:00' },
    },
    {
      storeId: 'mumbai-bkc',
      name: 'Mumbai',
      phoneNumber: '+912212345678',
      timezone: 'Asia/Kolkata',
      quietHours: { start: '21:00', end: '08:00' },
    },
  ],
  customers: [
    {
      customerId: 'cus-sophia',
      name: 'Sophia Davis',
      phone: '+13125550115',
      storeId: 'chicago-michigan',
      conversationId: 'c1',
    },
    { customerId: 'cus-ava', name: 'Ava Thompson', phone: '+12125550111', storeId: 'nyc-5th', conversationId: 'c2' },
    { customerId: 'cus-emma', name: 'Emma Johnson' },
  ],
  created: { stores: 0, customers: 0, conversations: 0 },
};

const input = (now: string, seed: SeedOutcome | undefined): BannerInput => ({
  url: 'http://127.0.0.1:3000',
  dynamoEndpoint: 'http://127.0.0.1:8000',
  s3Endpoint: 'http://127.0.0.1:4569',
  tableName: 'clienteling',
  buckets: { uploads: 'clienteling-uploads', images: 'clienteling-images' },
  dropDir: '/repo/drop',
  outboxFile: '/repo/.data/outbox.jsonl',
  dataDir: '/repo/.data',
  seed,
  mint: (user) => mintToken(key, user),
  now: new Date(now),
});

const tokensIn = (text: string) => text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [];

// 03:30 UTC: 22:30 in New York (in quiet hours until 08:00 = 12:00Z), 09:00 in Mumbai (not).
const banner = await localBanner(input('2026-05-04T03:30:00Z', seeded));

describe('the npm start banner', () => {
  const lineOf = (needle: string) => banner.split('\n').find((l) => l.includes(needle)) ?? '';

  it('shows two tokens, the admin and the first store associate, and the command that mints others', () => {
    const tokens = tokensIn(banner);
    expect(tokens).toEqual([
      mintToken(key, { role: 'clienteling-admin', userId: 'admin' }),
      mintToken(key, { role: 'associate', storeId: 'chicago-michigan', userId: 'chicago-michigan-associate' }),
    ]);
    expect(banner).toContain(
      'npm run -s token -- --role associate|manager|clienteling-admin [--store <storeId>] --user <id>',
    );
  });

  it('says which stores are in quiet hours now, until when, and how to release what they hold', async () => {
    expect(lineOf('chicago-michigan  ')).toContain('quiet hours off');
    expect(lineOf('nyc-5th  ')).toContain(
      'quiet hours 21:00–08:00, NOW: first messages held until 08:00 (2026-05-04T12:00Z)',
    );
    expect(lineOf('mumbai-bkc  ')).toContain('quiet hours 21:00–08:00, not now');
    expect(banner).toContain(
      `curl -X POST http://127.0.0.1:3000/_local/schedules/scheduled-sender -d '{"time":"2026-05-04T12:00:00.000Z"}'`,
    );
    // At 13:00 UTC no store is in its quiet hours: no release command to give.
    const afternoon = await localBanner(input('2026-05-04T13:00:00Z', seeded));
    expect(afternoon).not.toContain('scheduled-sender');
    expect(afternoon).toContain('quiet hours 21:00–08:00, not now');
  });

  it('names the demo customers under their store, with id and phone, and counts the unlinked ones', () => {
    const lines = banner.split('\n');
    const chicago = lines.findIndex((l) => l.includes('chicago-michigan  '));
    expect(lines[chicago + 1]).toMatch(/Sophia Davis\s+\+13125550115\s+cus-sophia/);
    expect(lineOf('Ava Thompson')).toMatch(/\+12125550111\s+cus-ava/);
    expect(banner).toContain('and 1 customers linked to no store');
    expect(banner).toContain('npm run -s sms -- --from +13125550115 --to +13125550100 --body YES');
  });

  it('prints aws lines that run as written against the local engines (credentials and region inline)', () => {
    const env = 'AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1';
    expect(banner).toContain(
      `${env} aws s3 cp list.csv s3://clienteling-uploads/incoming/list.csv --endpoint-url http://127.0.0.1:4569`,
    );
    expect(banner).toContain(`${env} aws dynamodb scan --table-name clienteling`);
  });

  it('says why the demo data is missing, and still gives the two tokens', async () => {
    const failed = await localBanner(
      input('2026-05-04T03:30:00Z', { seeded: false, reason: 'PUT /stores/x answered 500' }),
    );
    expect(failed).toContain('demo data: NOT loaded (PUT /stores/x answered 500); retried on the next start');
    expect(tokensIn(failed)).toHaveLength(2);
    const unseeded = await localBanner(input('2026-05-04T03:30:00Z', undefined));
    expect(unseeded).toContain('demo data: not requested');
    expect(tokensIn(unseeded)).toHaveLength(2);
  });
});
