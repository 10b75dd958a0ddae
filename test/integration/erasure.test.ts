/**
 * Customer erasure through the handlers and the erasure worker, against DynamoDB Local and
 * s3rver: afterwards no item of the table and no object of any bucket (campaign files, exports,
 * images) holds the customer's email, phone or name; the files keep every other row; list
 * counts and unread sums are adjusted; an opted-out number stays opted out; a later text starts
 * a new conversation with no history.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshTable } from '../support/table';
import { invoker } from '../support/invoke';
import { startInboundQueue } from '../support/inbound-queue';
import { startImportQueue } from '../support/import-queue';
import { countRequests } from '../support/requests';
import { lambdaContext } from '../support/http-events';
import { objectCreatedEvent } from '../../lib/lambda-events';
import type { Caller } from '../support/http-events';
import { signedTwilioForm } from '../../lib/local/carrier';

const table = await useFreshTable('erasure');
process.env.OUTBOX_FILE = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
delete process.env.TWILIO_ACCOUNT_SID;
delete process.env.TWILIO_AUTH_TOKEN;
// The inbound and media queues, and the erasure queue (DELETE /customers/{id}), with their workers.
const queues = await startInboundQueue();
const importQueue = await startImportQueue();
const importHandler = (await import('../../functions/campaigns/import.handler')).handler;
const { requestExport, writeExport } = await import('../../functions/reports/export-campaign');
const { uploadKeyOf } = await import('../../functions/campaigns/rules');
const conversationsApi = invoker((await import('../../functions/conversations/api.handler')).handler);
const customersApi = invoker((await import('../../functions/customers/api.handler')).handler);
const cartsApi = invoker((await import('../../functions/carts/api.handler')).handler);
const webhook = invoker((await import('../../functions/conversations/twilio-webhook.handler')).handler);
const { putStore, createCustomer, findCustomerByPhone } = await import('../../functions/stores/repository');
const campaigns = await import('../../functions/campaigns/repository');
const repository = await import('../../functions/conversations/repository');
const { documentClient } = await import('../../functions/shared/clients');
const { client: s3 } = await (await import('../../functions/shared/s3')).loadS3();

const ERA = { id: 'era-store', phone: '+12125550400' };
const OUT = { id: 'era-other', phone: '+12125550401' };
const person = {
  email: 'zephyrine.q@erase.test',
  phone: '+15552220001',
  firstName: 'Zephyrine',
  lastName: 'Quillfeather',
};
const associate: Caller = { userId: 'era-associate', role: 'associate', storeId: ERA.id };
const otherAssociate: Caller = { userId: 'other-associate', role: 'associate', storeId: OUT.id };
const admin: Caller = { userId: 'root', role: 'clienteling-admin' };

let sidCounter = 0;
async function inbound(from: string, to: string, body: string, extra: Record<string, string> = {}) {
  const params = {
    MessageSid: `SMe${(++sidCounter).toString().padStart(31, '0')}`,
    AccountSid: 'AC_local',
    From: from,
    To: to,
    Body: body,
    NumMedia: '0',
    ...extra,
  };
  const signed = signedTwilioForm(`${process.env.PUBLIC_BASE_URL}/webhooks/twilio/sms`, params);
  await webhook({
    routeKey: 'POST /webhooks/twilio/sms',
    rawBody: signed.body,
    headers: signed.headers,
  });
  await queues.drained();
}

/** Every item of this file's table, as JSON text (the table is this file's alone). */
async function tableText(): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(
      ...(page.Items ?? []).map((item) =>
        JSON.stringify(item, (_k, v) => (v instanceof Set ? [...v] : v)).toLowerCase(),
      ),
    );
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
const personal = [
  person.email,
  person.phone,
  person.phone.slice(1),
  person.firstName.toLowerCase(),
  person.lastName.toLowerCase(),
];
const holdingPersonalData = async () =>
  (await tableText()).filter((text) => personal.some((value) => text.includes(value)));

async function imagesOf(storeId: string): Promise<string[]> {
  const out = await s3.send(
    new ListObjectsV2Command({ Bucket: process.env.IMAGES_BUCKET, Prefix: `inbound/${storeId}/` }),
  );
  return (out.Contents ?? []).map((o) => o.Key!);
}

/**
 * Every object of every bucket of the S3 engine whose key, metadata or content holds the
 * customer's email, phone or name, as `bucket/key`. Other test files share the engine: their
 * objects are read too (and one deleted between the listing and the read is skipped).
 */
async function objectsHoldingPersonalData(): Promise<string[]> {
  const found: string[] = [];
  for (const { Name: bucket } of (await s3.send(new ListBucketsCommand({}))).Buckets ?? []) {
    let marker: string | undefined;
    do {
      const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: marker }));
      for (const { Key: key } of page.Contents ?? []) {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
        if (!object) continue;
        const text = [key, JSON.stringify(object.Metadata ?? {}), await object.Body!.transformToString()]
          .join('\n')
          .toLowerCase();
        if (personal.some((value) => text.includes(value))) found.push(`${bucket}/${key}`);
      }
      marker = page.IsTruncated ? page.Contents?.at(-1)?.Key : undefined;
    } while (marker);
  }
  return found;
}

const uploadsBucket = () => process.env.UPLOADS_BUCKET!;
const objectText = async (key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket: uploadsBucket(), Key: key }))).Body!.transformToString();

/** Uploads the file and runs the import on its S3 event, as the bucket's trigger would; then drains the writers. */
async function importFile(key: string, body: string) {
  const put = await s3.send(new PutObjectCommand({ Bucket: uploadsBucket(), Key: key, Body: body }));
  const outcomes = await importHandler(objectCreatedEventOf(key, put.ETag ?? ''), lambdaContext());
  await importQueue.drained();
  return outcomes;
}
const objectCreatedEventOf = (key: string, eTag: string) =>
  objectCreatedEvent({ bucket: uploadsBucket(), key, size: 1, eTag, sequencer: randomUUID().replace(/-/g, '') });

// The customer in an uploaded campaign file (an entry at each store, a duplicate, a rejected row),
// in a drop-folder file, and in an export; beside another customer whose rows must stay.
const FILE_CAMPAIGN = 'erasure-file-campaign';
const DROP_KEY = 'incoming/Erasure drop.csv';
const fileLines = {
  header: 'customer email,store id\r\n',
  kept: [`stays@erase.test,${ERA.id}\r\n`, `"stays@erase.test",${OUT.id}\r\n`],
  erased: [
    `${person.email},${ERA.id}\r\n`,
    ` Zephyrine.Q@ERASE.test ,${OUT.id}\r\n`,
    `"${person.email}",${ERA.id}\r\n`,
    `${person.email},\r\n`,
  ],
};
const fileCsv = [
  fileLines.header,
  fileLines.erased[0],
  fileLines.kept[0],
  fileLines.erased[1],
  fileLines.erased[2],
  fileLines.kept[1],
  fileLines.erased[3],
].join('');
const fileWithoutCustomer = [fileLines.header, ...fileLines.kept].join('');
let exportKey = '';

let mediaServer: Server;
let mediaUrl = '';
let customerId = '';
let campaignId = '';
let conversationId = '';

beforeAll(async () => {
  mediaServer = createServer((_req, res) => {
    res.setHeader('content-type', 'image/jpeg');
    res.end(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 9]));
  });
  await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
  mediaUrl = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}/media/ME1`;
  for (const store of [ERA, OUT]) {
    await putStore(
      store.id,
      {
        name: `Store ${store.id}`,
        timezone: 'America/New_York',
        country: 'US',
        phoneNumber: store.phone,
        currency: 'USD',
        quietHours: null,
        // WhatsApp on the store's own number: its messages and consent are erased too.
        whatsapp: { enabled: true },
      },
      new Date(),
    );
  }

  // The customer, with a conversation in each store: opted in at one, opted out at the other.
  customerId = (await createCustomer(person, new Date())).customer.customerId;
  const other = (await createCustomer({ email: 'stays@erase.test', firstName: 'Otto' }, new Date())).customer;
  conversationId = (
    await conversationsApi({ routeKey: 'POST /conversations', body: { customerId }, caller: associate })
  ).body.conversationId;
  await inbound(person.phone, ERA.phone, 'YES');
  // On WhatsApp at the same store: a message, then an opt-out of WhatsApp only (SMS stays opted in).
  await inbound(`whatsapp:${person.phone}`, `whatsapp:${ERA.phone}`, 'Zephyrine on WhatsApp');
  await inbound(`whatsapp:${person.phone}`, `whatsapp:${ERA.phone}`, 'STOP');
  await inbound(person.phone, ERA.phone, 'Do you have this, Zephyrine here', {
    NumMedia: '1',
    MediaUrl0: mediaUrl,
    MediaContentType0: 'image/jpeg',
  });
  await conversationsApi({
    routeKey: 'POST /conversations/{conversationId}/messages',
    pathParameters: { conversationId },
    body: { text: 'Hello Zephyrine Quillfeather!' },
    caller: associate,
  });
  await conversationsApi({
    routeKey: 'POST /conversations/{conversationId}/read',
    pathParameters: { conversationId },
    caller: associate,
  });
  await inbound(person.phone, ERA.phone, 'One more thing');
  const item = { name: 'Scarf', unitPrice: 4500, quantity: 1, fulfillment: 'SHIP' };
  expect(
    (
      await cartsApi({
        routeKey: 'PUT /conversations/{conversationId}/cart/items/{sku}',
        pathParameters: { conversationId, sku: 'SCARF-1' },
        body: item,
        caller: associate,
      })
    ).status,
  ).toBe(200);
  await cartsApi({
    routeKey: 'PUT /conversations/{conversationId}/cart/delivery',
    pathParameters: { conversationId },
    body: { address: '1 Quillfeather Lane', shippingOption: 'standard' },
    caller: associate,
  });
  expect(
    (
      await cartsApi({
        routeKey: 'POST /conversations/{conversationId}/cart/share',
        pathParameters: { conversationId },
        caller: associate,
      })
    ).status,
  ).toBe(200);
  await conversationsApi({ routeKey: 'POST /conversations', body: { customerId }, caller: otherAssociate });
  await inbound(person.phone, OUT.phone, 'STOP');

  // On an outreach list (contacted) beside another customer, and in a rejected row in another case.
  campaignId = 'erasure-campaign';
  await campaigns.createCampaign({ campaignId, name: 'Spring', now: new Date() });
  await campaigns.putLists((await campaigns.getCampaign(campaignId))!, new Map([[ERA.id, 2]]));
  await campaigns.putOutreachEntries([
    {
      campaignId,
      storeId: ERA.id,
      customerId,
      email: person.email,
      firstName: person.firstName,
      lastName: person.lastName,
    },
    { campaignId, storeId: ERA.id, customerId: other.customerId, email: other.email! },
  ]);
  await campaigns.markEntryContacted(campaignId, ERA.id, customerId, new Date());
  await campaigns.putRejections(campaignId, [
    { line: 7, email: ' Zephyrine.Q@Erase.test', storeId: '', reason: 'MISSING_STORE_ID' },
    { line: 8, email: 'someone@else.test', storeId: '', reason: 'MISSING_STORE_ID' },
  ]);

  await campaigns.createCampaign({ campaignId: FILE_CAMPAIGN, name: 'Autumn', now: new Date() });
  expect(await importFile(uploadKeyOf(FILE_CAMPAIGN), fileCsv)).toMatchObject([{ outcome: 'queued', rows: 6 }]);
  expect(await importFile(DROP_KEY, fileCsv)).toMatchObject([{ outcome: 'queued', rows: 6 }]);
  expect(importQueue.deadLetters()).toBe(0);
  expect(await campaigns.getList(FILE_CAMPAIGN, OUT.id)).toMatchObject({ customers: 2 });
  const { exportId } = await requestExport(FILE_CAMPAIGN, new Date());
  expect(await writeExport(FILE_CAMPAIGN, exportId)).toBe('READY');
  exportKey = `exports/${FILE_CAMPAIGN}/${exportId}.csv`;
});
afterAll(() => new Promise((resolve) => mediaServer.close(resolve)));

describe('erasure', () => {
  it('holds the personal data before (so the checks below can fail)', async () => {
    expect((await holdingPersonalData()).length).toBeGreaterThan(5);
    const before = await repository.getConversation(conversationId);
    expect(before).toMatchObject({ optIn: 'OPTED_IN', whatsapp: { optIn: 'OPTED_OUT' } });
    const kept = (await repository.listMessages(conversationId, 50)).items;
    expect(kept.filter((m) => m.channel === 'whatsapp').map((m) => m.text)).toEqual(['STOP', 'Zephyrine on WhatsApp']);
    expect(await imagesOf(ERA.id)).toHaveLength(1);
    expect(await repository.storeUnreadTotal(ERA.id, associate.userId, false)).toBe(1);
    const bucket = uploadsBucket();
    expect(await objectsHoldingPersonalData()).toEqual(
      expect.arrayContaining([
        `${bucket}/${uploadKeyOf(FILE_CAMPAIGN)}`,
        `${bucket}/${DROP_KEY}`,
        `${bucket}/${exportKey}`,
      ]),
    );
  });

  it('answers 202 ERASING, 404s the customer at once, erases in the background, and is idempotent', async () => {
    const first = await customersApi({
      routeKey: 'DELETE /customers/{customerId}',
      pathParameters: { customerId },
      caller: admin,
    });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ customerId, status: 'ERASING' });
    expect(
      (await customersApi({ routeKey: 'GET /customers/{customerId}', pathParameters: { customerId }, caller: admin }))
        .status,
    ).toBe(404);
    expect(
      (
        await customersApi({
          routeKey: 'PATCH /customers/{customerId}',
          pathParameters: { customerId },
          body: { firstName: 'Back' },
          caller: admin,
        })
      ).status,
    ).toBe(404);
    const again = await customersApi({
      routeKey: 'DELETE /customers/{customerId}',
      pathParameters: { customerId },
      caller: admin,
    });
    expect(again.status).toBe(202);
    const erasure = await countRequests(() => queues.drained());
    // The files' part of it: one query of the export records of each campaign with an entry of
    // the customer (3), none for a campaign without one; the file's key is on the campaign item.
    expect(erasure.calls.filter((call) => call.includes('CAMPAIGNEXPORT'))).toEqual(
      Array(3).fill('Query CAMPAIGNEXPORT'),
    );
    expect(queues.deadLetters()).toBe(0);
    expect(
      (
        await customersApi({
          routeKey: 'DELETE /customers/{customerId}',
          pathParameters: { customerId },
          caller: admin,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await customersApi({
          routeKey: 'DELETE /customers/{customerId}',
          pathParameters: { customerId },
          caller: { ...associate },
        })
      ).status,
    ).toBe(403);
  });

  it('leaves no item holding the email, phone or name, and no image of the conversation', async () => {
    expect(await holdingPersonalData()).toEqual([]);
    expect(await imagesOf(ERA.id)).toEqual([]);
    expect(await repository.getConversation(conversationId)).toBeUndefined();
    expect(await findCustomerByPhone(person.phone)).toBeUndefined();
    const search = await customersApi({ routeKey: 'GET /customers', query: { query: 'zephyrine' }, caller: admin });
    expect(search.body.items).toEqual([]);
  });

  it('leaves no object in any bucket holding the email, phone or name', async () => {
    expect(await objectsHoldingPersonalData()).toEqual([]);
  });

  it('keeps every other row of the campaign files and the export, byte for byte, and never imports a rewrite', async () => {
    expect(await objectText(uploadKeyOf(FILE_CAMPAIGN))).toBe(fileWithoutCustomer);
    expect(await objectText(DROP_KEY)).toBe(fileWithoutCustomer);
    const exported = (await objectText(exportKey)).split('\r\n').filter(Boolean);
    expect(exported.map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      'customer email,store id',
      `stays@erase.test,${OUT.id}`,
      `stays@erase.test,${ERA.id}`,
    ]);
    // The rewrites' own S3 events (the trigger sees them): neither file is imported again, no campaign is made.
    const before = (await campaigns.listCampaigns(50)).items.map((c) => c.campaignId).sort();
    for (const key of [uploadKeyOf(FILE_CAMPAIGN), DROP_KEY])
      expect(await importHandler(objectCreatedEventOf(key, 'rewritten'), lambdaContext())).toEqual([
        { outcome: 'skipped' },
      ]);
    expect((await campaigns.listCampaigns(50)).items.map((c) => c.campaignId).sort()).toEqual(before);
    expect(await campaigns.getList(FILE_CAMPAIGN, OUT.id)).toMatchObject({ customers: 1 });
  });

  it('adjusts list counts and unread sums, and keeps other customers and rejections', async () => {
    expect(await campaigns.getList(campaignId, ERA.id)).toMatchObject({ customers: 1, contacted: 0 });
    const entries = await campaigns.listOutreachEntries(campaignId, ERA.id, 50);
    expect(entries.items.map((e) => e.email)).toEqual(['stays@erase.test']);
    const rejections = await campaigns.listRejections(campaignId, 50);
    expect(rejections.items.map((r) => r.line)).toEqual([8]);
    expect(await repository.storeUnreadTotal(ERA.id, associate.userId, false)).toBe(0);
  });

  it('keeps the number opted out where it had opted out, and starts a fresh conversation with no history on a later text', async () => {
    await inbound(person.phone, OUT.phone, 'Hello again');
    await inbound(person.phone, ERA.phone, 'Hi, it is me');
    const fresh = await findCustomerByPhone(person.phone);
    expect(fresh).toBeDefined();
    expect(fresh!.customerId).not.toBe(customerId);
    const [out, era] = await Promise.all([
      conversationsApi({ routeKey: 'GET /inbox', query: { scope: 'store' }, caller: otherAssociate }),
      conversationsApi({ routeKey: 'GET /inbox', query: { scope: 'store' }, caller: associate }),
    ]);
    expect(out.body.items).toHaveLength(1);
    expect(out.body.items[0]).toMatchObject({ customerId: fresh!.customerId, optIn: 'OPTED_OUT' });
    expect(era.body.items).toHaveLength(1);
    // Consent outlives the erasure per channel: opted out of WhatsApp only at ERA, so SMS starts afresh.
    expect(era.body.items[0]).toMatchObject({
      customerId: fresh!.customerId,
      optIn: 'NONE',
      whatsapp: { optIn: 'OPTED_OUT' },
    });
    expect(era.body.items[0].conversationId).not.toBe(conversationId);
    const history = await conversationsApi({
      routeKey: 'GET /conversations/{conversationId}/messages',
      pathParameters: { conversationId: era.body.items[0].conversationId },
      caller: associate,
    });
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['Hi, it is me']);
    const refused = await conversationsApi({
      routeKey: 'POST /conversations/{conversationId}/opt-in-request',
      pathParameters: { conversationId: out.body.items[0].conversationId },
      caller: otherAssociate,
    });
    expect(refused.status).toBe(422);
    const ledger = await customersApi({
      routeKey: 'GET /customers/{customerId}/consent',
      pathParameters: { customerId: fresh!.customerId },
      caller: admin,
    });
    expect(
      ledger.body.items.map((e: Record<string, string>) => [e.storeId, e.channel, e.state, e.source]).sort(),
    ).toEqual([
      [OUT.id, 'sms', 'OPTED_OUT', 'ERASURE'],
      [ERA.id, 'whatsapp', 'OPTED_OUT', 'ERASURE'],
    ]);
  });
});
