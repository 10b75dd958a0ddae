/**
 * Message items: storing a message with its effect on the conversation in one constant-size
 * transaction, Idempotency-Keys, reading messages, and the audit record of an accepted inbound
 * webhook. What happens after the carrier took a message: ./delivery.ts; scheduled messages:
 * ./scheduled.ts. Keys: ./keys.ts. What a message does to its conversation: ../record-rules.ts.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { queryPage } from '../../shared/dynamo/batches';
import { RETRY, withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { Page } from '../../shared/pagination';
import { expiry, putIfAbsent, tableName, type Item } from '../../shared/dynamo/table';
import { transactNamed, type NamedItems } from '../../shared/dynamo/transactions';
import type { Conversation, Message, MessageRef, OptInChange } from '../model';
import { recordEffect, type RecordEffect, type RecordOptions } from '../record-rules';
import { activityShard, DUE_SHARDS, type SendKind } from '../rules';
import type { SendPriority } from '../sending-rules';
import { statusRank } from '../delivery-rules';
import { moveBucket } from './archive';
import { getConversation } from './conversations';
import { ledgerPut } from './consent';
import {
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
import { addTo } from './table';

const MESSAGE_FIELDS = [
  'messageId',
  'conversationId',
  'direction',
  'kind',
  'channel',
  'text',
  'content',
  'media',
  'sentBy',
  'twilioSid',
  'status',
  'errorCode',
  'scheduledFor',
  'createdAt',
] as const;
/** A stored message as read: one stored before WhatsApp travelled by SMS. */
function toMessage(item: Item): Message {
  const message = Object.fromEntries(
    MESSAGE_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as unknown as Message;
  return { ...message, channel: message.channel ?? 'sms' };
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
  const waiting = message.status === 'scheduled' || message.status === 'held';
  const dueAt = waiting && message.scheduledFor ? message.scheduledFor : outbox.dueAt;
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

/** What recordMessage is told besides the message (record-rules.ts RecordOptions: opt-in event, assignee). */
export interface RecordMessageOptions extends RecordOptions {
  idempotency?: IdempotencyClaim;
  now?: Date;
  /** The conversation as the caller just read it: the first attempt starts from it instead of reading again. */
  current?: Conversation;
  /** An outbound send: what kind it is, so its release and hand-over apply the same rules. */
  sendKind?: SendKind;
  /** An outbound send: where it goes, and when the outbox sweep looks at it (./sending.ts). */
  outbox?: Outbox;
}

/** The message item, with its outbox fields when it is a send. */
function messageItem(conversation: Conversation, message: Message, options: RecordMessageOptions): Item {
  const { conversationId } = conversation;
  return {
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
  };
}

/**
 * The transaction of one message, by name, in a fixed number of items: the message (written once),
 * the conversation's update (record-rules.ts), the Twilio SID (stored once), +1 on the store's
 * inbound sum, the opt-in history entry, and the Idempotency-Key when the send carries one.
 */
function recordItems(
  conversation: Conversation,
  message: Message,
  effect: RecordEffect,
  options: RecordMessageOptions,
) {
  const { conversationId, storeId } = conversation;
  const inbound = message.direction === 'inbound';
  const { update, optInChange } = effect;
  const claim = options.idempotency;
  return {
    message: putIfAbsent(messageItem(conversation, message, options)),
    conversation: update && {
      Update: {
        TableName: tableName(),
        Key: convKey(conversationId),
        UpdateExpression: update.updateExpression,
        ConditionExpression: update.conditionExpression,
        ExpressionAttributeValues: update.values,
      },
    },
    sid: message.twilioSid
      ? putIfAbsent({ ...sidKey(message.twilioSid), conversationId, messageId: message.messageId, type: 'twilioSid' })
      : undefined,
    storeTotal: inbound
      ? addTo(storeTotalKey(storeId, bucketOf(false), activityShard(conversationId)), { inbound: 1 })
      : undefined,
    ledger: optInChange && ledgerPut(conversation, optInChange),
    idempotency:
      claim &&
      putIfAbsent({
        ...idempotencyKey(conversationId, claim.userId, claim.key),
        messageId: message.messageId,
        bodyHash: claim.bodyHash,
        type: 'idempotencyKey',
        ...expiry(options.now ?? new Date(), IDEMPOTENCY_TTL_SECONDS),
      }),
  } satisfies NamedItems<string>;
}

/**
 * Stores a message and applies it to its conversation, atomically (recordItems; the rules:
 * record-rules.ts). An archived conversation is first brought back to the active view. A
 * cancellation is read by item: the Idempotency-Key used before (`idempotent-replay`), the SID
 * stored before (`duplicate-sid`), the message stored before (an earlier attempt of this very
 * write went through), the conversation changed (read again and retry); contention is retried.
 */
export async function recordMessage(
  conversationId: string,
  message: Message,
  options: RecordMessageOptions = {},
): Promise<RecordOutcome> {
  return withContentionRetry<RecordOutcome>(async (attempt) => {
    const conversation = attempt === 0 && options.current ? options.current : await getConversation(conversationId);
    if (!conversation) throw new Error(`Conversation ${conversationId} does not exist`);
    if (conversation.archived) {
      await moveBucket(conversation, 'ACTIVE');
      return RETRY;
    }
    const effect = recordEffect(conversation, message, options);
    const cancelled = await transactNamed(recordItems(conversation, message, effect, options));
    const optInChange = effect.optInChange ? { optInChange: effect.optInChange } : {};
    if (!cancelled) return { outcome: 'stored', conversation, ...optInChange };
    const claim = options.idempotency;
    if (claim && cancelled.has('idempotency')) {
      const first = await findIdempotentSend(conversationId, claim.userId, claim.key);
      if (first) return { outcome: 'idempotent-replay', ...first };
    }
    if (cancelled.has('sid')) return { outcome: 'duplicate-sid' };
    if (cancelled.has('message')) return { outcome: 'stored', conversation };
    if (cancelled.has('conversation')) return RETRY;
    throw cancelled.error;
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
      new PutCommand(
        putIfAbsent({
          ...inboundKey(input.sid),
          messageSid: input.sid,
          storeId: input.storeId,
          receivedAt: input.receivedAt.toISOString(),
          type: 'inboundAccepted',
          ...expiry(input.receivedAt, INBOUND_AUDIT_TTL_SECONDS),
        }).Put,
      ),
    ),
  ); // Twilio delivered it again: the first record stands.
}
