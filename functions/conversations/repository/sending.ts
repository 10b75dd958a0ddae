/**
 * The sender's writes on a recorded outbound message (docs/delivery-guarantees.md, "Sending"):
 * a number's pace, the claim right before the Twilio call, the SID Twilio gives it, a retry
 * booked for later, and the outbox entry (the due index) that the scheduled-sender sweeps.
 * Keys: ./keys.ts.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients';
import { isConditionFailure, RETRY, withContentionRetry, writeIfUnchanged } from '../../shared/dynamo/conditions';
import type { MessageRef } from '../model';
import type { SendKind } from '../rules';
import { pace, type SendPriority } from '../sending-rules';
import { statusRank } from '../delivery-rules';
import { followOnInbox, updateDeliveryStatus } from './delivery';
import { dueSk, messageKey, paceKey, sidKey } from './keys';
import { tableName, type Item } from '../../shared/dynamo/table';

/** What the sender needs of a message it claimed: the text, the media, where it goes, what kind of send it is. */
export interface ClaimedMessage {
  text: string;
  /** A template send: its Content SID and variables (channels/, carrierRequest). */
  content?: { contentSid: string; variables: Record<string, string> };
  mediaKeys: string[];
  to: string;
  from: string;
  sendKind: SendKind;
  sentBy?: string;
  /** Who sent it when that is not `sentBy`: a receipt goes in the sharer's name, sent by the system. */
  actingUserId?: string;
  createdAt: string;
  /** The conversation's store and customer (absent on messages recorded before the outbox carried them). */
  storeId?: string;
  customerId?: string;
  /** The code of the last try that Twilio did not take, and when the first try was. */
  lastErrorCode?: string;
  firstAttemptAt?: string;
}

/** A message's hand-over state, as the outbox sweep reads it. */
export interface OutboundState extends MessageRef {
  status: string;
  twilioSid?: string;
  sendClaimedAt?: string;
  retriable: boolean;
  from?: string;
  priority: SendPriority;
  firstAttemptAt?: string;
  sendKind: SendKind;
  /** What was (or is to be) sent: an expired claim is looked up at the carrier by it. */
  message: ClaimedMessage;
}

/** The old item a refused condition returns (ReturnValuesOnConditionCheckFailure), in the wire format. */
const oldNumber = (error: unknown, field: string): number | undefined => {
  const raw = (error as { Item?: Record<string, { N?: string } | number> }).Item?.[field];
  if (typeof raw === 'number') return raw;
  return raw?.N === undefined ? undefined : Number(raw.N);
};

/**
 * Books the sending number's next slot (sending-rules.ts, pace): one conditional write when the
 * number is idle, two when it is busy. Answers the slot's time, or how long to wait on the queue.
 */
export async function bookSlot(input: {
  from: string;
  now: number;
  intervalMs: number;
  priority: SendPriority;
}): Promise<{ slotAt: number } | { waitMs: number }> {
  let seen: number | undefined = input.now;
  return withContentionRetry(async () => {
    const decision = pace({ ...input, nextSlotAt: seen });
    if ('waitMs' in decision) return decision;
    try {
      await documentClient.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: paceKey(input.from),
          UpdateExpression: 'SET nextSlotAt = :next',
          // The first try assumes an idle number; a later one, the value it saw.
          ConditionExpression:
            seen === input.now ? 'attribute_not_exists(nextSlotAt) OR nextSlotAt <= :seen' : 'nextSlotAt = :seen',
          ExpressionAttributeValues: { ':next': decision.book.nextSlotAt, ':seen': seen },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { slotAt: decision.book.slotAt };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      seen = oldNumber(error, 'nextSlotAt') ?? input.now;
      return RETRY;
    }
  });
}

/**
 * Claims the one hand-over of a queued message, right before the Twilio call: a message nobody
 * claimed yet, or one whose last try failed in a way worth retrying, and never one Twilio has
 * reported taking (a SID from a callback). A claim never confirmed may have gone out: only the
 * outbox sweep settles it, from Twilio's list (release-due.ts). Answers what to send, or undefined when another
 * delivery of the job has it, or it was settled meanwhile (canceled, erased, sent).
 */
export async function claimSend(ref: MessageRef, now: Date): Promise<ClaimedMessage | undefined> {
  let item: Item | undefined;
  const claimed = await writeIfUnchanged(async () => {
    ({ Attributes: item } = await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET sendClaimedAt = :now REMOVE retriable',
        ConditionExpression:
          '#status = :queued AND attribute_not_exists(twilioSid) AND (attribute_not_exists(sendClaimedAt) OR retriable = :true)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': now.toISOString(), ':queued': 'queued', ':true': true },
        ReturnValues: 'ALL_NEW',
      }),
    ));
  });
  if (!claimed || !item) return undefined;
  return claimedMessageOf(item);
}

/** What the sender sends, as the message item holds it. */
function claimedMessageOf(item: Item): ClaimedMessage {
  return {
    text: item.text as string,
    ...(item.content ? { content: item.content as NonNullable<ClaimedMessage['content']> } : {}),
    mediaKeys: ((item.media as Array<{ mediaKey: string }> | undefined) ?? []).map((m) => m.mediaKey),
    to: item.carrierTo as string,
    from: item.carrierFrom as string,
    sendKind: (item.sendKind as SendKind | undefined) ?? 'message',
    ...(item.sentBy ? { sentBy: item.sentBy as string } : {}),
    ...(item.actingUserId ? { actingUserId: item.actingUserId as string } : {}),
    createdAt: item.createdAt as string,
    ...(item.storeId ? { storeId: item.storeId as string } : {}),
    ...(item.customerId ? { customerId: item.customerId as string } : {}),
    ...(item.lastErrorCode ? { lastErrorCode: item.lastErrorCode as string } : {}),
    ...(item.firstAttemptAt ? { firstAttemptAt: item.firstAttemptAt as string } : {}),
  };
}

/**
 * Twilio took the message: its SID on the message (a status callback may have set it first) and
 * the SID's lookup item, and the message leaves the outbox, in one write.
 */
export async function recordHandedOver(ref: MessageRef, sid: string): Promise<void> {
  await documentClient.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: tableName(),
            Key: messageKey(ref.conversationId, ref.messageId),
            UpdateExpression: 'SET twilioSid = if_not_exists(twilioSid, :sid) REMOVE gsi3pk, gsi3sk, retriable',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':sid': sid },
          },
        },
        { Put: { TableName: tableName(), Item: { ...sidKey(sid), ...ref, type: 'twilioSid' } } },
      ],
    }),
  );
}

/**
 * Twilio did not take it for now (throttled, 5xx, no answer): the message stays `queued`, may be
 * claimed again, remembers the code and the first try's time, and its outbox entry moves to
 * after the retry, so the sweep leaves it to the delayed job. False when it was settled meanwhile.
 */
export async function recordRetrying(
  ref: MessageRef,
  input: { errorCode: string; firstAttemptAt: string; dueAt: Date },
): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression:
          'SET retriable = :true, lastErrorCode = :code, firstAttemptAt = if_not_exists(firstAttemptAt, :first), gsi3sk = :due REMOVE sendClaimedAt',
        ConditionExpression: 'attribute_exists(gsi3pk) AND attribute_not_exists(twilioSid)',
        ExpressionAttributeValues: {
          ':true': true,
          ':code': input.errorCode,
          ':first': input.firstAttemptAt,
          ':due': dueSk(input.dueAt.toISOString(), ref.conversationId, ref.messageId),
        },
      }),
    ),
  );
}

/** The message will not go: `failed` with the code (shown on the message, the inbox item, and as an event), out of the outbox. */
export async function recordSendFailed(ref: MessageRef, errorCode: string): Promise<void> {
  await updateDeliveryStatus(ref, { status: 'failed', errorCode });
  await leaveOutbox(ref);
}

/** Takes a message out of the due index (sent, refused for good, ended at release, or gone). */
export async function leaveOutbox(ref: MessageRef): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
        ConditionExpression: 'attribute_exists(pk)',
      }),
    ),
  );
}

/** The sweep handed the message to the queue again (or is waiting for a claim to expire): its outbox entry moves to `dueAt`. */
export async function deferOutbox(ref: MessageRef, dueAt: Date): Promise<void> {
  await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET gsi3sk = :due',
        ConditionExpression: 'attribute_exists(gsi3pk)',
        ExpressionAttributeValues: { ':due': dueSk(dueAt.toISOString(), ref.conversationId, ref.messageId) },
      }),
    ),
  );
}

/**
 * A scheduled message whose time has come becomes `queued` for the bulk queue, its outbox entry
 * at `dueAt`; false when it is no longer scheduled (canceled, or released by an overlapping run).
 */
export async function releaseScheduled(
  ref: MessageRef,
  dueAt: Date,
  from: 'scheduled' | 'held' = 'scheduled',
): Promise<boolean> {
  const rank = statusRank('queued');
  const released = await writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET #status = :queued, statusRank = :rank, priority = :priority, gsi3sk = :due',
        ConditionExpression: '#status = :from AND attribute_exists(gsi3pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':queued': 'queued',
          ':from': from,
          ':rank': rank,
          // Held text goes the moment the customer answers: someone is waiting for it.
          ':priority': from === 'held' ? 'interactive' : 'bulk',
          ':due': dueSk(dueAt.toISOString(), ref.conversationId, ref.messageId),
        },
      }),
    ),
  );
  if (released) await followOnInbox(ref, 'queued', rank, undefined);
  return released;
}

/** The hand-over state of a message (consistent read), or undefined when it is gone. */
export async function outboundState(ref: MessageRef): Promise<OutboundState | undefined> {
  const { Item: item } = await documentClient.send(
    new GetCommand({
      TableName: tableName(),
      Key: messageKey(ref.conversationId, ref.messageId),
      ConsistentRead: true,
    }),
  );
  if (!item) return undefined;
  return {
    ...ref,
    status: item.status as string,
    retriable: item.retriable === true,
    priority: item.priority === 'bulk' ? 'bulk' : 'interactive',
    sendKind: (item.sendKind as SendKind | undefined) ?? 'message',
    ...(item.twilioSid ? { twilioSid: item.twilioSid as string } : {}),
    ...(item.sendClaimedAt ? { sendClaimedAt: item.sendClaimedAt as string } : {}),
    ...(item.carrierFrom ? { from: item.carrierFrom as string } : {}),
    ...(item.firstAttemptAt ? { firstAttemptAt: item.firstAttemptAt as string } : {}),
    message: claimedMessageOf(item),
  };
}

/**
 * An expired claim the carrier never took (its message list shows no such message): the claim is
 * dropped, so the job the sweep queues again can claim it, provided it is still that claim. False
 * when it was settled or claimed again meanwhile.
 */
export async function releaseExpiredClaim(ref: MessageRef, claimedAt: string, dueAt: Date): Promise<boolean> {
  return writeIfUnchanged(() =>
    documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: messageKey(ref.conversationId, ref.messageId),
        UpdateExpression: 'SET gsi3sk = :due REMOVE sendClaimedAt',
        ConditionExpression:
          'sendClaimedAt = :claimedAt AND attribute_not_exists(twilioSid) AND attribute_exists(gsi3pk)',
        ExpressionAttributeValues: {
          ':claimedAt': claimedAt,
          ':due': dueSk(dueAt.toISOString(), ref.conversationId, ref.messageId),
        },
      }),
    ),
  );
}
