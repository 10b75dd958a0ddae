/**
 * API bench: `GET /inbox` and `POST /conversations/{id}/messages` on the local stack under
 * CONNECTIONS concurrent connections for DURATION_S each (autocannon), p50/p99 latency and
 * requests/s, beside a raw DynamoDB `GetItem` loop at the same concurrency on the same in-memory
 * DynamoDB Local in the same run: the floor the engine sets. Figures, not assertions.
 *
 * The store has CONVERSATIONS opted-in conversations (each customer texted YES), one per customer;
 * sends go round-robin over them (each send is queued to the local sender and carrier, which run
 * while the bench does).
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import autocannon, { type Result } from 'autocannon';
import { benchDir, type BenchStack, createBenchStore, postInboundSms, quantile, startBenchStack } from './local-stack';
import { mergeResults } from './results';

const CONNECTIONS = 50;
const DURATION_S = 10;
const CONVERSATIONS = 50;
const STORE_ID = 'bench-api';
const STORE_PHONE = '+12125550142';

interface Figures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  /** Answers by HTTP status. */
  readonly statusCodes?: Record<string, number>;
}

const figuresOf = (result: Result): Figures => ({
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  requestsPerSecond: Math.round(result.requests.average),
  requests: result.requests.total,
  non2xx: result.non2xx,
  errors: result.errors,
  statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
});

/** Customers with a phone each (created by the admin) and a conversation with each, opened by the associate; their conversation ids. */
async function openConversations(stack: BenchStack, token: string): Promise<string[]> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const admin = stack.token({ role: 'clienteling-admin', userId: 'bench-admin' });
  const ids: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    const phone = `+1646555${String(i).padStart(4, '0')}`;
    const customer = await fetch(`${stack.url}/customers`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${admin}` },
      body: JSON.stringify({
        email: `bench-${i}@example.com`,
        phone,
        firstName: 'Bench',
      }),
    });
    if (!customer.ok) throw new Error(`could not create a customer: ${customer.status} ${await customer.text()}`);
    const { customerId } = (await customer.json()) as { customerId: string };
    const opened = await fetch(`${stack.url}/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ customerId }),
    });
    if (!opened.ok) throw new Error(`could not open a conversation: ${opened.status} ${await opened.text()}`);
    ids.push(((await opened.json()) as { conversationId: string }).conversationId);
    // The customer texts YES: the conversation is opted in, so the associate may send (README, "Consent, quiet hours, scheduled messages, erasure").
    await postInboundSms(stack, {
      sid: `SMbenchapi${String(i).padStart(24, '0')}`,
      from: phone,
      to: STORE_PHONE,
      body: 'YES',
    });
  }
  await stack.drained();
  return ids;
}

/** GetItem of one item, CONNECTIONS at a time for DURATION_S, straight to the stack's DynamoDB Local. */
async function rawGetItem(stack: BenchStack): Promise<Figures> {
  const { localDynamoClient } = await import('../lib/local/engines');
  const client = localDynamoClient(stack.dynamoEndpoint);
  const Key = { pk: { S: 'BENCHRAW#api' }, sk: { S: 'item' } };
  await client.send(new PutItemCommand({ TableName: stack.tableName, Item: { ...Key, body: { S: 'x'.repeat(200) } } }));
  const latencies: number[] = [];
  const until = performance.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await client.send(new GetItemCommand({ TableName: stack.tableName, Key }));
        latencies.push(performance.now() - started);
      }
    }),
  );
  client.destroy();
  latencies.sort((a, b) => a - b);
  return {
    p50Ms: Math.round(quantile(latencies, 0.5)),
    p99Ms: Math.round(quantile(latencies, 0.99)),
    requestsPerSecond: Math.round(latencies.length / DURATION_S),
    requests: latencies.length,
    non2xx: 0,
    errors: 0,
  };
}

export async function run(): Promise<void> {
  const stack = await startBenchStack(benchDir('api'));
  try {
    await createBenchStore(stack, STORE_ID, 'API Bench Store', STORE_PHONE);
    const token = stack.token({ role: 'associate', storeId: STORE_ID, userId: 'bench-associate' });
    const conversations = await openConversations(stack, token);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const inbox = await autocannon({
      url: `${stack.url}/inbox?scope=store`,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers,
    });
    let next = 0;
    const send = await autocannon({
      url: stack.url,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (request) => ({
            ...request,
            path: `/conversations/${conversations[next++ % conversations.length]}/messages`,
            body: JSON.stringify({ text: `bench message ${next}` }),
          }),
        },
      ],
    });
    await stack.drained();
    const raw = await rawGetItem(stack);

    const results = {
      measuredAt: new Date().toISOString(),
      connections: CONNECTIONS,
      durationSeconds: DURATION_S,
      'GET /inbox': figuresOf(inbox),
      'POST /conversations/{id}/messages': figuresOf(send),
      'raw GetItem (same engine)': raw,
      loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(1))),
    };
    console.table(
      Object.fromEntries(
        (['GET /inbox', 'POST /conversations/{id}/messages', 'raw GetItem (same engine)'] as const).map((name) => [
          name,
          results[name],
        ]),
      ),
    );
    mergeResults('api', results);
  } finally {
    await stack.stop();
  }
}
