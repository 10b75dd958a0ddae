/**
 * Each function's keys against its IAM grant (docs/architecture.md, "The local stack"): the
 * functions whose table grant names leading keys (lib/functions.ts, built from the capabilities'
 * keys.ts) run through the local runtime over DynamoDB Local, which refuses any request outside
 * them as IAM does (lib/local/leading-keys.ts). A key built outside keys.ts, or a partition the
 * grant forgot, fails here and not first on AWS. (The import's functions run the same check in the
 * e2e campaign tests, through the whole local stack.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  associate,
  cartCalls,
  messagesOf,
  NYC,
  seedConversation,
  seedStores,
  sharedCart,
  shirt,
  TOKYO,
} from './carts-fixtures';
import type { FunctionSpec } from '../../lib/function-spec';

const { FUNCTIONS } = await import('../../lib/functions');
const { LambdaRuntime } = await import('../../lib/local/lambda-runtime');
const { takeRefusals, UngrantedKeyError } = await import('../../lib/local/leading-keys');
const { httpApiEvent, scheduledEvent, sqsEvent, sqsQueueArn, sqsRecord } = await import('../../lib/lambda-events');

const runtime = new LambdaRuntime(process.cwd());
const spec = (id: string) => (FUNCTIONS as readonly FunctionSpec[]).find((f) => f.id === id)!;
/** The function with its grant's leading keys narrowed to those `keep` accepts. */
const narrowed = (id: string, keep: (pattern: string) => boolean): FunctionSpec => {
  const fn = spec(id);
  const table = fn.uses.table as { operations: readonly string[]; leadingKeys: readonly string[] };
  return { ...fn, uses: { ...fn.uses, table: { ...table, leadingKeys: table.leadingKeys.filter(keep) } } } as never;
};
const pageEvent = (token: string) =>
  httpApiEvent({ routeKey: 'GET /c/{token}', method: 'GET', rawPath: `/c/${token}`, pathParameters: { token } });

beforeAll(seedStores);

describe("each function's keys are within its leading keys", () => {
  it('CartPage reads a shared link, its cart and its store', async () => {
    const { token } = await sharedCart();
    takeRefusals();
    const answer = (await runtime.invoke(spec('CartPage'), 'http', 'GET /c/{token}', pageEvent(token))) as {
      statusCode: number;
    };
    expect(takeRefusals()).toEqual([]);
    expect(answer.statusCode).toBe(200);
  });

  it('CartSweeper reads the expiry shards', async () => {
    takeRefusals();
    await runtime.invoke(spec('CartSweeper'), 'schedule', 'test', scheduledEvent('cart-sweeper', new Date()));
    expect(takeRefusals()).toEqual([]);
  });

  it('TaskReminders reads the due and expiry indexes and a shared cart, and writes its task', async () => {
    const { cart } = await sharedCart();
    const expiresAt = (await cart.get()).body.expiresAt as string;
    const mark = new Date(Date.parse(expiresAt) - 3600_000 + 30_000);
    takeRefusals();
    await runtime.invoke(spec('TaskReminders'), 'schedule', 'test', scheduledEvent('task-reminders', mark));
    expect(takeRefusals()).toEqual([]);
  });

  it('TaskReminders sends a due cart reminder into its conversation', async () => {
    // A store where the reminder (3 hours before midnight) is still ahead.
    const store = DateTime.now().setZone(NYC.timezone).hour < 20 ? NYC : TOKYO;
    const { conversationId } = await seedConversation(store.storeId);
    const cart = cartCalls(conversationId, associate(store.storeId));
    await cart.putItem('SHIRT', shirt);
    const { reminderAt } = (await cart.share()).body as { reminderAt: string };
    takeRefusals();
    const due = new Date(Date.parse(reminderAt) + 30_000);
    await runtime.invoke(spec('TaskReminders'), 'schedule', 'test', scheduledEvent('task-reminders', due));
    expect(takeRefusals()).toEqual([]);
    // Newest first: the reminder, then the link.
    const outbound = (await messagesOf(conversationId)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => m.text)).toEqual([
      expect.stringContaining('a reminder'),
      expect.stringContaining('your cart is ready'),
    ]);
  });

  it('ImportWatchdog reads the imports in progress', async () => {
    takeRefusals();
    await runtime.invoke(spec('ImportWatchdog'), 'schedule', 'test', scheduledEvent('import-watchdog', new Date()));
    expect(takeRefusals()).toEqual([]);
  });

  it("InboundMediaWorker reads a message in its conversation's partition", async () => {
    const job = {
      conversationId: 'no-such-conversation',
      messageId: 'no-such-message',
      messageSid: `MM${'0'.repeat(32)}`,
      items: [{ index: 0, url: 'http://127.0.0.1:1/media', contentType: 'image/png' }],
    };
    const record = sqsRecord({
      messageId: 'm1',
      body: JSON.stringify(job),
      receiveCount: 1,
      queueArn: sqsQueueArn('media'),
    });
    takeRefusals();
    await runtime.invoke(spec('InboundMediaWorker'), 'sqs', 'm1', sqsEvent([record]));
    expect(takeRefusals()).toEqual([]);
  });
});

describe('a request outside the leading keys', () => {
  it('is refused as AWS refuses it, whatever the handler answers', async () => {
    const { token } = await sharedCart();
    takeRefusals();
    const withoutStores = narrowed('CartPage', (pattern) => !pattern.startsWith('STORE#'));
    const answer = (await runtime
      .invoke(withoutStores, 'http', 'GET /c/{token}', pageEvent(token))
      .catch((error: unknown) => error)) as { statusCode?: number };
    const refused = takeRefusals();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^CartPage is not authorized to perform dynamodb:GetItem on STORE#/);
    expect(answer instanceof UngrantedKeyError || answer.statusCode === 500).toBe(true);
  });
});
