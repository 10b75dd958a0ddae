/**
 * The inbound worker and the media worker against DynamoDB Local and s3rver: the text and its
 * keyword are stored first with media pending, media that cannot be had ends unavailable, a media
 * job is idempotent and never lost, a message's write does not grow with the conversation, and a
 * redelivered job changes nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startInboundQueue } from '../support/inbound-queue';
import { useFreshTable } from '../support/table';

await useFreshTable('inbound-worker');
const mediaQueue = await startInboundQueue();
const { applyInbound } = await import('../../functions/conversations/inbound');
const { MAX_INBOUND_MEDIA_BYTES } = await import('../../functions/conversations/media');
const { copyMessageMedia } = await import('../../functions/conversations/copy-message-media');
const { putStore, ensureCustomerByPhone } = await import('../../functions/stores/repository');
const repository = await import('../../functions/conversations/repository');
const { documentClient } = await import('../../functions/shared/clients');

const STORE_PHONE = '+13055550100';
const requests: Record<string, number> = {};
let media: Server;
let mediaUrl: string;
let sid = 0;

beforeAll(async () => {
  await putStore(
    'mia',
    {
      name: 'Brickell',
      timezone: 'America/New_York',
      country: 'US',
      phoneNumber: STORE_PHONE,
      currency: 'USD',
      quietHours: null,
    },
    new Date(),
  );
  media = createServer((req, res) => {
    requests[req.url!] = (requests[req.url!] ?? 0) + 1;
    if (req.url === '/broken') return void res.writeHead(500).end('nope');
    if (req.url === '/huge-declared')
      return void res
        .writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(MAX_INBOUND_MEDIA_BYTES + 1) })
        .end();
    if (req.url === '/huge-streamed') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }); // chunked: no length declared
      const chunk = Buffer.alloc(1024 * 1024, 1);
      for (let i = 0; i < 6; i++) res.write(chunk);
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
  await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => media.close(resolve)));
afterEach(() => vi.restoreAllMocks());

const job = (from: string, body: string, extra: Record<string, string> = {}) => ({
  storeId: 'mia',
  receivedAt: new Date().toISOString(),
  form: { MessageSid: `SMworker${++sid}`, From: from, To: STORE_PHONE, Body: body, NumMedia: '0', ...extra },
});
const latestOf = async (from: string) => {
  const conversation = await conversationOf(from);
  return (await repository.listMessages(conversation.conversationId, 1)).items[0]!;
};
/** The store's conversation with this number, as the worker finds or makes it. */
async function conversationOf(from: string) {
  const customer = await ensureCustomerByPhone(from, new Date());
  return (await repository.openConversation({ storeId: 'mia', customer, now: new Date() })).conversation;
}

describe('inbound media', () => {
  it('stores the text and applies STOP with the media pending, then marks it unavailable after retrying the host', async () => {
    const from = '+13055550001';
    await conversationOf(from);

    await applyInbound(
      job(from, 'STOP', { NumMedia: '1', MediaUrl0: `${mediaUrl}/broken`, MediaContentType0: 'image/jpeg' }),
    );

    expect(await latestOf(from)).toMatchObject({ text: 'STOP', media: [{ status: 'pending' }] });
    expect((await conversationOf(from)).optIn).toBe('OPTED_OUT');
    await mediaQueue.drained();
    expect(await latestOf(from)).toMatchObject({
      text: 'STOP',
      media: [{ status: 'unavailable', unavailable: true, reason: 'answered HTTP 500' }],
    });
    expect(requests['/broken']).toBe(3);
  });

  it.each([
    ['declares more than 5 MB', '/huge-declared'],
    ['streams more than 5 MB without declaring it', '/huge-streamed'],
  ])('marks media that %s unavailable without retrying, and keeps the text', async (_why, path) => {
    const from = path === '/huge-declared' ? '+13055550002' : '+13055550003';

    await applyInbound(
      job(from, 'look at this', { NumMedia: '1', MediaUrl0: `${mediaUrl}${path}`, MediaContentType0: 'image/jpeg' }),
    );
    await mediaQueue.drained();

    expect(await latestOf(from)).toMatchObject({
      text: 'look at this',
      media: [{ status: 'unavailable', reason: expect.stringMatching(/^too large/) }],
    });
    expect(requests[path]).toBe(1);
  });

  it('copies the items of one message in parallel into the bucket and marks each available', async () => {
    const from = '+13055550006';
    const items = { NumMedia: '2', MediaUrl0: `${mediaUrl}/a.png`, MediaUrl1: `${mediaUrl}/b.png` };

    await applyInbound(job(from, 'two pictures', { ...items, MediaContentType0: 'image/png', MediaContentType1: '' }));
    await mediaQueue.drained();

    const latest = await latestOf(from);
    expect(latest.media).toEqual([
      expect.objectContaining({ status: 'available', contentType: 'image/png' }),
      expect.objectContaining({ status: 'available', contentType: 'image/png' }),
    ]);
    expect(latest.media.map((m) => m.mediaKey)).toEqual([
      expect.stringMatching(/^inbound\/mia\/SMworker\d+\/0$/),
      expect.stringMatching(/^inbound\/mia\/SMworker\d+\/1$/),
    ]);
  });

  it('copies once and leaves the same state when the same media job runs twice, and a redelivery queues no job', async () => {
    const from = '+13055550007';
    const once = job(from, 'one picture', { NumMedia: '1', MediaUrl0: `${mediaUrl}/once.png` });
    await applyInbound(once);
    await mediaQueue.drained();
    const first = await latestOf(from);
    const mediaJob = {
      conversationId: first.conversationId,
      messageId: first.messageId,
      messageSid: once.form.MessageSid,
      items: [{ index: 0, url: `${mediaUrl}/once.png`, contentType: '' }],
    };

    const again = await copyMessageMedia(mediaJob, Date.now() + 30_000);
    expect(await applyInbound(once)).toBe('duplicate');
    await mediaQueue.drained();

    expect(again).toEqual({ available: 0, unavailable: 0, skipped: 1 });
    expect(requests['/once.png']).toBe(1);
    expect(await latestOf(from)).toEqual(first);
  });

  it('queues the media job again when a redelivery finds the media still pending (the worker died before queueing)', async () => {
    const from = '+13055550008';
    const once = job(from, 'lost job', { NumMedia: '1', MediaUrl0: `${mediaUrl}/lost.png` });
    const queue = await import('../../functions/conversations/media-queue');
    vi.spyOn(queue, 'enqueueMediaJob').mockRejectedValueOnce(new Error('the process died here'));

    await expect(applyInbound(once)).rejects.toThrow('the process died here');
    expect(await latestOf(from)).toMatchObject({ text: 'lost job', media: [{ status: 'pending' }] });
    expect(await applyInbound(once)).toBe('duplicate');
    await mediaQueue.drained();

    expect(await latestOf(from)).toMatchObject({ text: 'lost job', media: [{ status: 'available' }] });
    expect(requests['/lost.png']).toBe(1);
  });
});

describe('a message of a large conversation', () => {
  it('is stored with the same few item writes whether 1 or 200 users are in the conversation', async () => {
    const from = '+13055550004';
    const conversation = await conversationOf(from);
    const writesOf = async (body: string) => {
      const send = documentClient.send.bind(documentClient);
      const sizes: number[] = [];
      vi.spyOn(documentClient, 'send').mockImplementation((async (command: unknown) => {
        if (command instanceof TransactWriteCommand) sizes.push(command.input.TransactItems?.length ?? 0);
        return send(command as never);
      }) as never);
      expect(await applyInbound(job(from, body))).toBe('stored');
      vi.restoreAllMocks();
      return sizes;
    };

    await repository.markRead(conversation.conversationId, 'user-0');
    const withOne = await writesOf('one reader');
    // Ten at a time: reads of one conversation contend for its item, and DynamoDB Local under the
    // whole suite takes its time over each retry.
    for (let i = 1; i < 200; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, k) => repository.markRead(conversation.conversationId, `user-${i + k}`)),
      );
    const withTwoHundred = await writesOf('two hundred readers');

    expect(withTwoHundred).toEqual(withOne);
    expect(Math.max(...withTwoHundred)).toBeLessThanOrEqual(6);
    const fresh = (await repository.getConversation(conversation.conversationId))!;
    expect(fresh.inboundCount).toBe(2);
  }, 240_000);
});

describe('a redelivered job', () => {
  it('changes nothing the second time', async () => {
    const from = '+13055550005';
    const once = job(from, 'hello');

    const first = await applyInbound(once);
    const second = await applyInbound(once);

    expect([first, second]).toEqual(['stored', 'duplicate']);
    const conversation = await conversationOf(from);
    expect(
      (await repository.listMessages(conversation.conversationId, 50)).items.filter((m) => m.text === 'hello'),
    ).toHaveLength(1);
    expect(conversation.inboundCount).toBe(1);
  });
});
