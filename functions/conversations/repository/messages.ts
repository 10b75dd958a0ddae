/**
 * Message items: storing a message with its effect on the conversation in one constant-size
 * transaction, Idempotency-Keys, reading messages, and the audit record of an accepted inbound
 * webhook. What happens after the carrier took a message: ./delivery.ts; scheduled messages:
 * ./scheduled.ts. Keys: ./keys.ts. (A little over 300 lines: recordMessage is one transaction, read whole.)
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPage } from '../../shared/dynamo/batches';
import { RETRY, withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { cancelledBy } from '../../shared/dynamo/transactions';
import type { Conversation, Message, MessageRef, OptInChange } from '../model';
import { activityShard, DUE_SHARDS, nextOptInState, type OptInEvent, type SendKind } from '../rules';
import type { SendPriority } from '../sending-rules';
import { statusRank } from '../delivery-rules';
import { moveBucket } from './archive';
import { getConversation } from './conversations';
import { ledgerPut } from './consent';
import {
  assigneeInboxPk,
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
import { addTo, epoch, tableName, type Item, type TransactItem } from './table';

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

/** The audit record of an accepted inbound webhook is kept this long. */
const INBOUND_AUDIT_TTL_SECONDS = 30 * 24 * 3600;
/** An Idempotency-Key is remembered this long (the window in which a client retries). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Where a send goes and which sender queue it takes; `dueAt`: when the outbox sweep looks at it if the queue lost it. */
export interface Outbox {
  to: string;
  from: string;
  priority: SendPriority;
  dueAt: string;
  /** Who is sending when that is not `sentBy` (a receipt in the sharer's name): reports count it for them. */
  actingUserId?: string;
}

/**
 * A send's hand-over fields: recipient, number, priority, kind, and its entry in the due index —
 * at `scheduledFor` while scheduled, at the outbox time while queued (docs/data-model.md).
 */
function outboxFields(conversationId: string, message: Message, outbox: Outbox, sendKind: SendKind = 'message') {
  const dueAt = message.status === 'scheduled' && message.scheduledFor ? message.scheduledFor : outbox.dueAt;
  return {
    carrierTo: outbox.to,
    carrierFrom: outbox.from,
    priority: outbox.priority,
    sendKind,
    ...(outbox.actingUserId ? { actingUserId: outbox.actingUserId } : {}),
    gsi3pk: duePk(activityShard(message.messageId) % DUE_SHARDS),
    gsi3sk: dueSk(dueAt, conversationId, message.messageId),
  };
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
    /** An outbound send: what kind it is, so its release and hand-over apply the same rules. */
    sendKind?: SendKind;
    /** An outbound send: where it goes, and when the outbox sweep looks at it (./sending.ts). */
    outbox?: Outbox;
    /** An associate's send: they become the assignee if the conversation has none (./assignment.ts). */
    assignTo?: string;
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
      // gsi2sk too: the My Inbox entry, indexed only while there is an assignee (./assignment.ts).
      sets.push('lastActivityAt = :at', 'gsi1sk = :sk', 'gsi2sk = :sk', 'gsi3sk = :sk', 'lastMessage = :last');
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
    if (options.assignTo && conversation.assignee === null) {
      // The first associate who sends in an unassigned conversation takes it; if someone was
      // assigned meanwhile, if_not_exists keeps them (assignee and gsi2pk are set and cleared together).
      sets.push('assignee = if_not_exists(assignee, :assignee)', 'gsi2pk = if_not_exists(gsi2pk, :g2pk)');
      values[':assignee'] = options.assignTo;
      values[':g2pk'] = assigneeInboxPk(conversation.storeId, options.assignTo, 'ACTIVE');
      if (!newest) {
        sets.push('gsi2sk = if_not_exists(gsi2sk, :g2sk)');
        values[':g2sk'] = activitySk(conversation.lastActivityAt, conversationId);
      }
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
            ...(options.outbox
              ? {
                  ...outboxFields(conversationId, message, options.outbox, options.sendKind),
                  // Whose message it is, for the hand-over's attribution job (no conversation read there).
                  storeId: conversation.storeId,
                  customerId: conversation.customerId,
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

export async function getMessage(conversationId: string, messageId: string): Promise<Message | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: messageKey(conversationId, messageId), ConsistentRead: true }),
  );
  return out.Item ? toMessage(out.Item) : undefined;
}

export async function findMessageBySid(sid: string): Promise<MessageRef | undefined> {
  const out = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: sidKey(sid), ConsistentRead: true }),
  );
  return out.Item
    ? { conversationId: out.Item.conversationId as string, messageId: out.Item.messageId as string }
    : undefined;
}

/**
 * The audit record of an inbound webhook accepted and queued: written before the 200 goes back to
 * Twilio, so every accepted MessageSid is on record even before the worker applies it.
 */
export async function recordInboundAccepted(input: { sid: string; storeId: string; receivedAt: Date }): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
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
    ),
  ); // Twilio delivered it again: the first record stands.
}
