/**
 * Event latency bench: 20 WebSocket connections of one store's users; 200 inbound SMS over 20
 * conversations (10 each, each conversation's sent one after the other, the 20 conversations at
 * once) posted to the signed Twilio webhook of the local stack. Reported: the time from the
 * webhook request (the change) to the `message.received` event at a connection, p50 and p99 over
 * every (message, connection) pair and over each message's first arrival, beside the 2 s the
 * local stack promises and the stream poll interval (the floor of the local path).
 *
 * Locally the path is: webhook -> inbound FIFO queue -> worker writes -> DynamoDB Local's stream,
 * polled -> the events publisher -> the local management API -> the socket. Figures, not assertions.
 */
import WebSocket from 'ws';
import { benchDir, createBenchStore, postInboundSms, quantile, startBenchStack } from './local-stack';
import { mergeResults } from './results';

const CONNECTIONS = 20;
const CONVERSATIONS = 20;
const PER_CONVERSATION = 10;
const PROMISED_MS = 2_000;
const STREAM_POLL_MS = 100;
const STORE_PHONE = '+12125550177';

interface Received {
  conversationId: string;
  messageId: string;
  at: number;
}

export async function run(): Promise<void> {
  const stack = await startBenchStack(benchDir('events'));
  const sockets: WebSocket[] = [];
  try {
    await createBenchStore(stack, 'bench-live', 'Live Store', STORE_PHONE);

    // Per connection: every message.received it got in arrival order, and the same by conversation.
    const received: Received[][] = Array.from({ length: CONNECTIONS }, () => []);
    const byConversation: Array<Map<string, Received[]>> = Array.from({ length: CONNECTIONS }, () => new Map());
    const of = (i: number, conversationId: string) => byConversation[i]!.get(conversationId) ?? [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const token = stack.token({ role: 'associate', storeId: 'bench-live', userId: `bench-associate-${i}` });
      const ws = new WebSocket(`${stack.url.replace(/^http/, 'ws')}/ws?token=${token}`);
      ws.on('message', (data) => {
        // A frame is an array of events (docs/live-events.md, "Frames").
        const frame = JSON.parse(String(data)) as Array<{
          type: string;
          data: { conversationId: string; messageId: string };
        }>;
        const at = performance.now();
        for (const event of frame) {
          if (event.type !== 'message.received') continue;
          const got = { ...event.data, at };
          received[i]!.push(got);
          byConversation[i]!.set(got.conversationId, [...of(i, got.conversationId), got]);
        }
      });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      sockets.push(ws);
    }

    let sid = 0;
    const send = (from: string, body: string) =>
      postInboundSms(stack, { sid: `SMbenchev${String(sid++).padStart(24, '0')}`, from, to: STORE_PHONE, body });
    const until = async (done: () => boolean, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error('events did not arrive in time');
        await new Promise((r) => setTimeout(r, 5));
      }
    };

    // Warm-up, one conversation at a time: learns each lane's conversation (and loads the handlers).
    const lanes: Array<{ phone: string; conversationId: string }> = [];
    for (let lane = 0; lane < CONVERSATIONS; lane++) {
      const phone = `+1646777${String(lane).padStart(4, '0')}`;
      const before = received[0]!.length;
      await send(phone, 'hello');
      await until(() => received.every((r) => r.length > before));
      lanes.push({ phone, conversationId: received[0]![before]!.conversationId });
    }

    // Closed loop per conversation: the next message is sent once the previous one's event reached
    // every connection, so each figure is one change's latency with 20 changes in flight, not a queue's backlog.
    const lanePhase = async (change: (lane: (typeof lanes)[number], k: number) => Promise<void>) => {
      const latencies: number[] = [];
      const firsts: number[] = [];
      let outOfOrder = 0;
      const started = performance.now();
      await Promise.all(
        lanes.map(async (lane) => {
          for (let k = 0; k < PER_CONVERSATION; k++) {
            const counts = received.map((_, i) => of(i, lane.conversationId).length);
            const sent = performance.now();
            await change(lane, k);
            await until(() => counts.every((count, i) => of(i, lane.conversationId).length > count));
            const arrivals = received.map((_, i) => {
              const mine = of(i, lane.conversationId);
              const event = mine[counts[i]!]!;
              if (counts[i]! > 0 && mine[counts[i]! - 1]!.messageId > event.messageId) outOfOrder++;
              return event.at - sent;
            });
            latencies.push(...arrivals);
            firsts.push(Math.min(...arrivals));
          }
        }),
      );
      const elapsed = performance.now() - started;
      latencies.sort((a, b) => a - b);
      firsts.sort((a, b) => a - b);
      return {
        eventsDelivered: latencies.length,
        outOfOrder,
        everyConnectionMs: {
          p50: Math.round(quantile(latencies, 0.5)),
          p99: Math.round(quantile(latencies, 0.99)),
          p9999: Math.round(quantile(latencies, 0.9999)),
          max: Math.round(latencies.at(-1)!),
        },
        overPromised: latencies.filter((ms) => ms > PROMISED_MS).length,
        firstConnectionMs: { p50: Math.round(quantile(firsts, 0.5)), p99: Math.round(quantile(firsts, 0.99)) },
        changesPerSecond: Math.round((CONVERSATIONS * PER_CONVERSATION) / (elapsed / 1000)),
      };
    };

    // 1. The whole path: the change is the webhook request.
    const fromWebhook = await lanePhase((lane, k) => send(lane.phone, `message ${k}`));

    // 2. The events path alone: the change is a committed message write (what the inbound worker
    //    writes, put straight into the table), so the inbound queue and worker are not in the figure.
    const { localDynamoClient } = await import('../lib/local/engines');
    const { DynamoDBDocumentClient, PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const dynamo = localDynamoClient(stack.dynamoEndpoint);
    const table = DynamoDBDocumentClient.from(dynamo);
    let seq = 0;
    const fromCommit = await lanePhase(async (lane) => {
      const messageId = `${Date.now().toString(36).padStart(10, '0')}${String(seq++).padStart(12, '0')}`;
      await table.send(
        new PutCommand({
          TableName: stack.tableName,
          Item: {
            pk: `CONV#${lane.conversationId}`,
            sk: `MSG#${messageId}`,
            messageId,
            conversationId: lane.conversationId,
            direction: 'inbound',
            status: 'received',
            text: 'direct',
            createdAt: new Date().toISOString(),
            type: 'message',
          },
        }),
      );
    });
    dynamo.destroy();

    const results = {
      messages: CONVERSATIONS * PER_CONVERSATION,
      conversations: CONVERSATIONS,
      connections: CONNECTIONS,
      webhookToEvent: fromWebhook,
      commitToEvent: fromCommit,
      promisedMs: PROMISED_MS,
      streamPollMs: STREAM_POLL_MS,
      note: '20 conversations at once, each closed loop (next change after the previous event reached all 20 connections). Webhook path includes the inbound FIFO worker; commit path is stream poll + publisher + fan-out.',
    };
    console.table([
      {
        figure: 'webhook -> event, every connection p50 / p99',
        value: `${fromWebhook.everyConnectionMs.p50} / ${fromWebhook.everyConnectionMs.p99} ms`,
      },
      {
        figure: 'webhook -> event, first connection p50 / p99',
        value: `${fromWebhook.firstConnectionMs.p50} / ${fromWebhook.firstConnectionMs.p99} ms`,
      },
      {
        figure: 'commit -> event, every connection p50 / p99',
        value: `${fromCommit.everyConnectionMs.p50} / ${fromCommit.everyConnectionMs.p99} ms`,
      },
      {
        figure: 'commit -> event, every connection p99.99 / max, over 2 s',
        value: `${fromCommit.everyConnectionMs.p9999} / ${fromCommit.everyConnectionMs.max} ms, ${fromCommit.overPromised} of ${fromCommit.eventsDelivered}`,
      },
      {
        figure: 'commit -> event, first connection p50 / p99',
        value: `${fromCommit.firstConnectionMs.p50} / ${fromCommit.firstConnectionMs.p99} ms`,
      },
      {
        figure: 'events delivered, out of order',
        value: `${fromWebhook.eventsDelivered + fromCommit.eventsDelivered}, ${fromWebhook.outOfOrder + fromCommit.outOfOrder}`,
      },
      { figure: 'limit: promised / stream poll', value: `${PROMISED_MS} ms / ${STREAM_POLL_MS} ms` },
    ]);
    mergeResults('events', results);
  } finally {
    for (const ws of sockets) ws.terminate();
    await stack.stop();
  }
}
