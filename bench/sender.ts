/**
 * Sender bench: 10 stores (10 sending numbers), 10 opted-in customers each, 300 sends posted to
 * the API 30 at a time with pacing on (LOCAL_SENDER_RATE messages/s per number). Reported: the
 * API's answer time (p50, p99: it records and queues, never waits for the carrier), sends/s
 * handed to the local carrier through the sender, beside the ceiling the pace allows (numbers x
 * rate) and DynamoDB Local's raw BatchWriteItem rate measured in the same run. Figures, not assertions.
 */
import { readFileSync } from 'node:fs';
import { rawBatchWriteRate } from './import';
import { benchDir, type BenchStack, createBenchStore, postInboundSms, quantile, startBenchStack } from './local-stack';
import { mergeResults } from './results';

const STORES = 10;
const CUSTOMERS_PER_STORE = 10;
const SENDS = 300;
const CLIENT_CONCURRENCY = 30;
const RATE_PER_NUMBER = 5;
const RAW_WRITE_ITEMS = 10_000;

const storePhone = (s: number) => `+1212555${String(300 + s).padStart(4, '0')}`;
const customerPhone = (s: number, c: number) => `+1646777${String(s * 100 + c).padStart(4, '0')}`;

async function api(stack: BenchStack, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** Stores, customers, their conversations, each opted in by a YES: the conversations to send to. */
async function arrange(stack: BenchStack): Promise<Array<{ conversationId: string; token: string }>> {
  const admin = stack.token({ role: 'clienteling-admin', userId: 'bench-admin' });
  const conversations: Array<{ conversationId: string; token: string }> = [];
  for (let s = 0; s < STORES; s++) {
    const storeId = `bench-send-${s}`;
    await createBenchStore(stack, storeId, `Sender Store ${s}`, storePhone(s));
    const token = stack.token({ role: 'associate', storeId, userId: `bench-associate-${s}` });
    for (let c = 0; c < CUSTOMERS_PER_STORE; c++) {
      const phone = customerPhone(s, c);
      const customer = await api(stack, admin, 'POST', '/customers', { email: `send-${s}-${c}@bench.test`, phone });
      const opened = await api(stack, token, 'POST', '/conversations', { customerId: customer.body.customerId });
      await postInboundSms(stack, {
        sid: `SMbenchyes${s}x${c}`.padEnd(34, '0'),
        from: phone,
        to: storePhone(s),
        body: 'YES',
      });
      conversations.push({ conversationId: opened.body.conversationId, token });
    }
  }
  await stack.drained();
  return conversations;
}

/** Messages the local carrier took so far (lines of its outbox file). */
const carried = (stack: BenchStack) => readFileSync(stack.outboxFile, 'utf8').split('\n').filter(Boolean).length;

export async function run(): Promise<void> {
  process.env.LOCAL_SENDER_RATE = String(RATE_PER_NUMBER);
  const stack = await startBenchStack(benchDir('sender'));
  try {
    const rawRate = await rawBatchWriteRate(stack.dynamoEndpoint, stack.tableName, RAW_WRITE_ITEMS);
    const conversations = await arrange(stack);
    const carriedBefore = carried(stack);

    const answerMs: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENT_CONCURRENCY }, async () => {
        while (next < SENDS) {
          const i = next++;
          const target = conversations[i % conversations.length]!;
          const t = performance.now();
          const res = await api(stack, target.token, 'POST', `/conversations/${target.conversationId}/messages`, {
            text: `bench send ${i}`,
          });
          if (res.status !== 201) throw new Error(`send answered ${res.status}: ${JSON.stringify(res.body)}`);
          answerMs.push(performance.now() - t);
        }
      }),
    );
    const allAnswered = performance.now();
    while (carried(stack) - carriedBefore < SENDS) await new Promise((r) => setTimeout(r, 50));
    const allCarried = performance.now();
    await stack.drained();

    answerMs.sort((a, b) => a - b);
    const results = {
      sends: SENDS,
      sendingNumbers: STORES,
      ratePerNumber: RATE_PER_NUMBER,
      paceCeilingPerSecond: STORES * RATE_PER_NUMBER,
      apiAnsweredPerSecond: Math.round(SENDS / ((allAnswered - started) / 1000)),
      handedToCarrierPerSecond: Math.round((SENDS / ((allCarried - started) / 1000)) * 10) / 10,
      apiAnswerMs: { p50: Math.round(quantile(answerMs, 0.5)), p99: Math.round(quantile(answerMs, 0.99)) },
      rawBatchWriteItemsPerSecond: Math.round(rawRate),
      loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(1))),
      note: 'The API records each send (one transaction) and queues it; the sender books the number slot, claims, calls the local carrier and keeps the SID. Handed-over rate is bounded by the pace: numbers x rate.',
    };
    console.table([
      { figure: 'API answered (recorded + queued)', value: `${results.apiAnsweredPerSecond} sends/s` },
      { figure: 'API answer p50 / p99', value: `${results.apiAnswerMs.p50} / ${results.apiAnswerMs.p99} ms` },
      { figure: 'handed to the carrier (pacing on)', value: `${results.handedToCarrierPerSecond} sends/s` },
      { figure: 'pace ceiling (numbers x rate)', value: `${results.paceCeilingPerSecond} sends/s` },
      { figure: 'raw BatchWriteItem (same engine)', value: `${results.rawBatchWriteItemsPerSecond} items/s` },
    ]);
    mergeResults('sender', results);
  } finally {
    await stack.stop();
    delete process.env.LOCAL_SENDER_RATE;
  }
}
