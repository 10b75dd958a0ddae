/**
 * Publishes the events of a batch of committed changes (the table's stream):
 * 1. map each record to its events (rules.ts), completing message events with their
 *    conversation's store and customer (a conversation never changes store, so lookups are cached);
 * 2. put every event on the event bus, in order; a failed put fails the batch, which the stream
 *    delivers again (the same records give the same event ids);
 * 3. post ONE frame to each connection that hears any of the events: a JSON array of its events
 *    in batch order, so a connection sees a conversation's events in commit order
 *    (docs/live-events.md, "Frames"); a connection that is gone (410) is removed, any other failed
 *    post is logged and skipped: a socket is best effort, and a client reconciles with
 *    `GET /inbox` after a reconnect.
 */
import { getConversation } from '../conversations/repository';
import { forEachConcurrently } from '../shared/concurrency';
import { logger } from '../shared/logger';
import type { Audience, ChangeRecord, ConversationFacts, EventPorts, LiveEvent } from './model';
import { connectionsOf, deleteConnection } from './repository/connections';
import { conversationNeeded, eventsOf, framesOf } from './rules';

const MAX_CACHED_CONVERSATIONS = 10_000;
/** A conversation's store and customer never change, so they are kept for the container's life (bounded, oldest out first). */
const conversations = new Map<string, ConversationFacts>();

async function conversationFacts(conversationId: string): Promise<ConversationFacts | undefined> {
  const cached = conversations.get(conversationId);
  if (cached) return cached;
  const found = await getConversation(conversationId);
  if (!found) return undefined;
  const facts = { storeId: found.storeId, customerId: found.customerId };
  if (conversations.size >= MAX_CACHED_CONVERSATIONS) conversations.delete(conversations.keys().next().value!);
  conversations.set(conversationId, facts);
  return facts;
}

/** The events of these changes, in the order of the changes. */
export async function eventsOfChanges(records: readonly ChangeRecord[]): Promise<LiveEvent[]> {
  const events: LiveEvent[] = [];
  for (const record of records) {
    const conversationId = conversationNeeded(record);
    const facts = conversationId ? await conversationFacts(conversationId) : undefined;
    if (conversationId && !facts) logger.warn('message change without its conversation; no event', { conversationId });
    events.push(...eventsOf(record, facts));
  }
  return events;
}

const audienceOf = (event: LiveEvent): Audience =>
  event.storeId === null
    ? 'admins'
    : event.userId !== undefined
      ? { storeId: event.storeId, userId: event.userId }
      : { storeId: event.storeId };
const audienceKey = (audience: Audience) =>
  audience === 'admins'
    ? 'admins'
    : audience.userId !== undefined
      ? `user:${audience.storeId}:${audience.userId}`
      : `store:${audience.storeId}`;

/** Audiences whose connections are read at once, and connections posted to at once. */
const AUDIENCE_CONCURRENCY = 8;
const POST_CONCURRENCY = 16;

/**
 * Each live connection of the events' audiences with the events it hears, in batch order (an
 * admin with a store is in two audiences and hears both kinds, still in batch order).
 */
async function eventsByConnection(events: readonly LiveEvent[], now: Date): Promise<Map<string, LiveEvent[]>> {
  const audiences = new Map(events.map((event) => [audienceKey(audienceOf(event)), audienceOf(event)] as const));
  const members = new Map<string, readonly string[]>();
  await forEachConcurrently([...audiences], AUDIENCE_CONCURRENCY, async ([key, audience]) => {
    members.set(key, await connectionsOf(audience, now));
  });
  const byConnection = new Map<string, LiveEvent[]>();
  for (const event of events) {
    for (const connectionId of members.get(audienceKey(audienceOf(event))) ?? []) {
      const heard = byConnection.get(connectionId) ?? [];
      heard.push(event);
      byConnection.set(connectionId, heard);
    }
  }
  return byConnection;
}

/** Steps 2 and 3 above. Returns how many frames were sent, to how many connections, and how many connections were gone. */
export async function publish(
  events: readonly LiveEvent[],
  ports: EventPorts,
  now: Date,
): Promise<{ frames: number; connections: number; gone: number }> {
  if (events.length === 0) return { frames: 0, connections: 0, gone: 0 };
  await ports.putOnBus(events);

  const byConnection = await eventsByConnection(events, now);
  let frames = 0;
  let gone = 0;
  await forEachConcurrently([...byConnection], POST_CONCURRENCY, async ([connectionId, heard]) => {
    // One frame, unless the events exceed a WebSocket message (rules.ts framesOf): then several, in order.
    for (const payload of framesOf(heard)) {
      try {
        if ((await ports.post(connectionId, payload)) === 'sent') {
          frames++;
          continue;
        }
        gone++;
        await deleteConnection(connectionId);
        return;
      } catch (error) {
        logger.warn('post to a connection failed; skipped', {
          connectionId,
          eventIds: heard.map((event) => event.id),
          error: (error as Error).message,
        });
        return;
      }
    }
  });
  return { frames, connections: byConnection.size, gone };
}
