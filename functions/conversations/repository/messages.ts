/**
 * Message items: storing a message with its effect on the conversation in one constant-size
 * transaction, Idempotency-Keys, the claim taken right before a send, carrier answers and status
 * callbacks, and the audit record of an accepted inbound webhook. Keys: ./keys.ts.
 */
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPage } from '../../shared/dynamo/batches';
import { isConditionFailure, RETRY, withContentionRetry } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { cancelledBy } from '../../shared/dynamo/transactions';
import type { Conversation, Message } from '../model';
import {
  activityShard,
  DUE_SHARDS,
  nextOptInState,
  statusRank,
  type ConsentSource,
  type MessageStatus,
  type OptInEvent,
  type OptInState,
  type SendKind,
} from '../rules';
import { duePages } from '../../shared/dynamo/due-sweep';
import { addTo, getConversation, moveBucket, tableName } from './conversations';
import { ledgerPut, releaseOptInRequest } from './consent';
import {
  activitySk,
  bucketOf,
  convKey,
  duePk,
  dueSk,
  idempotencyKey,
  inboundKey,
  MESSAGE_PREFIX,
  messageKey,
  sidKey,
  storeTotalKey,
} from './keys';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

const MESSAGE_FIELDS = [
  'messageId',
  'conversationId',
  'direction',
  'kind',
  'text',
  'media',
  'sentBy',
  'twilioSid',
  'status',
  'errorCode',
  'scheduledFor',
  'createdAt',
] as const;
function toMessage(item: Item): Message {
  return Object.fromEntries(
    MESSAGE_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as Message;
}

/** An Idempotency-Key is remembered this long (the window in which a client retries). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const INBOUND_AUDIT_TTL_SECONDS = 30 * 24 * 3600;
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export interface OptInChange {
  from: OptInState;
  to: OptInState;
  source: ConsentSource;
  at: string;
  messageSid?: string;
  userId?: string;
  /** The keyword the customer sent, for a KEYWORD change. */
  keyword?: string;
}

export interface IdempotencyClaim {
  userId: string;
  key: string;
  bodyHash: string;
}

export type RecordOutcome =
  | { outcome: 'stored'; conversation: Conversation; optInChange?: OptInChange }
  /** The Twilio MessageSid is stored already: a redelivery; nothing changed. */
  | { outcome: 'duplicate-sid' }
  /** The Idempotency-Key was used before: the first message's id and body hash. */
  | { outcome: 'idempotent-replay'; messageId: string; bodyHash: string };

/**
 * Stores a message and applies it to its conversation, atomically, in a fixed number of items:
 * 1. the message (written once: a retried write of the same id is recognised as stored);
 * 2. the conversation: +1 inboundCount for a customer message, the newest activity and
 *    `lastMessage` when this message is the newest, and an opt-in change when `optInEvent` moves
 *    the state (the history entry is item 5);
 * 3. the Twilio SID (the same inbound MessageSid is stored once: `duplicate-sid`);
 * 4. +1 on the store's inbound sum of the conversation's view;
 * 6. the Idempotency-Key, when the send carries one (`idempotent-replay`).
 * An archived conversation is first brought back to the active view. Lost races are retried on a
 * fresh read (the conversation changed) or after a backoff (transaction conflict).
 */
export async function recordMessage(
  conversationId: string,
  message: Message,
  options: {
    optInEvent?: OptInEvent;
    optInSource?: Omit<OptInChange, 'from' | 'to' | 'at'>;
    idempotency?: IdempotencyClaim;
    now?: Date;
    /** The conversation as the caller just read it: the first attempt starts from it instead of reading again. */
    current?: Conversation;
    /** A `scheduled` message: what kind of send it is, so its release applies the same rules. */
    sendKind?: SendKind;
  } = {},
): Promise<RecordOutcome> {
  return withContentionRetry<RecordOutcome>(async (attempt) => {
    const conversation = attempt === 0 && options.current ? options.current : await getConversation(conversationId);
    if (!conversation) throw new Error(`Conversation ${conversationId} does not exist`);
    if (conversation.archived) {
      await moveBucket(conversation, 'ACTIVE');
      return RETRY;
    }
    const inbound = message.direction === 'inbound';
    const newest = !conversation.lastMessage || message.messageId > conversation.lastMessage.messageId;
    const nextOptIn = options.optInEvent ? nextOptInState(conversation.optIn, options.optInEvent) : undefined;
    const optInChange: OptInChange | undefined = nextOptIn
      ? { ...options.optInSource!, from: conversation.optIn, to: nextOptIn, at: message.createdAt }
      : undefined;
    const lastActivityAt =
      message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt;

    const sets: string[] = [];
    const values: Record<string, unknown> = { ':archived': false };
    const conditions = ['archived = :archived'];
    if (newest) {
      sets.push('lastActivityAt = :at', 'gsi1sk = :sk', 'gsi3sk = :sk', 'lastMessage = :last');
      values[':at'] = lastActivityAt;
      values[':sk'] = activitySk(lastActivityAt, conversationId);
      values[':last'] = {
        messageId: message.messageId,
        direction: message.direction,
        status: message.status,
        statusRank: statusRank(message.status),
        at: message.createdAt,
        ...(message.errorCode ? { errorCode: message.errorCode } : {}),
      };
      values[':mid'] = message.messageId;
      conditions.push('(attribute_not_exists(lastMessage) OR lastMessage.messageId < :mid)');
    }
    if (optInChange) {
      sets.push('optIn = :to', 'optInChangedAt = :changedAt');
      values[':to'] = optInChange.to;
      values[':from'] = optInChange.from;
      values[':changedAt'] = optInChange.at;
      conditions.push('optIn = :from');
    }
    if (inbound) values[':one'] = 1;
    if (inbound && message.createdAt > (conversation.lastInboundAt ?? '')) {
      sets.push('lastInboundAt = :inboundAt');
      values[':inboundAt'] = message.createdAt;
    }
    const touchesConversation = sets.length > 0 || inbound;

    const items: Array<TransactItem | undefined> = [
      {
        Put: {
          TableName: tableName(),
          Item: {
            ...messageKey(conversationId, message.messageId),
            ...message,
            statusRank: statusRank(message.status),
            type: 'message',
            ...(message.status === 'scheduled' && message.scheduledFor
              ? {
                  gsi3pk: duePk(activityShard(message.messageId) % DUE_SHARDS),
                  gsi3sk: dueSk(message.scheduledFor, conversationId, message.messageId),
                  sendKind: options.sendKind ?? 'message',
                }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      touchesConversation
        ? {
            Update: {
              TableName: tableName(),
              Key: convKey(conversationId),
              UpdateExpression: [
                sets.length > 0 ? `SET ${sets.join(', ')}` : '',
                inbound ? 'ADD inboundCount :one' : '',
              ]
                .filter(Boolean)
                .join(' '),
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeValues: values,
            },
          }
        : undefined,
      message.twilioSid
        ? {
            Put: {
              TableName: tableName(),
              Item: { ...sidKey(message.twilioSid), conversationId, messageId: message.messageId, type: 'twilioSid' },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : undefined,
      inbound
        ? addTo(storeTotalKey(conversation.storeId, bucketOf(false), activityShard(conversationId)), { inbound: 1 })
        : undefined,
      optInChange ? ledgerPut(conversation, optInChange) : undefined,
      options.idempotency
        ? {
            Put: {
              TableName: tableName(),
              Item: {
                ...idempotencyKey(conversationId, options.idempotency.userId, options.idempotency.key),
                messageId: message.messageId,
                bodyHash: options.idempotency.bodyHash,
                type: 'idempotencyKey',
                ttl: epoch(options.now ?? new Date()) + IDEMPOTENCY_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }
        : undefined,
    ];
    const present = items.filter((i): i is TransactItem => i !== undefined);
    const indexOf = (slot: number) => present.indexOf(items[slot]!);
    try {
      await documentClient.send(new TransactWriteCommand({ TransactItems: present }));
      return { outcome: 'stored', conversation, ...(optInChange ? { optInChange } : {}) };
    } catch (error) {
      const failed = (slot: number) =>
        items[slot] !== undefined && cancelledBy(error, 'ConditionalCheckFailed', indexOf(slot));
      if (failed(5) && options.idempotency) {
        const first = await findIdempotentSend(conversationId, options.idempotency.userId, options.idempotency.key);
        if (first) return { outcome: 'idempotent-replay', ...first };
      }
      if (failed(2)) return { outcome: 'duplicate-sid' };
      // The same message id stored already: an earlier attempt of this very write went through.
      if (failed(0)) return { outcome: 'stored', conversation };
      if (failed(1)) return RETRY;
      throw error;
    }
  });
}

export async function findIdempotentSend(
  conversationId: string,
  userId: string,
  key: string,
): Promise<{ messageId: string; bodyHash: string } | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKey(conversationId, userId, key), ConsistentRead: true }),
  );
  return out.Item ? { messageId: out.Item.messageId as string, bodyHash: out.Item.bodyHash as string } : undefined;
}

export async function listMessages(conversationId: string, limit: number, cursor?: string): Promise<Page<Message>> {
  const pk = convKey(conversationId).pk;
  const page = await queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_PREFIX },
      ScanIndexForward: false,
    },
    { limit, cursor, partition: { pk }, prefixes: { sk: MESSAGE_PREFIX } },
  );
  return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
}

export async function getMessage(
  conversationId: string,
  messageId: string,
): Promise<(Message & { sendClaimedAt?: string; retriable?: boolean }) | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: messageKey(conversationId, messageId), ConsistentRead: true }),
  );
  if (!out.Item) return undefined;
  return {
    ...toMessage(out.Item),
    ...(out.Item.sendClaimedAt ? { sendClaimedAt: out.Item.sendClaimedAt as string } : {}),
    ...(out.Item.retriable ? { retriable: true } : {}),
  };
}

export async function findMessageBySid(sid: string): Promise<MessageRef | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: sidKey(sid), ConsistentRead: true }),
  );
  return out.Item
    ? { conversationId: out.Item.conversationId as string, messageId: out.Item.messageId as string }
    : undefined;
}

export interface MessageRef {
  conversationId: string;
  messageId: string;
}

/**
 * Claims the one hand-over of a recorded message to the carrier, taken right before the call:
 * a message nobody claimed yet (a crash before the call) or one whose last try failed in a way
 * worth retrying. A message claimed and never confirmed may have gone out (the process died
 * during the call): it is never claimed again, so nothing is sent twice.
 */
export async function claimSend(ref: MessageRef, now: Date): Promise<boolean> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET sendClaimedAt = :now, #status = :queued, statusRank = :rank REMOVE retriable, errorCode',
        // A canceled scheduled message is never sent; a claimed one can no longer be canceled.
        ConditionExpression:
          'attribute_exists(pk) AND #status <> :canceled AND (attribute_not_exists(sendClaimedAt) OR retriable = :true)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':now': now.toISOString(),
          ':queued': 'queued',
          ':rank': statusRank('queued'),
          ':true': true,
          ':canceled': 'canceled',
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The carrier took the message: its SID is kept (status callbacks may have come first and moved the status on already). */
export async function recordHandedOver(ref: MessageRef, sid: string): Promise<void> {
  await documentClient.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: messageKey(ref.conversationId, ref.messageId),
      UpdateExpression: 'SET twilioSid = :sid',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':sid': sid },
    }),
  );
  await documentClient
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...sidKey(sid), ...ref, type: 'twilioSid' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * A new delivery status for a message: from a status callback, or `failed` when the carrier
 * refused it. Only a higher status rank is written, so late or repeated callbacks never move a
 * message backwards; a failure worth retrying (`retriable`) gives way to any later news. The
 * conversation's `lastMessage` follows when it is this message. Answers whether anything changed.
 */
export async function updateDeliveryStatus(
  ref: MessageRef,
  update: { status: MessageStatus; errorCode?: string; twilioSid?: string; retriable?: boolean },
): Promise<'updated' | 'unchanged' | 'unknown'> {
  const rank = statusRank(update.status);
  const sets = ['#status = :status', 'statusRank = :rank'];
  const values: Record<string, unknown> = {
    ':status': update.status,
    ':rank': rank,
    ':outbound': 'outbound',
    ':true': true,
  };
  if (update.errorCode) {
    sets.push('errorCode = :code');
    values[':code'] = update.errorCode;
  }
  if (update.twilioSid) {
    sets.push('twilioSid = if_not_exists(twilioSid, :sid)');
    values[':sid'] = update.twilioSid;
  }
  if (update.retriable) sets.push('retriable = :true');
  const removes = [
    update.errorCode ? '' : 'errorCode',
    update.retriable ? '' : 'retriable',
    update.retriable ? 'sendClaimedAt' : '',
  ].filter(Boolean);
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression:
          'attribute_exists(pk) AND direction = :outbound AND (attribute_not_exists(statusRank) OR statusRank < :rank OR retriable = :true)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await getMessage(ref.conversationId, ref.messageId)) ? 'unchanged' : 'unknown';
  }
  await followOnInbox(ref, update.status, rank, update.errorCode);
  return 'updated';
}

/** The inbox item shows the newest message's delivery state: updated only when it is this message, never backwards. */
async function followOnInbox(
  ref: MessageRef,
  status: MessageStatus,
  rank: number,
  errorCode: string | undefined,
): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: convKey(ref.conversationId),
        UpdateExpression: `SET lastMessage.#status = :status, lastMessage.statusRank = :rank${errorCode ? ', lastMessage.errorCode = :code' : ' REMOVE lastMessage.errorCode'}`,
        ConditionExpression:
          'lastMessage.messageId = :mid AND (attribute_not_exists(lastMessage.statusRank) OR lastMessage.statusRank < :rank OR lastMessage.#status = :failed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': status,
          ':rank': rank,
          ':mid': ref.messageId,
          ':failed': 'failed',
          ...(errorCode ? { ':code': errorCode } : {}),
        },
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

/**
 * The audit record of an inbound webhook accepted and queued: written before the 200 goes back to
 * Twilio, so every accepted MessageSid is on record even before the worker applies it.
 */
export async function recordInboundAccepted(input: { sid: string; storeId: string; receivedAt: Date }): Promise<void> {
  await documentClient
    .send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...inboundKey(input.sid),
          messageSid: input.sid,
          storeId: input.storeId,
          receivedAt: input.receivedAt.toISOString(),
          type: 'inboundAccepted',
          ttl: epoch(input.receivedAt) + INBOUND_AUDIT_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error; // Twilio delivered it again: the first record stands.
    });
}

// ── scheduled messages ─────────────────────────────────────────────────────────────────────

/** A scheduled message due for release, as the due index holds it. */
export interface DueMessage extends MessageRef {
  scheduledFor: string;
  sendKind: SendKind;
}

/** Every message whose release time is at or before `now`: reads only the due slice of each shard. */
export async function* dueMessages(now: Date, pageSize = 100): AsyncGenerator<DueMessage[]> {
  const pages = duePages({
    index: 'gsi3',
    shards: DUE_SHARDS,
    shardKey: duePk,
    sortKeyCondition: 'gsi3sk <= :bound',
    values: { ':bound': `${now.toISOString()}#\uffff` },
    pageSize,
  });
  for await (const items of pages) {
    yield items.map((i) => ({
      conversationId: i.conversationId as string,
      messageId: i.messageId as string,
      scheduledFor: i.scheduledFor as string,
      sendKind: (i.sendKind as SendKind | undefined) ?? 'message',
    }));
  }
}

/** Takes a message out of the due index: it was sent, refused for good, or ended at release. */
export async function clearDue(ref: MessageRef): Promise<void> {
  await documentClient
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    )
    .catch((error: unknown) => {
      if (!isConditionFailure(error)) throw error;
    });
}

/**
 * Cancels a message that is still `scheduled` (not yet claimed for sending): `canceled`, out of
 * the due index (again: `canceled`). `sent` when it was released first (nothing can be taken
 * back), `unknown` when there is no such message.
 */
export async function cancelScheduled(ref: MessageRef): Promise<'canceled' | 'sent' | 'unknown'> {
  const rank = statusRank('canceled');
  let canceled: Item | undefined;
  try {
    ({ Attributes: canceled } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET #status = :canceled, statusRank = :rank REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk) AND #status = :scheduled AND attribute_not_exists(sendClaimedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':canceled': 'canceled', ':scheduled': 'scheduled', ':rank': rank },
        ReturnValues: 'ALL_NEW',
      }),
    ));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const message = await getMessage(ref.conversationId, ref.messageId);
    // Canceling twice is the same cancel; anything else means it was released first.
    return !message ? 'unknown' : message.status === 'canceled' ? 'canceled' : 'sent';
  }
  await followOnInbox(ref, 'canceled', rank, undefined);
  // A canceled opt-in request was never sent: the conversation's one request of the day is free again.
  if (canceled?.sendKind === 'opt-in-request')
    await releaseOptInRequest(ref.conversationId, new Date(canceled.createdAt as string));
  return 'canceled';
}
