/**
 * What `npm start` prints once the stack is up (bin/local.ts; README, "Quick start"): where each
 * part runs, with commands that work as printed (the local S3 needs its credentials inline), two
 * ready tokens and the command that mints others, and the demo stores with their numbers, their
 * quiet hours as they are now and the demo customers linked to each (ids and phones), so a first
 * message that answers 202 `scheduled` is explained before it happens, with the command that
 * releases it (docs/rules.md, "Compliance").
 *
 * Pure: the caller passes the stack's places, the seeding outcome, a token minter and "now".
 */
import { quietHoursEnd } from '../../functions/conversations/quiet-hours';
import { DEMO_STORES, type DemoUser, type SeededCustomer, type SeededStore, type SeedOutcome } from './demo-data';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './engines';

export interface BannerInput {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly buckets: { readonly uploads: string; readonly images: string };
  readonly dropDir: string;
  readonly outboxFile: string;
  readonly dataDir: string;
  readonly seed: SeedOutcome | undefined;
  readonly mint: (user: DemoUser) => string;
  readonly now: Date;
}

/**
 * The environment every `aws` line against the local engines needs: s3rver takes only this key,
 * and AWS CLI v1 reads its region from AWS_DEFAULT_REGION only (v2 reads it too).
 */
export const LOCAL_AWS_ENV = `AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey} AWS_DEFAULT_REGION=${LOCAL_REGION}`;

const TOKEN_COMMAND = 'npm run -s token --';
const hhmm = (date: Date, timezone: string) =>
  date.toLocaleTimeString('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit' });
const utc = (date: Date) => date.toISOString().replace(/:00\.000Z$/, 'Z');

/** One store's quiet hours, now: off, not now, or in them (first messages held until their end). */
async function quietHoursNow(store: SeededStore, now: Date): Promise<{ text: string; end?: Date }> {
  if (!store.quietHours) return { text: 'quiet hours off' };
  const window = `quiet hours ${store.quietHours.start}–${store.quietHours.end}`;
  const end = await quietHoursEnd(now, store.timezone, store.quietHours);
  if (!end) return { text: `${window}, not now` };
  return { text: `${window}, NOW: first messages held until ${hhmm(end, store.timezone)} (${utc(end)})`, end };
}

/** The demo stores as stored, each with its linked customers, and the release command when any store is in quiet hours. */
async function storeLines(
  url: string,
  stores: readonly SeededStore[],
  customers: readonly SeededCustomer[],
  now: Date,
): Promise<string[]> {
  const lines: string[] = [];
  let latestEnd: Date | undefined;
  for (const store of stores) {
    const quiet = await quietHoursNow(store, now);
    if (quiet.end && (!latestEnd || quiet.end > latestEnd)) latestEnd = quiet.end;
    lines.push(
      `    ${store.storeId.padEnd(17)} ${store.phoneNumber.padEnd(14)} ${store.timezone.padEnd(19)} ${quiet.text}`,
    );
    for (const c of customers.filter((c) => c.storeId === store.storeId))
      lines.push(`      ${c.name.padEnd(20)} ${(c.phone ?? '').padEnd(14)} ${c.customerId}`);
  }
  const unlinked = customers.filter((c) => !c.storeId).length;
  if (unlinked > 0) lines.push(`    and ${unlinked} customers linked to no store (admins see them)`);
  if (latestEnd)
    lines.push(
      '',
      '  In quiet hours a first message answers 202 `scheduled` (a customer who wrote in the last 24 h is',
      "  answered at once); it goes out at the window's end, or now with:",
      `    curl -X POST ${url}/_local/schedules/scheduled-sender -d '{"time":"${latestEnd.toISOString()}"}'`,
    );
  return lines;
}

/** Two tokens (the admin, an associate of the first demo store) and the command that mints others. */
function tokenLines(input: BannerInput, storeId: string): string[] {
  const associate: DemoUser = { role: 'associate', storeId, userId: `${storeId}-associate` };
  return [
    '  tokens (valid 12 h):',
    `    clienteling-admin               ${input.mint({ role: 'clienteling-admin', userId: 'admin' })}`,
    `    associate of ${storeId.padEnd(18)} ${input.mint(associate)}`,
    `    others: ${TOKEN_COMMAND} --role associate|manager|clienteling-admin [--store <storeId>] --user <id>`,
    `    e.g. curl -H "Authorization: Bearer $(${TOKEN_COMMAND} --role clienteling-admin --user admin)" ${input.url}/stores/${storeId}`,
  ];
}

/** The demo part: what seeding found, the stores and their customers, and how to text one of them. */
async function demoLines(input: BannerInput): Promise<string[]> {
  const { seed, url } = input;
  if (seed === undefined) return ['  demo data: not requested (--no-seed)'];
  if (!seed.seeded)
    return [
      `  demo data: NOT loaded (${seed.reason}); retried on the next start`,
      `  stores: ${DEMO_STORES.map((s) => s.storeId).join(', ')}`,
    ];
  const { created } = seed;
  const added =
    created.stores + created.customers + created.conversations === 0
      ? 'already there'
      : `added ${created.stores} stores, ${created.customers} customers, ${created.conversations} conversations`;
  const first = seed.stores[0]!;
  const customer = seed.customers.find((c) => c.storeId === first.storeId)?.phone ?? '<customer phone>';
  return [
    `  demo data (${added}): stores, with the customers whose conversation is open there`,
    ...(await storeLines(url, seed.stores, seed.customers, input.now)),
    '',
    `  Text the store as a customer: npm run -s sms -- --from ${customer} --to ${first.phoneNumber} --body YES`,
  ];
}

/** The whole banner, one string. */
export async function localBanner(input: BannerInput): Promise<string> {
  const { url } = input;
  return [
    '',
    'Clienteling local stack is up',
    '',
    `  HTTP API        ${url}`,
    `  API reference   ${url}/docs  (OpenAPI: ${url}/openapi.json)`,
    `  DynamoDB Local  ${input.dynamoEndpoint}   table ${input.tableName}`,
    `                  ${LOCAL_AWS_ENV} aws dynamodb scan --table-name ${input.tableName} --max-items 5 --endpoint-url ${input.dynamoEndpoint}`,
    `  S3 (s3rver)     ${input.s3Endpoint}   buckets ${input.buckets.uploads}, ${input.buckets.images}`,
    `                  ${LOCAL_AWS_ENV} aws s3 cp list.csv s3://${input.buckets.uploads}/incoming/list.csv --endpoint-url ${input.s3Endpoint}`,
    `  drop folder     ${input.dropDir}  (a CSV copied in is imported as a campaign, then moved to imported/)`,
    `  Twilio outbox   ${input.outboxFile}   GET ${url}/_local/outbox`,
    `  inbound SMS     POST ${url}/_local/sms  {"from","to","body"}   or npm run -s sms -- --from … --to … --body …`,
    `  schedules       GET ${url}/_local/schedules   POST ${url}/_local/schedules/{name}  {"time":"<ISO>"}`,
    `  invocations     GET ${url}/_local/invocations`,
    `  live events     ${url.replace(/^http/, 'ws')}/ws?token=<token>   bus: GET ${url}/_local/events?type=`,
    `  data            ${input.dataDir}`,
    '',
    ...(await demoLines(input)),
    '',
    ...tokenLines(input, input.seed?.seeded ? input.seed.stores[0]!.storeId : DEMO_STORES[0]!.storeId),
    '',
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
}
