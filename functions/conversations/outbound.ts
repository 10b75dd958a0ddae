/**
 * Sending into a conversation: the one path every outbound text takes, from the conversations API
 * and from other capabilities (cart links, receipts, HELP replies). The message is recorded
 * `queued` (in the outbox) and its job put on the sender queue; the sender worker hands it to the
 * carrier at most once (hand-over.ts). Nothing here waits for Twilio (docs/delivery-guarantees.md).
 */
import { RuleViolationError } from '../shared/errors';
import { getStore } from '../stores/repository';
import type { Store } from '../stores/rules';
import { logger } from '../shared/logger';
import { withUrls } from './media';
import type { Conversation, Message, MessageRef, SendResult } from './model';
import * as repository from './repository';
import { channelOf, type Channel, type ChannelName } from './channels';
import { releaseTime } from './quiet-hours';
import type { SendKind } from './rules';
import { enqueueSend } from './sender-queue';
import { HOLD_HOURS, OUTBOX_GRACE_SECONDS } from './sending-rules';

export type { Conversation, Message } from './model';

export function loadConversation(conversationId: string): Promise<Conversation | undefined> {
  return repository.getConversation(conversationId);
}

/**
 * Sends a text (and images) to the conversation's customer, or schedules it.
 * 1. Refuse (422) unless the channel's consent and window allow this kind of send (channels/);
 *    the store must have a number.
 *    An opt-in request takes the conversation's one request of 24 hours (422 while one is open).
 * 2. Work out when it may go: a `sendAt` in the future, or the end of quiet hours when `quietHours`
 *    applies (rules.ts releaseTime); otherwise at once.
 * 3. Record the message: `scheduled` with `scheduledFor` (in the due index, released by the
 *    scheduled-sender), or `queued` (in the due index at the outbox time); with the
 *    Idempotency-Key, when given, in the same write. A key seen before answers the first message
 *    instead (a different body is a 422).
 * 4. A `queued` message's job goes on the sender queue. Twilio's answer arrives on the message
 *    (`sent`, `delivered`, or `failed` with `errorCode`) and as a `message.status` event.
 */
export async function sendToCustomer(input: {
  conversation: Conversation;
  text: string;
  sentBy: string;
  mediaKeys?: string[];
  /** Internal: the opt-in request is the one send allowed before opt-in; a HELP reply goes in any state but opted out. */
  kind?: SendKind;
  now?: Date;
  idempotency?: { key: string; bodyHash: string; userId?: string };
  /** The earliest time to send (a scheduled message). */
  sendAt?: Date;
  /** The store's quiet hours apply: what associates send. Receipts and system replies go at once. */
  quietHours?: boolean;
  /** An associate's send: they become the assignee of an unassigned conversation (docs/rules.md, "Assignment"). */
  assignTo?: string;
  /** The channel it goes on (default SMS): its consent, window, addressing and carrier call apply (channels/). */
  channel?: ChannelName;
  /** A WhatsApp template (approved, checked by the caller): sent as its Content SID in any window; `text` is its filled text, for the chat. */
  content?: NonNullable<Message['content']>;
  /** Free text outside the window, after its RECONNECT template: recorded `held` until the customer answers (releaseHeld). */
  hold?: boolean;
  /**
   * A system text (a cart link) that, outside the channel's window, goes as a template instead:
   * this gives it (whatsapp-templates.ts purposeTemplateSend, the APPROVED template of a purpose).
   * Without it free text outside the window is a 422 `window-closed`. A function, so that only the
   * senders that use it carry the template reads (and their grant).
   */
  outsideWindow?: () => Promise<{ text: string; content: NonNullable<Message['content']> }>;
}): Promise<SendResult> {
  const { conversation } = input;
  const now = input.now ?? new Date();
  const kind = input.kind ?? 'message';
  const channel = channelOf(input.channel ?? 'sms');
  const consent = channel.consentRefusal(channel.optInOf(conversation), kind);
  if (consent) throw new RuleViolationError(consent.detail, consent.rule);
  const closed = input.content || input.hold ? undefined : channel.windowRefusal(conversation, now);
  if (closed && !input.outsideWindow) throw new RuleViolationError(closed.detail, closed.rule);
  const template = closed && input.outsideWindow ? await input.outsideWindow() : undefined;
  const phone = conversation.customer.phone;
  if (!phone) throw new RuleViolationError('The customer has no phone number to text.', 'no-phone');
  const store = await getStore(conversation.storeId);
  if (!store)
    throw new RuleViolationError(
      `Store ${conversation.storeId} is not registered, so it has no number to text from.`,
      'unknown-store',
    );
  const storeRefusal = channel.storeRefusal(store);
  if (storeRefusal) throw new RuleViolationError(storeRefusal.detail, storeRefusal.rule);
  const requestedAt = channel.attributes.optInRequestedAt;
  if (
    kind === 'opt-in-request' &&
    !(await repository.reserveOptInRequest(conversation.conversationId, now, requestedAt))
  ) {
    throw new RuleViolationError(
      'An opt-in request was sent to this customer less than 24 hours ago and is still waiting for an answer; send another one after that.',
      'opt-in-request-pending',
    );
  }
  try {
    const addresses = channel.addresses({ store, customerPhone: phone });
    return await recordAndSend({ ...input, ...template, kind, now, store, via: channel, addresses });
  } catch (error) {
    if (kind === 'opt-in-request') await repository.releaseOptInRequest(conversation.conversationId, now, requestedAt);
    throw error;
  }
}

/**
 * When quiet hours would hold an associate's send to this conversation made at `now`, or
 * undefined when it may go at once (docs/rules.md, "Compliance"): the one rule recordAndSend
 * applies, for a send that must not be held (a cart link) to refuse instead.
 */
export function quietHoursHold(conversation: Conversation, store: Store, now: Date): Promise<Date | undefined> {
  return releaseTime({
    now,
    timezone: store.timezone,
    quietHours: store.quietHours,
    ...(conversation.lastInboundAt ? { lastInboundAt: conversation.lastInboundAt } : {}),
    exempt: false,
  });
}

async function recordAndSend(
  input: Parameters<typeof sendToCustomer>[0] & {
    kind: SendKind;
    now: Date;
    store: Store;
    via: Channel;
    addresses: { from: string; to: string };
  },
): Promise<SendResult> {
  const { conversation, now, kind, store, addresses } = input;
  // Held text waits for the customer, at most HOLD_HOURS: `scheduledFor` is when it ends failed (release-due.ts).
  const scheduledFor = input.hold
    ? new Date(now.getTime() + HOLD_HOURS * 3600_000)
    : await releaseTime({
        now,
        ...(input.sendAt ? { sendAt: input.sendAt } : {}),
        timezone: store.timezone,
        quietHours: store.quietHours,
        ...(conversation.lastInboundAt ? { lastInboundAt: conversation.lastInboundAt } : {}),
        exempt: !input.quietHours,
      });
  const message: Message = {
    messageId: repository.newMessageId(now),
    conversationId: conversation.conversationId,
    direction: 'outbound',
    kind: input.via.name,
    channel: input.via.name,
    text: input.text,
    ...(input.content ? { content: input.content } : {}),
    media: (input.mediaKeys ?? []).map((mediaKey) => ({ mediaKey, contentType: contentTypeOfKey(mediaKey) })),
    sentBy: input.sentBy,
    status: input.hold ? 'held' : scheduledFor ? 'scheduled' : 'queued',
    ...(scheduledFor ? { scheduledFor: scheduledFor.toISOString() } : {}),
    createdAt: now.toISOString(),
  };
  const idempotency = input.idempotency && {
    userId: input.idempotency.userId ?? input.sentBy,
    key: input.idempotency.key,
    bodyHash: input.idempotency.bodyHash,
  };
  const actingUserId = idempotency?.userId ?? input.sentBy;
  const recorded = await repository.recordMessage(conversation.conversationId, message, {
    ...(idempotency ? { idempotency } : {}),
    current: conversation,
    now,
    sendKind: kind,
    ...(input.assignTo ? { assignTo: input.assignTo } : {}),
    outbox: {
      ...addresses,
      // Everything sent through here has someone waiting for it; what a schedule releases goes bulk (release-due.ts).
      priority: 'interactive',
      dueAt: new Date(now.getTime() + OUTBOX_GRACE_SECONDS * 1000).toISOString(),
      ...(actingUserId !== input.sentBy ? { actingUserId } : {}),
    },
  });
  if (recorded.outcome === 'idempotent-replay') return replay(conversation, idempotency!, recorded, addresses.from);
  if (message.status === 'queued') await toSenderQueue(message, addresses.from);
  if (message.status === 'held') await repository.noteHeld(conversation.conversationId, message.messageId);
  return { message: await withUrls(message), replayed: false };
}

/**
 * The same Idempotency-Key again: the first message as it is now, whatever its state (a
 * different body is a 422). A first message still waiting for the queue (the request that
 * recorded it died before queueing it) is queued again: the sender's claim lets one job through.
 */
async function replay(
  conversation: Conversation,
  idempotency: { key: string; bodyHash: string },
  recorded: { messageId: string; bodyHash: string },
  from: string,
): Promise<SendResult> {
  if (recorded.bodyHash !== idempotency.bodyHash) {
    throw new RuleViolationError(
      `Idempotency-Key ${idempotency.key} was already used for a different message on this conversation.`,
      'idempotency-key-reused',
    );
  }
  const first = await repository.getMessage(conversation.conversationId, recorded.messageId);
  if (!first)
    throw new Error(`Idempotency-Key ${idempotency.key} points at message ${recorded.messageId}, which does not exist`);
  if (first.status === 'queued' && !first.twilioSid) await toSenderQueue(first, from);
  return { message: await withUrls(first), replayed: true };
}

/**
 * The job for the sender. The message is on record (and in the outbox) already: if SQS does not
 * take the job now, the outbox sweep queues it within a few minutes, so the request still succeeds.
 */
async function toSenderQueue(message: MessageRef, from: string): Promise<void> {
  const job = {
    conversationId: message.conversationId,
    messageId: message.messageId,
    from,
    priority: 'interactive',
    attempt: 0,
  } as const;
  await enqueueSend(job).catch((error: unknown) =>
    logger.error('send recorded but not queued; the outbox sweep will queue it', {
      error: error as Error,
      conversationId: job.conversationId,
      messageId: job.messageId,
    }),
  );
}

/**
 * The customer answered on WhatsApp: the text held for them (sendToCustomer `hold`) goes now, as
 * an interactive send. Each is released once (a condition on `held`); one that ended meanwhile
 * (failed at its deadline, canceled) is only taken off the conversation.
 */
export async function releaseHeld(conversation: Conversation, now: Date): Promise<number> {
  const ids = conversation.heldMessageIds ?? [];
  let released = 0;
  for (const messageId of ids) {
    const ref = { conversationId: conversation.conversationId, messageId };
    const state = await repository.outboundState(ref);
    if (state?.status !== 'held' || !state.from) continue;
    const dueAt = new Date(now.getTime() + OUTBOX_GRACE_SECONDS * 1000);
    if (!(await repository.releaseScheduled(ref, dueAt, 'held'))) continue;
    await toSenderQueue(ref, state.from);
    released++;
  }
  await repository.forgetHeld(conversation.conversationId, ids);
  return released;
}

/**
 * A chat entry for associates (e.g. "customer paid via remote checkout link"); nothing is sent.
 * With `seed`, its id is derived from the seed and `now`, so posting it again (a redelivery of
 * the event behind it, with the same `now`) leaves one entry.
 */
export async function postNote(input: {
  conversation: Conversation;
  text: string;
  now?: Date;
  seed?: string;
}): Promise<Message> {
  const now = input.now ?? new Date();
  const message: Message = {
    messageId: input.seed ? repository.derivedMessageId(now, input.seed) : repository.newMessageId(now),
    conversationId: input.conversation.conversationId,
    direction: 'outbound',
    kind: 'note',
    channel: 'sms',
    text: input.text,
    media: [],
    status: 'delivered',
    createdAt: now.toISOString(),
  };
  await repository.recordMessage(input.conversation.conversationId, message);
  return message;
}

function contentTypeOfKey(mediaKey: string): string {
  if (mediaKey.endsWith('.png')) return 'image/png';
  if (mediaKey.endsWith('.gif')) return 'image/gif';
  if (mediaKey.endsWith('.webp')) return 'image/webp';
  return 'image/jpeg';
}
