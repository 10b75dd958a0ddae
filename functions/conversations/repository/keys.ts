/**
 * The conversations capability's key layout in the single table (docs/data-model.md). Every key
 * of this capability is built here and nowhere else; tests build keys through these too.
 *
 *   CONVPAIR#<store>#<customer> / CONVPAIR          -> conversationId (one conversation per store and customer)
 *   CONV#<id>  / CONV                               the conversation: optIn, inboundCount, lastActivityAt, lastMessage;
 *                                                   gsi1 CONVSTORE#<store>#<ACTIVE|ARCHIVED> / <lastActivityAt>#<id> (Store Inbox)
 *                                                   gsi3 CONVACT#<shard> / <lastActivityAt>#<id> while active (archive sweep)
 *                                                   gsi2 CONVMINE#<store>#<assignee>#<ACTIVE|ARCHIVED> / <lastActivityAt>#<id>
 *                                                   while assigned (My Inbox: one assignee, so one entry, paged with Limit);
 *                                                   while unassigned with a customer waiting (`waitingSince`), instead
 *                                                   gsi2 CONVWAIT#<store>#<ACTIVE|ARCHIVED> / <waitingSince>#<id> (the unassigned queue)
 *   CONV#<id>  / MSG#<messageId>                    a message; messageIds sort by time, so newest first = a reverse query;
 *                                                   while `scheduled`, gsi3 MSGDUE#<shard> / <scheduledFor>#<id>#<messageId> (due index);
 *                                                   while `queued` and not yet handed to Twilio, the same index at <dueAt>
 *                                                   (the outbox: put on the sender queue again when the queue lost track)
 *   SENDPACE#<number> / SENDPACE                    a sending number's pace: nextSlotAt (the sender's per-number rate)
 *   CONV#<id>  / READER#<userId>                    the user's read marker (readInbound, bucket)
 *   CONSENT#<customer> / <at>#<uuid>                the consent ledger: every opt-in change of the customer at any store
 *                                                   (state, source, keyword, MessageSid or user, time); appended, never updated
 *   CUSTCONV#<customer> / STORE#<store>             -> conversationId: the customer's conversations (edits and erasure)
 *   SUPPRESS#<hmac of phone> / SUPPRESS             an erased customer's number that had opted out: stays opted out
 *   CONV#<id>  / IDEMPOTENCY#<userId>#<key>         an Idempotency-Key of a send -> messageId and the body's hash
 *   TWSID#<sid> / TWSID                             -> message (the same Twilio MessageSid stored once)
 *   INBOUND#<sid> / INBOUND                         an inbound webhook accepted and queued (audit, 30 days)
 *   INBOXTOTAL#<store> / STORE#<bucket>#<shard>     Σ inbound messages of the store's conversations in that bucket,
 *                                                   in 8 shards by conversation: a busy store's messages do not all
 *                                                   write one item (transactions on one item serialize)
 *   INBOXTOTAL#<store> / STOREREAD#<user>#<bucket>  Σ of the user's read markers over the same conversations
 *   WATEMPLATE / TEMPLATE#<templateId>              a WhatsApp template: contentSid, name, language, category, purpose,
 *                                                   text, variables, status (Twilio's approval), statusCheckedAt;
 *                                                   one partition: a deployment has tens of templates, read as one list
 *
 * No write grows with a conversation: a message is a fixed set of items (message, conversation,
 * SID, store sum, and an opt-in entry or idempotency key when there is one). Per-user unread is
 * computed when read: the conversation's inboundCount minus the user's marker; Store Inbox totals
 * are the two sums above; My Inbox's total is summed over the caller's most active assigned
 * conversations (at most MINE_TOTAL_WINDOW of them: one query and one batch read, whatever the history).
 */
import { randomBytes, createHash } from 'node:crypto';

export type Bucket = 'ACTIVE' | 'ARCHIVED';
export const bucketOf = (archived: boolean): Bucket => (archived ? 'ARCHIVED' : 'ACTIVE');

export const CONVERSATION_PREFIX = 'CONV#';
export const convKey = (id: string) => ({ pk: `${CONVERSATION_PREFIX}${id}`, sk: CONVERSATION_SK });
export const pairKey = (storeId: string, customerId: string) => ({
  pk: `CONVPAIR#${storeId}#${customerId}`,
  sk: 'CONVPAIR',
});
export const readerKey = (id: string, userId: string) => ({ pk: `CONV#${id}`, sk: `READER#${userId}` });
export const messageKey = (id: string, messageId: string) => ({ pk: `CONV#${id}`, sk: `MSG#${messageId}` });
export const MESSAGE_PREFIX = 'MSG#';
/** The sort key of a conversation item. */
export const CONVERSATION_SK = 'CONV';
/** The conversation id of a `CONV#<id>` partition key (a stream image's), or undefined for any other key. */
export const conversationIdOf = (pk: string): string | undefined => /^CONV#(.+)$/.exec(pk)?.[1];
export const READER_PREFIX = 'READER#';
export const consentPk = (customerId: string) => `CONSENT#${customerId}`;
export const consentKey = (customerId: string, at: string, unique: string) => ({
  pk: consentPk(customerId),
  sk: `${at}#${unique}`,
});
export const customerConversationKey = (customerId: string, storeId: string) => ({
  pk: `CUSTCONV#${customerId}`,
  sk: `STORE#${storeId}`,
});
export const customerConversationsPk = (customerId: string) => `CUSTCONV#${customerId}`;
export const suppressionKey = (phoneHash: string) => ({ pk: `SUPPRESS#${phoneHash}`, sk: 'SUPPRESS' });
export const idempotencyKey = (id: string, userId: string, key: string) => ({
  pk: `CONV#${id}`,
  sk: `IDEMPOTENCY#${userId}#${key}`,
});
export const sidKey = (sid: string) => ({ pk: `TWSID#${sid}`, sk: 'TWSID' });
export const inboundKey = (sid: string) => ({ pk: `INBOUND#${sid}`, sk: 'INBOUND' });
export const storeTotalKey = (storeId: string, bucket: Bucket, shard: number) => ({
  pk: `INBOXTOTAL#${storeId}`,
  sk: `STORE#${bucket}#${shard}`,
});
export const storeReadKey = (storeId: string, userId: string, bucket: Bucket) => ({
  pk: `INBOXTOTAL#${storeId}`,
  sk: `STOREREAD#${userId}#${bucket}`,
});

/** The WhatsApp templates' partition (the whole deployment's, a few dozen items). */
export const WHATSAPP_TEMPLATES_PK = 'WATEMPLATE';
export const WHATSAPP_TEMPLATE_PREFIX = 'TEMPLATE#';
export const whatsAppTemplateKey = (templateId: string) => ({
  pk: WHATSAPP_TEMPLATES_PK,
  sk: `${WHATSAPP_TEMPLATE_PREFIX}${templateId}`,
});

export const paceKey = (from: string) => ({ pk: `SENDPACE#${from}`, sk: 'SENDPACE' });

export const duePk = (shard: number) => `MSGDUE#${shard}`;
export const dueSk = (scheduledFor: string, id: string, messageId: string) => `${scheduledFor}#${id}#${messageId}`;

export const storeInboxPk = (storeId: string, bucket: Bucket) => `CONVSTORE#${storeId}#${bucket}`;
export const assigneeInboxPk = (storeId: string, userId: string, bucket: Bucket) =>
  `CONVMINE#${storeId}#${userId}#${bucket}`;
/** The unassigned queue: a store's unassigned conversations whose customer waits for an answer, by when they started waiting. */
export const waitingInboxPk = (storeId: string, bucket: Bucket) => `CONVWAIT#${storeId}#${bucket}`;
export const waitingSk = (waitingSince: string, id: string) => `${waitingSince}#${id}`;
export const activityPk = (shard: number) => `CONVACT#${shard}`;
export const activitySk = (lastActivityAt: string, id: string) => `${lastActivityAt}#${id}`;

/** Sortable message ids: time first (fixed width), then randomness. */
export function newMessageId(now: Date): string {
  return `${now.getTime().toString(36).padStart(10, '0')}${randomBytes(6).toString('hex')}`;
}

/**
 * A message id that the same `seed` always gives (e.g. a payment's chat note): a redelivery
 * writes the same item again, which its condition refuses, so the entry exists once.
 */
export function derivedMessageId(at: Date, seed: string): string {
  return `${at.getTime().toString(36).padStart(10, '0')}${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
}
