/**
 * The inbound worker against DynamoDB Local and s3rver: media that cannot be had never costs the
 * text or its keyword, a message's write does not grow with the conversation, and a redelivered
 * job changes nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useFreshTable } from '../support/table';

await useFreshTable('inbound-worker');
const { applyInbound } = await import('../../functions/conversations/inbound');
const { MAX_INBOUND_MEDIA_BYTES } = await import('../../functions/conversations/media');
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
  it('stores the text and applies STOP when the media host keeps failing, after retrying it', async () => {
    const from = '+13055550001';
    await conversationOf(from);

    await applyInbound(
      job(from, 'STOP', { NumMedia: '1', MediaUrl0: `${mediaUrl}/broken`, MediaContentType0: 'image/jpeg' }),
    );

    expect(await latestOf(from)).toMatchObject({
      text: 'STOP',
      media: [{ unavailable: true, reason: 'answered HTTP 500' }],
    });
    expect((await conversationOf(from)).optIn).toBe('OPTED_OUT');
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

    expect(await latestOf(from)).toMatchObject({
      text: 'look at this',
      media: [{ unavailable: true, reason: expect.stringMatching(/^too large/) }],
    });
    expect(requests[path]).toBe(1);
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

    await repository.joinConversation(conversation, 'user-0');
    const withOne = await writesOf('one member');
    for (let i = 1; i < 200; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, k) => repository.joinConversation(conversation, `user-${i + k}`)),
      );
    const withTwoHundred = await writesOf('two hundred members');

    expect(withTwoHundred).toEqual(withOne);
    expect(Math.max(...withTwoHundred)).toBeLessThanOrEqual(6);
    const fresh = (await repository.getConversation(conversation.conversationId))!;
    expect(fresh.inboundCount).toBe(2);
  });
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
