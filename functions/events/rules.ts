/**
 * Live events from committed changes: one table change (a stream record's images) becomes zero or
 * more events `{id, type, time, storeId, data}`. Pure: no AWS SDK, no I/O (conversation keys are
 * read with the conversations capability's own key layout). The publisher
 * (publisher.handler.ts) feeds it unmarshalled stream records and sends what comes out.
 *
 * An event's id is derived from the stream record's eventID and the type, so a redelivered
 * record (the stream is at-least-once) yields the same id and clients can drop the repeat.
 */
import { CHANNEL_NAMES, channelOf } from '../conversations/channels';
import { createHash } from 'node:crypto';
import { CAMPAIGN_SK, campaignIdOf } from '../campaigns/repository/keys';
import { PAYMENT_SK, paymentIdOf } from '../carts/repository/keys';
import { CONVERSATION_SK, conversationIdOf, MESSAGE_PREFIX } from '../conversations/repository/keys';
import { CUSTOMER_SK, customerIdOf } from '../stores/repository/keys';
import { TASK_SK, taskIdOf } from '../tasks/repository/keys';
import type { ChangeRecord, ConversationFacts, EventType, LiveEvent } from './model';

type Item = Readonly<Record<string, unknown>>;

/** A campaign status after which the campaign never changes again. */
const FINAL_CAMPAIGN_STATUSES: readonly string[] = ['SUCCESSFUL', 'PARTIALLY_SUCCESSFUL', 'FAILED'];

/**
 * The only items whose changes can make an event, by sort key: the event source's filter on AWS
 * and the local stream poller both drop every other record (outreach entries, carts, sums...),
 * so a million-row import does not invoke the publisher a million times for nothing.
 */
export const EVENT_SOURCE_KEYS = {
  filters: [
    {
      sortKeys: [CONVERSATION_SK, PAYMENT_SK, CAMPAIGN_SK, TASK_SK],
      sortKeyPrefixes: [MESSAGE_PREFIX],
      eventNames: ['INSERT', 'MODIFY'],
    },
    // Only erasure deletes a customer item.
    { sortKeys: [CUSTOMER_SK], sortKeyPrefixes: [], eventNames: ['REMOVE'] },
  ],
} as const;

/** The filters above (any of them), as the local poller applies them to a record's kind and sort key. */
export function passesSourceFilter(kind: string | undefined, sortKey: string | undefined): boolean {
  if (!kind || sortKey === undefined) return false;
  return EVENT_SOURCE_KEYS.filters.some(
    (f) =>
      (f.eventNames as readonly string[]).includes(kind) &&
      ((f.sortKeys as readonly string[]).includes(sortKey) ||
        (f.sortKeyPrefixes as readonly string[]).some((prefix) => sortKey.startsWith(prefix))),
  );
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

export function eventId(recordEventId: string, type: EventType): string {
  return createHash('sha256').update(`${recordEventId}|${type}`).digest('hex').slice(0, 32);
}

function isMessage(image: Item | undefined): boolean {
  return (
    image !== undefined &&
    conversationIdOf(String(image.pk)) !== undefined &&
    String(image.sk).startsWith(MESSAGE_PREFIX)
  );
}

/**
 * The conversation a record's events must be completed with, when it is a message change that
 * makes an event; undefined for every other record (nothing to look up).
 */
export function conversationNeeded(record: ChangeRecord): string | undefined {
  const image = record.newImage;
  if (!isMessage(image)) return undefined;
  if (messageReceived(record) || messageStatusChanged(record)) return conversationIdOf(String(image!.pk));
  return undefined;
}

const messageReceived = (r: ChangeRecord) => r.kind === 'INSERT' && r.newImage?.direction === 'inbound';
/** An outbound message's status moved (a carrier answer, a status callback, a retried send). Its first status is no change. */
const messageStatusChanged = (r: ChangeRecord) =>
  r.kind === 'MODIFY' &&
  r.newImage?.direction === 'outbound' &&
  str(r.newImage.status) !== undefined &&
  r.oldImage?.status !== r.newImage.status;

/**
 * The events of one committed change. `conversation` completes message events (see
 * conversationNeeded); without it a message change makes none, as a message whose conversation
 * is gone has no store to tell.
 */
export function eventsOf(record: ChangeRecord, conversation?: ConversationFacts): LiveEvent[] {
  // Only erasure deletes a customer item, and it deletes it last: the customer is erased.
  if (record.kind === 'REMOVE') {
    const gone = record.oldImage;
    const customerId = gone && customerIdOf({ pk: String(gone.pk), sk: String(gone.sk) });
    if (customerId === undefined) return [];
    return [
      {
        id: eventId(record.eventId, 'customer.erased'),
        type: 'customer.erased',
        time: record.at,
        storeId: null,
        data: { customerId },
      },
    ];
  }
  const next = record.newImage;
  if (!next) return [];
  const prev = record.oldImage;
  const pk = String(next.pk);
  const sk = String(next.sk);
  const make = (type: EventType, storeId: string | null, data: Record<string, unknown>): LiveEvent => ({
    id: eventId(record.eventId, type),
    type,
    time: record.at,
    storeId,
    data,
  });

  if (isMessage(next)) {
    if (!conversation) return [];
    const conversationId = conversationIdOf(pk)!;
    const messageId = str(next.messageId) ?? sk.slice(MESSAGE_PREFIX.length);
    if (messageReceived(record))
      return [
        make('message.received', conversation.storeId, {
          conversationId,
          messageId,
          customerId: conversation.customerId,
        }),
      ];
    if (messageStatusChanged(record)) {
      const errorCode = str(next.errorCode);
      return [
        make('message.status', conversation.storeId, {
          conversationId,
          messageId,
          status: next.status,
          ...(errorCode ? { errorCode } : {}),
        }),
      ];
    }
    return [];
  }

  const conversationId = conversationIdOf(pk);
  if (conversationId !== undefined && sk === CONVERSATION_SK) {
    const storeId = str(next.storeId);
    if (!storeId) return [];
    const events: LiveEvent[] = [];
    // Each channel's consent on its own attribute (conversations/channels); a conversation starts at NONE on every channel.
    for (const channel of CHANNEL_NAMES) {
      const attribute = channelOf(channel).attributes.optIn;
      const optIn = str(next[attribute]);
      if (optIn && optIn !== (str(prev?.[attribute]) ?? 'NONE'))
        events.push(make('optin.changed', storeId, { conversationId, customerId: next.customerId, optIn, channel }));
    }
    const assignee = str(next.assignee) ?? null;
    const previous = str(prev?.assignee) ?? null;
    if (assignee !== previous)
      events.push(make('conversation.assigned', storeId, { conversationId, assignee, previous }));
    return events;
  }

  // COMPLETED, not the first write (SETTLING): by then the cart is cleared and the receipt is on its way.
  const paymentId = sk === PAYMENT_SK ? paymentIdOf(pk) : undefined;
  if (paymentId !== undefined) {
    if (next.status !== 'COMPLETED' || prev?.status === 'COMPLETED') return [];
    const storeId = str(next.storeId);
    if (!storeId) return [];
    return [
      make('payment.completed', storeId, {
        conversationId: next.conversationId,
        paymentId: str(next.paymentId) ?? paymentId,
        amount: next.amount,
        currency: next.currency,
      }),
    ];
  }

  // The reminder's write (functions/tasks/remind-due.ts) sets remindedAt: once per due time.
  const taskId = taskIdOf({ pk, sk });
  if (taskId !== undefined) {
    const remindedAt = str(next.remindedAt);
    const storeId = str(next.storeId);
    if (!remindedAt || remindedAt === str(prev?.remindedAt) || !storeId) return [];
    const assignee = str(next.assignee);
    const conversationId = str(next.conversationId);
    return [
      {
        ...make('task.due', storeId, {
          taskId,
          ...(conversationId ? { conversationId } : {}),
          title: next.title,
          dueAt: next.dueAt,
        }),
        ...(assignee ? { userId: assignee } : {}),
      },
    ];
  }

  const campaignId = campaignIdOf({ pk, sk });
  if (campaignId !== undefined) {
    const status = str(next.status);
    if (!status || !FINAL_CAMPAIGN_STATUSES.includes(status) || prev?.status === status) return [];
    return [make('campaign.finished', null, { campaignId: str(next.campaignId) ?? campaignId, status })];
  }
  return [];
}

/**
 * API Gateway takes WebSocket messages up to 128 KB: a frame's JSON stays under this, so a batch
 * (100 records at most, a few hundred bytes an event) is one frame in practice.
 */
export const MAX_FRAME_BYTES = 120 * 1024;

/**
 * The frames one connection is sent for a batch (docs/live-events.md, "Frames"): its events as one
 * JSON array, always an array, even of one event; split in order only when the array would exceed
 * `maxBytes` (an event on its own is never split).
 */
export function framesOf(events: readonly LiveEvent[], maxBytes = MAX_FRAME_BYTES): string[] {
  const frames: string[] = [];
  let parts: string[] = [];
  let bytes = 2; // the brackets
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = Buffer.byteLength(json) + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && bytes + size > maxBytes) {
      frames.push(`[${parts.join(',')}]`);
      parts = [];
      bytes = 2;
    }
    bytes += Buffer.byteLength(json) + (parts.length > 0 ? 1 : 0);
    parts.push(json);
  }
  if (parts.length > 0) frames.push(`[${parts.join(',')}]`);
  return frames;
}
