/**
 * Publishes the events of a batch of committed changes (the table's stream):
 * 1. map each record to its events (rules.ts), completing message events with their
 *    conversation's store and customer (a conversation never changes store, so lookups are cached);
 * 2. put every event on the event bus, in order; a failed put fails the batch, which the stream
 *    delivers again (the same records give the same event ids);
 * 3. post each event to the WebSocket connections of its audience, one event after the other per
 *    audience so a connection sees a conversation's events in commit order; a connection that is
 *    gone (410) is removed, any other failed post is logged and skipped: a socket is best effort,
 *    and a client reconciles with `GET /inbox` after a reconnect.
 */
import { getConversation } from '../conversations/repository';
import { forEachConcurrently } from '../shared/concurrency';
import { logger } from '../shared/logger';
import type { Audience, ChangeRecord, ConversationFacts, EventPorts, LiveEvent } from './model';
import { connectionsOf, deleteConnection } from './repository/connections';
import { conversationNeeded, eventsOf } from './rules';

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

const audienceOf = (event: LiveEvent): Audience => (event.storeId === null ? 'admins' : { storeId: event.storeId });
const audienceKey = (audience: Audience) => (audience === 'admins' ? 'admins' : `store:${audience.storeId}`);

/** Steps 2 and 3 above. Returns how many posts were sent and how many connections were gone. */
export async function publish(
  events: readonly LiveEvent[],
  ports: EventPorts,
  now: Date,
): Promise<{ sent: number; gone: number }> {
  if (events.length === 0) return { sent: 0, gone: 0 };
  await ports.putOnBus(events);

  const byAudience = new Map<string, { audience: Audience; events: LiveEvent[] }>();
  for (const event of events) {
    const audience = audienceOf(event);
    const key = audienceKey(audience);
    const entry = byAudience.get(key) ?? { audience, events: [] };
    entry.events.push(event);
    byAudience.set(key, entry);
  }
  let sent = 0;
  let gone = 0;
  await forEachConcurrently([...byAudience.values()], 8, async ({ audience, events: ordered }) => {
    const live = new Set(await connectionsOf(audience, now));
    for (const event of ordered) {
      const payload = JSON.stringify(event);
      await forEachConcurrently([...live], 16, async (connectionId) => {
        try {
          if ((await ports.post(connectionId, payload)) === 'sent') {
            sent++;
            return;
          }
          gone++;
          live.delete(connectionId);
          await deleteConnection(connectionId);
        } catch (error) {
          logger.warn('post to a connection failed; skipped', {
            connectionId,
            eventId: event.id,
            error: (error as Error).message,
          });
        }
      });
    }
  });
  return { sent, gone };
}
