/**
 * Assignment and My Inbox (docs/rules.md, "Assignment"). A conversation has at most one assignee,
 * kept on the conversation item with its My Inbox entry: gsi2 `CONVMINE#<store>#<user>#<view>` /
 * `<lastActivityAt>#<id>`. The entry moves with the conversation's activity (recordMessage sets
 * gsi2sk beside gsi1sk) and view (moveBucket), so a My Inbox page is one query with `Limit`,
 * whatever the caller's history. Keys: ./keys.ts.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { writeIfUnchanged } from '../../shared/dynamo/conditions';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination';
import type { Conversation } from '../model';
import { unreadCount } from '../rules';
import { toConversation } from './conversations';
import { activitySk, assigneeInboxPk, bucketOf, convKey, waitingInboxPk, waitingSk } from './keys';
import { readMarkers } from './readers';
import { tableName, type Item } from '../../shared/dynamo/table';

/**
 * Sets (or, with null, clears) the assignee if it is still `conversation.assignee` and the
 * conversation is still in the same view with the same wait; false when any moved on (the
 * caller reads again). Unassigned while its customer waits, the conversation goes back to the
 * unassigned queue at the time the customer started waiting.
 */
export async function setAssignee(conversation: Conversation, to: string | null): Promise<boolean> {
  const from = conversation.assignee;
  const { waitingSince: waiting } = conversation;
  const bucket = bucketOf(conversation.archived);
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(conversation.conversationId),
        UpdateExpression:
          to !== null
            ? 'SET assignee = :to, gsi2pk = :g2pk, gsi2sk = :g2sk, assignedAt = :now'
            : waiting
              ? 'SET gsi2pk = :g2pk, gsi2sk = :g2sk REMOVE assignee'
              : 'REMOVE assignee, gsi2pk, gsi2sk',
        // Under the wait it was read with: a customer message meanwhile changes where the entry goes.
        ConditionExpression: `archived = :archived AND ${from === null ? 'attribute_not_exists(assignee)' : 'assignee = :from'} AND ${
          waiting ? 'waitingSince = :waiting' : 'attribute_not_exists(waitingSince)'
        }`,
        ExpressionAttributeValues: {
          ':archived': conversation.archived,
          ...(from === null ? {} : { ':from': from }),
          ...(waiting ? { ':waiting': waiting } : {}),
          ...(to !== null
            ? {
                ':to': to,
                ':g2pk': assigneeInboxPk(conversation.storeId, to, bucket),
                ':g2sk': activitySk(conversation.lastActivityAt, conversation.conversationId),
                ':now': new Date().toISOString(),
              }
            : waiting
              ? {
                  ':g2pk': waitingInboxPk(conversation.storeId, bucket),
                  ':g2sk': waitingSk(waiting, conversation.conversationId),
                }
              : {}),
        },
      }),
    ),
  );
}

/**
 * How many of the caller's most recently active assigned conversations the bubble (`unreadTotal`
 * of My Inbox) sums: one query and one batch read, whatever the caller's history. Exact for an
 * associate with at most this many assigned conversations in the view; beyond it, the older ones
 * are not counted (docs/rules.md, "Assignment").
 */
export const MINE_TOTAL_WINDOW = 100;

export interface MyInboxPage extends Page<{ conversation: Conversation; readInbound: number }> {
  unreadTotal: number;
}

/** gsi2 entries of one partition in its order: newest activity first (My Inbox), or oldest wait first (the unassigned queue). */
async function queryEntries(pk: string, oldestFirst: boolean, limit: number, startKey?: Record<string, unknown>) {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: oldestFirst,
      Limit: limit,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    }),
  );
  return { items: out.Items ?? [], more: out.LastEvaluatedKey !== undefined };
}

const indexKey = (item: Item) => ({ pk: item.pk, sk: item.sk, gsi2pk: item.gsi2pk, gsi2sk: item.gsi2sk });

/** One page of My Inbox: the conversations assigned to the caller, newest activity first (listEntries). */
export function listMyInbox(
  storeId: string,
  userId: string,
  archived: boolean,
  limit: number,
  cursor?: string,
): Promise<MyInboxPage> {
  const pk = assigneeInboxPk(storeId, userId, bucketOf(archived));
  return listEntries({ pk, list: `my-inbox\n${pk}`, oldestFirst: false }, userId, limit, cursor);
}

/**
 * One page of the unassigned queue: the store's unassigned conversations whose customer waits
 * for an answer, the longest waiting first (listEntries).
 */
export function listUnassigned(
  storeId: string,
  userId: string,
  archived: boolean,
  limit: number,
  cursor?: string,
): Promise<MyInboxPage> {
  const pk = waitingInboxPk(storeId, bucketOf(archived));
  return listEntries({ pk, list: `unassigned\n${pk}`, oldestFirst: true }, userId, limit, cursor);
}

/**
 * One page of a gsi2 view with the caller's markers, and the bubble over the view's first
 * MINE_TOTAL_WINDOW entries. The first page (no cursor, `limit` ≤ the window) is one query and
 * one batch read: the page is the start of the window. A later page adds its own query and batch
 * read: at most four requests, whatever the view's size.
 */
async function listEntries(
  view: { pk: string; list: string; oldestFirst: boolean },
  userId: string,
  limit: number,
  cursor?: string,
): Promise<MyInboxPage> {
  const { pk, list, oldestFirst } = view;
  const startKey = await decodeCursor(cursor, list, { gsi2pk: pk });
  const windowRead = queryEntries(pk, oldestFirst, Math.max(MINE_TOTAL_WINDOW, startKey ? 0 : limit));
  const pageRead = startKey ? queryEntries(pk, oldestFirst, limit, startKey) : undefined;
  const window = await windowRead;
  const page = pageRead ? await pageRead : { items: window.items.slice(0, limit), more: false };
  const more = pageRead ? page.more : window.items.length > limit || window.more;
  const ids = [...new Set([...window.items, ...page.items].map((i) => i.conversationId as string))];
  const markers = await readMarkers(ids, userId);
  const unread = (item: Item) =>
    unreadCount(Number(item.inboundCount ?? 0), markers.get(item.conversationId as string) ?? 0);
  const last = page.items.at(-1);
  return {
    items: page.items.map((item) => ({
      conversation: toConversation(item),
      readInbound: markers.get(item.conversationId as string) ?? 0,
    })),
    nextCursor: more && last ? await encodeCursor(list, indexKey(last)) : null,
    unreadTotal: window.items.slice(0, MINE_TOTAL_WINDOW).reduce((sum, item) => sum + unread(item), 0),
  };
}
