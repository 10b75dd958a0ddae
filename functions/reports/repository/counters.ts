/**
 * Report counters in the single table: each event adds to a constant number of items in one
 * transaction with its exactly-once marker, so a redelivered event adds nothing. Reports read the
 * counter items and sum them; nothing here reads messages.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryAll, type Item } from '../../shared/dynamo/batches';
import { CONTENTION_ATTEMPTS, RETRY, withContentionRetry } from '../../shared/dynamo/conditions';
import { transactNamed } from '../../shared/dynamo/transactions';
import { addToItem } from '../../shared/dynamo/updates';
import type { ConversationState, LastTouch } from '../model';
import { randomShard } from '../rules';
import {
  associateDayKey,
  associateDayPk,
  campaignCountersKey,
  campaignCountersPk,
  conversationStateKey,
  eventKey,
  lastTouchKey,
} from './keys';
import { expiry, putIfAbsent, tableName, type TransactItem } from '../../shared/dynamo/table';

/** The transaction item type, for the attribution steps that build counter writes. */
export type { TransactItem };

/**
 * How long an event's marker is kept: longer than any redelivery (Twilio, SQS, the payment
 * provider) can come. It goes in `ttl` (epoch seconds), the table's TTL attribute
 * (functions/shared/table.ts; docs/data-model.md): DynamoDB deletes the marker some time after.
 * Markers written before carried it in `expiresAt` only; `npm run backfill-ttl` copies it over.
 */
export const EVENT_MARKER_SECONDS = 35 * 24 * 3600;

/** Adds to an associate's counters of one day. */
export const addToAssociateDay = (
  storeId: string,
  day: string,
  userId: string,
  adds: Readonly<Record<string, number>>,
) => addToItem(tableName(), associateDayKey(storeId, day, userId), adds, { storeId, userId, day });

/** Adds to a store's counters in a campaign, on a random shard. */
export const addToCampaignStore = (campaignId: string, storeId: string, adds: Readonly<Record<string, number>>) =>
  addToItem(tableName(), campaignCountersKey(campaignId, storeId, randomShard()), adds, { campaignId, storeId });

export async function getConversationState(conversationId: string): Promise<ConversationState> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: conversationStateKey(conversationId), ConsistentRead: true }),
  );
  const item = out.Item ?? {};
  return {
    version: Number(item.version ?? 0),
    ...(typeof item.startedBy === 'string' ? { startedBy: item.startedBy } : {}),
    ...(typeof item.lastOutboundBy === 'string' ? { lastOutboundBy: item.lastOutboundBy } : {}),
    ...(typeof item.awaitingSince === 'string' ? { awaitingSince: item.awaitingSince } : {}),
  };
}

/** Replaces the conversation's report state, on the condition that nobody changed it since `read` (optimistic). */
export function putConversationState(
  conversationId: string,
  read: ConversationState,
  next: Omit<ConversationState, 'version'>,
): TransactItem {
  const item = {
    ...conversationStateKey(conversationId),
    type: 'reportConversationState',
    ...next,
    version: read.version + 1,
  };
  if (read.version === 0) return putIfAbsent(item);
  return {
    Put: {
      TableName: tableName(),
      Item: item,
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':version': read.version },
    },
  };
}

export function putLastTouch(storeId: string, customerId: string, touch: LastTouch): TransactItem {
  // A later touch only: two sends racing must not move the touch back in time.
  return {
    Put: {
      TableName: tableName(),
      Item: { ...lastTouchKey(storeId, customerId), type: 'lastTouch', ...touch },
      ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':at': touch.at },
    },
  };
}

export async function getLastTouch(storeId: string, customerId: string): Promise<LastTouch | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: lastTouchKey(storeId, customerId), ConsistentRead: true }),
  );
  return out.Item
    ? { campaignId: String(out.Item.campaignId), at: String(out.Item.at), userId: String(out.Item.userId) }
    : undefined;
}

export type CountOutcome = 'counted' | 'duplicate' | { cancelled: number };

/**
 * Counts one event exactly once: its marker is created in the same transaction as the writes, so
 * a redelivered event fails the marker's condition and adds nothing. A write whose own condition
 * fails is answered `{cancelled: index}` (index into `writes`) for the caller to decide.
 */
export function countOnce(event: string, writes: readonly TransactItem[], now: Date): Promise<CountOutcome> {
  return withContentionRetry(() => tryCount(event, writes, now));
}

/**
 * Counts one event exactly once with writes computed from a fresh read (the conversation's report
 * state): when one of them loses its condition to a concurrent change, `compute` runs again on a
 * new read, told which write was cancelled. `raced` when the state kept changing through every try.
 */
export function countOnceFromFreshRead(
  event: string,
  now: Date,
  compute: (cancelled: number | undefined) => Promise<readonly TransactItem[]>,
): Promise<'counted' | 'duplicate' | 'raced'> {
  let cancelled: number | undefined;
  return withContentionRetry(async (attempt) => {
    const outcome = await tryCount(event, await compute(cancelled), now);
    if (typeof outcome === 'string') return outcome;
    cancelled = outcome.cancelled;
    return attempt + 1 < CONTENTION_ATTEMPTS ? RETRY : 'raced';
  });
}

/** One try of the transaction; a conflict is thrown, for withContentionRetry to try again. */
async function tryCount(event: string, writes: readonly TransactItem[], now: Date): Promise<CountOutcome> {
  const writeName = (i: number) => `write${i}`;
  const cancelled = await transactNamed<string>({
    marker: putIfAbsent({
      ...eventKey(event),
      type: 'reportEvent',
      at: now.toISOString(),
      ...expiry(now, EVENT_MARKER_SECONDS),
    }),
    ...Object.fromEntries(writes.map((write, i) => [writeName(i), write])),
  });
  if (!cancelled) return 'counted';
  if (cancelled.has('marker')) return 'duplicate';
  for (let i = 0; i < writes.length; i++) if (cancelled.has(writeName(i))) return { cancelled: i };
  throw cancelled.error;
}

/** Every counter shard of a campaign, each carrying its `storeId`. */
export const campaignCounterItems = (campaignId: string): Promise<Item[]> =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': campaignCountersPk(campaignId) },
  });

/** The associates' counters of one day of a store. */
export const associateDayItems = (storeId: string, day: string): Promise<Item[]> =>
  queryAll({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': associateDayPk(storeId, day) },
  });
