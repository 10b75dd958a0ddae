/**
 * Payments exactly once (docs/rules.md, delivery guarantees): the same paymentId delivered many
 * times at once, or redelivered after the first delivery died at any one of its steps, gives one
 * settlement, one "customer paid" note and one receipt; and a sender that dies at any step of the
 * receipt's hand-over still sends it once. The crash is injected by failing one DynamoDB (or SQS)
 * call; every other call goes to DynamoDB Local and the local queues.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CART_PREFIX, PAYMENT_PREFIX } from '../../functions/carts/repository/keys';
import { DeleteCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { sendsSettled } from '../support/sender-queue';
import {
  cartCalls,
  documentClient,
  messagesOf,
  openPage,
  outboxTo,
  pay,
  paymentId,
  seedConversation,
  seedStores,
  sharedCart,
  shirt,
  tokenOf,
} from './carts-fixtures';

const repository = await import('../../functions/carts/repository');
const { releaseDue } = await import('../../functions/conversations/release-due');
const { sqs } = await import('../../functions/shared/clients');

beforeAll(seedStores);
afterEach(() => vi.restoreAllMocks());

const receipts = async (phone: string) => (await outboxTo(phone)).filter((m) => m.body.includes('Total paid'));
const notes = async (conversationId: string) =>
  (await messagesOf(conversationId)).filter((m) => m.text === 'customer paid via remote checkout link');
const items = (command: TransactWriteCommand) => command.input.TransactItems ?? [];
const touches = (command: TransactWriteCommand, skPrefix: string) =>
  items(command).some((i) => String(i.Put?.Item?.sk ?? i.Update?.Key?.sk ?? '').startsWith(skPrefix));

/** The steps of a first delivery, each recognised by the DynamoDB call it makes. */
const STEPS: Array<[string, (command: unknown) => boolean]> = [
  [
    'the settlement transaction',
    (c) =>
      c instanceof TransactWriteCommand &&
      items(c).some((i) => String(i.Put?.Item?.pk ?? '').startsWith(PAYMENT_PREFIX)),
  ],
  ['the chat note', (c) => c instanceof TransactWriteCommand && items(c).some((i) => i.Put?.Item?.kind === 'note')],
  [
    'recording the note on the payment',
    (c) =>
      c instanceof UpdateCommand &&
      String(c.input.UpdateExpression).includes('#f0') &&
      c.input.ExpressionAttributeNames?.['#f0'] === 'noteMessageId',
  ],
  ['recording the receipt message', (c) => c instanceof TransactWriteCommand && touches(c, 'IDEMPOTENCY#')],
  [
    'recording the receipt on the payment',
    (c) => c instanceof UpdateCommand && c.input.ExpressionAttributeNames?.['#f0'] === 'receiptState',
  ],
  ['removing the paid cart', (c) => c instanceof DeleteCommand && String(c.input.Key?.pk).startsWith(CART_PREFIX)],
  [
    'marking the payment completed',
    (c) => c instanceof UpdateCommand && c.input.ExpressionAttributeNames?.['#f0'] === 'status',
  ],
];

describe('a payment delivered again after a crash', () => {
  it.each(STEPS)(
    'after dying at %s, the redelivery finishes with one settlement, one note and one receipt',
    async (_step, isStep) => {
      const { conversationId, phone, cart, token } = await sharedCart();
      const id = paymentId();
      const send = documentClient.send.bind(documentClient);
      let crashed = false;
      vi.spyOn(documentClient, 'send').mockImplementation((async (command: unknown) => {
        if (!crashed && isStep(command)) {
          crashed = true;
          throw new Error('Lambda timed out');
        }
        return send(command as never);
      }) as never);

      const first = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });
      vi.restoreAllMocks();
      const again = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });
      const third = await pay({ token, amount: 28_900, currency: 'USD', paymentId: id });

      expect(crashed).toBe(true);
      expect(first.status).toBe(500);
      expect(again.status).toBe(200);
      expect(third).toMatchObject({ status: 200, body: { status: 'already-processed' } });
      expect(await repository.getPayment(id)).toMatchObject({ status: 'COMPLETED', receiptState: 'SENT' });
      expect(await notes(conversationId)).toHaveLength(1);
      expect(await receipts(phone)).toHaveLength(1);
      expect((await cart.get()).status).toBe(404);
    },
  );
});

/**
 * The receipt's hand-over by the sender, after the payment's own steps are done: each crash is a
 * process that dies at that step (its call made or not, as said), after which only the queue's
 * redelivery of the job and the outbox sweep (releaseDue, the scheduled-sender) run.
 */
const HAND_OVER_STEPS: Array<[string, { client: 'sqs' | 'dynamo'; made: boolean; is: (command: unknown) => boolean }]> =
  [
    [
      'putting the receipt on the sender queue',
      {
        client: 'sqs',
        made: false,
        is: (c) => c instanceof SendMessageCommand && String(c.input.QueueUrl).includes('clienteling-send'),
      },
    ],
    [
      'just after the claim, before calling Twilio',
      {
        client: 'dynamo',
        made: true,
        is: (c) =>
          c instanceof UpdateCommand && c.input.UpdateExpression === 'SET sendClaimedAt = :now REMOVE retriable',
      },
    ],
    [
      'after Twilio took it, before its SID was kept',
      {
        client: 'dynamo',
        made: false,
        is: (c) => c instanceof TransactWriteCommand && items(c).some((i) => i.Put?.Item?.type === 'twilioSid'),
      },
    ],
  ];

describe('the receipt handed over after a crash', () => {
  it.each(HAND_OVER_STEPS)(
    'after dying %s, the redelivered job and the outbox sweep send one receipt',
    async (_step, crash) => {
      const { phone, token } = await sharedCart();
      const id = paymentId();
      const client = (crash.client === 'sqs' ? sqs() : documentClient) as {
        send: (command: unknown) => Promise<unknown>;
      };
      const send = client.send.bind(client);
      let crashed = false;
      vi.spyOn(client, 'send').mockImplementation(async (command: unknown) => {
        if (crashed || !crash.is(command)) return send(command);
        crashed = true;
        if (crash.made) await send(command);
        throw new Error('Lambda timed out');
      });

      expect((await pay({ token, amount: 28_900, currency: 'USD', paymentId: id })).status).toBe(200);
      await sendsSettled();
      vi.restoreAllMocks();
      expect(crashed).toBe(true);
      // Past the outbox grace and the claim's expiry: what the sweep finds left, it settles.
      await releaseDue(new Date(Date.now() + 6 * 60_000));
      await releaseDue(new Date(Date.now() + 12 * 60_000));

      expect(await receipts(phone)).toHaveLength(1);
      const payment = await repository.getPayment(id);
      expect(payment).toMatchObject({ status: 'COMPLETED', receiptState: 'SENT' });
      const receipt = (await messagesOf(payment!.conversationId)).find(
        (m) => m.messageId === payment!.receiptMessageId,
      );
      expect(receipt?.twilioSid).toMatch(/^SM/);
    },
  );
});

describe('the same payment delivered many times at once', () => {
  it('answers every delivery 200 and leaves one settlement, one note and one receipt', async () => {
    const { conversationId, phone, token } = await sharedCart();
    const id = paymentId();

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pay({ token, amount: 28_900, currency: 'USD', paymentId: id })),
    );

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await repository.getPayment(id)).toMatchObject({ status: 'COMPLETED' });
    expect(await notes(conversationId)).toHaveLength(1);
    expect(await receipts(phone)).toHaveLength(1);
  });
});

describe('cart writes racing each other', () => {
  it('applies 20 concurrent edits without If-Match, none answered 409', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cart.putItem(`SKU${i}`, { ...shirt, name: `Item ${i}` })),
    );

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const final = await cart.get();
    expect(final.body.items).toHaveLength(20);
    expect(final.body.version).toBe(20);
  });

  it('keeps a sent link working whatever edits race with the share', async () => {
    const { conversationId } = await seedConversation();
    const cart = cartCalls(conversationId);
    await cart.putItem('SHIRT', shirt);

    const [share, ...edits] = await Promise.all([
      cart.share(),
      ...Array.from({ length: 5 }, (_, i) => cart.putItem(`EXTRA${i}`, shirt)),
    ]);

    expect(share.status).toBe(200);
    expect(edits.map((e) => e.status)).toEqual(edits.map(() => 200));
    const page = await openPage(tokenOf(share.body.url));
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('Oxford shirt');
  });
});
