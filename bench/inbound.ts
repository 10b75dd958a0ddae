/**
 * Inbound burst bench: one busy store receives 500 distinct SMS over 50 conversations (10 each),
 * posted to the signed Twilio webhook of the local stack 50 at a time. Reported: messages/s
 * accepted (webhook answered) and applied (stored by the FIFO worker), and the time from the
 * webhook request to the message being stored (p50, p99), beside DynamoDB Local's raw
 * BatchWriteItem rate measured in the same run on the same in-memory engine.
 *
 * "Stored" is observed by polling the Store Inbox every POLL_MS: a conversation's inboundCount
 * rising to k means its k-th accepted message is stored (the worker applies a conversation's
 * messages in order), so latencies carry up to POLL_MS of resolution. Figures, not assertions.
 */
import { rawBatchWriteRate } from './import';
import { benchDir, createBenchStore, postInboundSms, quantile, startBenchStack } from './local-stack';
import { mergeResults } from './results';

const CONVERSATIONS = 50;
const PER_CONVERSATION = 10;
const CLIENT_CONCURRENCY = 50;
/** Each poll is three DynamoDB calls: often enough to time the burst, rare enough not to slow it. */
const POLL_MS = 200;
const RAW_WRITE_ITEMS = 20_000;
const STORE_PHONE = '+12125550199';

export async function run(): Promise<void> {
  const stack = await startBenchStack(benchDir('inbound'));
  try {
    const manager = stack.token({ role: 'manager', storeId: 'bench-busy', userId: 'bench-manager' });
    await createBenchStore(stack, 'bench-busy', 'Busy Store', STORE_PHONE);

    const rawRate = await rawBatchWriteRate(stack.dynamoEndpoint, stack.tableName, RAW_WRITE_ITEMS);

    const messages = Array.from({ length: CONVERSATIONS * PER_CONVERSATION }, (_, i) => ({
      from: `+1646555${String(i % CONVERSATIONS).padStart(4, '0')}`,
      sid: `SMbench${String(i).padStart(26, '0')}`,
      body: `message ${i}`,
      sentAt: 0,
      acceptedAt: 0,
      storedAt: 0,
    }));

    // The poller: conversation phone -> how many of its messages are stored so far.
    const storedCount = new Map<string, number>();
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const res = await fetch(`${stack.url}/inbox?scope=store&limit=200`, {
          headers: { authorization: `Bearer ${manager}` },
        });
        const now = performance.now();
        const body = (await res.json()) as { items: Array<{ customer: { phone?: string }; unread: number }> };
        for (const item of body.items) {
          const phone = item.customer.phone ?? '';
          const before = storedCount.get(phone) ?? 0;
          if (item.unread > before) {
            const ofPhone = messages
              .filter((m) => m.from === phone && m.acceptedAt > 0)
              .sort((a, b) => a.acceptedAt - b.acceptedAt);
            for (const m of ofPhone.slice(before, item.unread)) m.storedAt = now;
            storedCount.set(phone, item.unread);
          }
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENT_CONCURRENCY }, async () => {
        while (next < messages.length) {
          const m = messages[next++]!;
          m.sentAt = performance.now();
          await postInboundSms(stack, { sid: m.sid, from: m.from, to: STORE_PHONE, body: m.body });
          m.acceptedAt = performance.now();
        }
      }),
    );
    const allAccepted = performance.now();
    await stack.drained();
    while (messages.some((m) => m.storedAt === 0)) await new Promise((r) => setTimeout(r, POLL_MS));
    polling = false;
    await poller;

    const lastStored = Math.max(...messages.map((m) => m.storedAt));
    const latencies = messages.map((m) => m.storedAt - m.sentAt).sort((a, b) => a - b);
    const results = {
      messages: messages.length,
      conversations: CONVERSATIONS,
      acceptedPerSecond: Math.round(messages.length / ((allAccepted - started) / 1000)),
      appliedPerSecond: Math.round(messages.length / ((lastStored - started) / 1000)),
      webhookToStoredMs: {
        p50: Math.round(quantile(latencies, 0.5)),
        p99: Math.round(quantile(latencies, 0.99)),
        resolutionMs: POLL_MS,
      },
      rawBatchWriteItemsPerSecond: Math.round(rawRate),
      loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(1))),
      note: 'Each applied message is one TransactWriteItems of 3-4 items plus reads (store, customer, conversation, SID); the raw rate is 25-item BatchWriteItem calls at concurrency 8 on the same engine.',
    };
    console.table([
      { figure: 'accepted (webhook answered)', value: `${results.acceptedPerSecond} msg/s` },
      { figure: 'applied (stored by the worker)', value: `${results.appliedPerSecond} msg/s` },
      { figure: 'webhook -> stored p50', value: `${results.webhookToStoredMs.p50} ms` },
      { figure: 'webhook -> stored p99', value: `${results.webhookToStoredMs.p99} ms` },
      { figure: 'raw BatchWriteItem (same engine)', value: `${results.rawBatchWriteItemsPerSecond} items/s` },
    ]);
    mergeResults('inbound', results);
  } finally {
    await stack.stop();
  }
}
