/**
 * What storing a message does to its conversation, pure (no AWS, no I/O): the conversation item's
 * update and the conditions it is written under, and the opt-in change a keyword makes. The
 * repository (repository/messages.ts, recordMessage) writes it in one transaction beside the
 * message (docs/data-model.md, "Conversations").
 */
import { channelOf } from './channels';
import type { Conversation, Message, OptInChange } from './model';
import { nextOptInState, previewOf, waitingAfter, type OptInEvent } from './rules';
import { statusRank } from './delivery-rules';
import { activitySk, assigneeInboxPk, waitingInboxPk, waitingSk } from './repository/keys';

/** What a message brings besides itself: a keyword's opt-in event, and an associate's send's assignee. */
export interface RecordOptions {
  readonly optInEvent?: OptInEvent;
  readonly optInSource?: Omit<OptInChange, 'from' | 'to' | 'at'>;
  /** An associate's send: they become the assignee if the conversation has none. */
  readonly assignTo?: string;
}

/** The conversation item's update: SET and ADD clauses, the conditions that must still hold, their values. */
export interface ConversationUpdate {
  readonly updateExpression: string;
  readonly conditionExpression: string;
  readonly values: Record<string, unknown>;
}

export interface RecordEffect {
  /** The opt-in change `optInEvent` makes (its history entry is written beside it), if any. */
  readonly optInChange?: OptInChange;
  /** The conversation's update; undefined when the message changes nothing on it. */
  readonly update?: ConversationUpdate;
}

/** SET and REMOVE clauses with their values and conditions, filled by the rules below. */
interface Clauses {
  readonly sets: string[];
  readonly removes: string[];
  readonly values: Record<string, unknown>;
  readonly conditions: string[];
}

/** The newest message becomes the conversation's activity and `lastMessage`, unless a newer one got there first. */
function setNewest(c: Clauses, conversation: Conversation, message: Message): void {
  const lastActivityAt =
    message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt;
  c.sets.push('lastActivityAt = :at', 'gsi1sk = :sk', 'gsi3sk = :sk', 'lastMessage = :last');
  c.values[':at'] = lastActivityAt;
  c.values[':sk'] = activitySk(lastActivityAt, conversation.conversationId);
  c.values[':last'] = {
    messageId: message.messageId,
    direction: message.direction,
    text: previewOf(message.text),
    status: message.status,
    statusRank: statusRank(message.status),
    at: message.createdAt,
    channel: message.channel ?? 'sms',
    ...(message.errorCode ? { errorCode: message.errorCode } : {}),
  };
  c.values[':mid'] = message.messageId;
  c.conditions.push('(attribute_not_exists(lastMessage) OR lastMessage.messageId < :mid)');
}

/**
 * The channel's opt-in state moves, provided it is still the one the change started from (an
 * attribute never written reads as NONE: a conversation older than the channel).
 */
function setOptIn(c: Clauses, change: OptInChange): void {
  const attribute = channelOf(change.channel ?? 'sms').attributes.optIn;
  c.sets.push(`${attribute} = :to`, 'optInChangedAt = :changedAt');
  c.values[':to'] = change.to;
  c.values[':from'] = change.from;
  c.values[':changedAt'] = change.at;
  c.conditions.push(optInCondition(attribute, change.from));
}

/** The condition that a channel's opt-in attribute still holds `from`. */
export const optInCondition = (attribute: string, from: string): string =>
  from === 'NONE' ? `(attribute_not_exists(${attribute}) OR ${attribute} = :from)` : `${attribute} = :from`;

/** A customer's message on a channel with a window opens it until 24 h after its receive time (never moves it back). */
function setWindow(c: Clauses, conversation: Conversation, message: Message): void {
  const channel = channelOf(message.channel ?? 'sms');
  const expiresAt = channel.windowAfterInbound(message.createdAt);
  const attribute = channel.attributes.windowExpiresAt;
  if (!expiresAt || !attribute || expiresAt <= (conversation.whatsapp?.windowExpiresAt ?? '')) return;
  c.sets.push(`${attribute} = :windowExpiresAt`);
  c.values[':windowExpiresAt'] = expiresAt;
}

/**
 * The conversation's gsi2 entry after the message (repository/keys.ts): My Inbox while it has an
 * assignee (the first associate who sends in an unassigned conversation takes it), else the
 * unassigned queue while its customer waits for an answer (rules.ts, waitingAfter), else none.
 * Written under the assignee and the wait it was computed from: an assignment meanwhile fails
 * the write, and it is computed again.
 */
function setInboxEntry(c: Clauses, conversation: Conversation, message: Message, options: RecordOptions): void {
  const id = conversation.conversationId;
  const waiting = waitingAfter(conversation.waitingSince, message);
  if (waiting && waiting !== conversation.waitingSince) {
    c.sets.push('waitingSince = :waiting');
    c.values[':waiting'] = waiting;
  } else if (!waiting && conversation.waitingSince) c.removes.push('waitingSince');
  if (conversation.waitingSince) c.values[':waitedSince'] = conversation.waitingSince;
  c.conditions.push(conversation.waitingSince ? 'waitingSince = :waitedSince' : 'attribute_not_exists(waitingSince)');
  if (conversation.assignee) c.values[':current'] = conversation.assignee;
  c.conditions.push(conversation.assignee ? 'assignee = :current' : 'attribute_not_exists(assignee)');

  const assignee = conversation.assignee ?? options.assignTo;
  if (assignee) {
    if (!conversation.assignee) {
      c.sets.push('assignee = :assignee', 'gsi2pk = :g2pk');
      c.values[':assignee'] = assignee;
      c.values[':g2pk'] = assigneeInboxPk(conversation.storeId, assignee, 'ACTIVE');
    }
    const lastActivityAt =
      message.createdAt > conversation.lastActivityAt ? message.createdAt : conversation.lastActivityAt;
    c.sets.push('gsi2sk = :g2sk');
    c.values[':g2sk'] = activitySk(lastActivityAt, id);
  } else if (waiting) {
    c.sets.push('gsi2pk = :g2pk', 'gsi2sk = :g2sk');
    c.values[':g2pk'] = waitingInboxPk(conversation.storeId, 'ACTIVE');
    c.values[':g2sk'] = waitingSk(waiting, id);
  } else if (conversation.waitingSince) c.removes.push('gsi2pk', 'gsi2sk');
}

/** The opt-in change `optInEvent` makes from the conversation's state on the message's channel, if it moves it. */
function optInChangeOf(conversation: Conversation, message: Message, options: RecordOptions): OptInChange | undefined {
  const name = message.channel ?? 'sms';
  const from = channelOf(name).optInOf(conversation);
  const next = options.optInEvent ? nextOptInState(from, options.optInEvent) : undefined;
  return next ? { ...options.optInSource!, from, to: next, at: message.createdAt, channel: name } : undefined;
}

/**
 * What storing `message` does to the (active) conversation as just read: +1 inboundCount and the
 * newest inbound time for a customer message, the newest activity and `lastMessage` when it is
 * the newest, an opt-in change when `optInEvent` moves the state, the assignee of an associate's
 * send, and the customer's wait with the gsi2 entry that follows it (setInboxEntry). Every update is conditioned on the state it was computed from (still active, still the
 * newest, still the same opt-in state), so a lost race fails it and is computed again.
 */
export function recordEffect(conversation: Conversation, message: Message, options: RecordOptions): RecordEffect {
  const inbound = message.direction === 'inbound';
  const newest = !conversation.lastMessage || message.messageId > conversation.lastMessage.messageId;
  const optInChange = optInChangeOf(conversation, message, options);
  const c: Clauses = { sets: [], removes: [], values: { ':archived': false }, conditions: ['archived = :archived'] };
  if (newest) setNewest(c, conversation, message);
  if (optInChange) setOptIn(c, optInChange);
  setInboxEntry(c, conversation, message, options);
  if (inbound) c.values[':one'] = 1;
  if (inbound) setWindow(c, conversation, message);
  if (inbound && message.createdAt > (conversation.lastInboundAt ?? '')) {
    c.sets.push('lastInboundAt = :inboundAt');
    c.values[':inboundAt'] = message.createdAt;
  }
  const update =
    c.sets.length > 0 || c.removes.length > 0 || inbound
      ? {
          updateExpression: [
            c.sets.length > 0 ? `SET ${c.sets.join(', ')}` : '',
            c.removes.length > 0 ? `REMOVE ${c.removes.join(', ')}` : '',
            inbound ? 'ADD inboundCount :one' : '',
          ]
            .filter(Boolean)
            .join(' '),
          conditionExpression: c.conditions.join(' AND '),
          values: c.values,
        }
      : undefined;
  return { ...(optInChange ? { optInChange } : {}), update };
}
