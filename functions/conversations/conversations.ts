/**
 * What associates do with conversations: open one, read the inboxes, read messages, request
 * opt-in, send texts, templates and images, mark read, and upload images. Store users act for
 * their own store; another store's conversation is a 404, exactly like one that does not exist.
 */
import { markContacted } from '../campaigns/outreach';
import { createHash } from 'node:crypto';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { tagKey } from '../shared/validation';
import { isStaff } from '../shared/staff';
import { actingStore, type Principal } from '../shared/principal';
import { getCustomer, getStore } from '../stores/repository';
import { checkUploadedImage, createUpload, withUrls } from './media';
import type { Conversation, ConversationView, InboxQuery, Message, SendMessageBody, SendResult } from './model';
import { sendToCustomer } from './outbound';
import * as repository from './repository';
import { type Channel, channelOf, type ChannelName } from './channels';
import { approvedTemplateFor, templateSend } from './whatsapp-templates';
import { isTooFarAhead, MAX_SCHEDULE_DAYS, mayAssign, unreadCount, type ImageType } from './rules';
import { renderTemplate } from './templates';

const view = (c: Conversation, readInbound: number): ConversationView => ({
  conversationId: c.conversationId,
  storeId: c.storeId,
  customerId: c.customerId,
  customer: c.customer,
  optIn: c.optIn,
  whatsapp: c.whatsapp ?? { optIn: 'NONE', windowExpiresAt: null },
  lastActivityAt: c.lastActivityAt,
  archived: c.archived,
  createdAt: c.createdAt,
  assignee: c.assignee,
  unread: unreadCount(c.inboundCount, readInbound),
  ...(c.lastMessage ? { lastMessage: c.lastMessage } : {}),
  ...(c.tags ? { tags: c.tags } : {}),
});

/**
 * The inbox's `?tag=` filter, over the tags copied onto each conversation (docs/rules.md, "Notes
 * and tags"). It is applied to the page read, so a filtered page costs what an unfiltered one
 * does and may hold fewer items, even none, with a `nextCursor` (docs/architecture.md, "Budgets").
 */
const taggedWith =
  (tag: string | undefined) =>
  (c: Conversation): boolean =>
    tag === undefined || (c.tags ?? []).some((t) => tagKey(t) === tagKey(tag));

async function viewFor(conversation: Conversation, userId: string): Promise<ConversationView> {
  const markers = await repository.readMarkers([conversation.conversationId], userId);
  return view(conversation, markers.get(conversation.conversationId) ?? 0);
}

/** The conversation if the caller's store owns it; otherwise 404 (never reveal another store's ids). */
export async function accessibleConversation(principal: Principal, conversationId: string): Promise<Conversation> {
  const storeId = actingStore(principal);
  const conversation = await repository.getConversation(conversationId);
  if (!conversation || conversation.storeId !== storeId)
    throw new NotFoundError(`There is no conversation ${conversationId} in your store.`);
  return conversation;
}

/**
 * Opens the store's conversation with a customer.
 * 1. The customer must exist (404).
 * 2. Create it, or find the existing one (race-safe on the (store, customer) item).
 * 3. Mark the customer contacted on the store's outreach lists; an associate who opened it from a
 *    list (the customer is on one) becomes its assignee when it has none (docs/rules.md, "Assignment").
 */
export async function openConversationFor(
  principal: Principal,
  customerId: string,
  now: Date,
): Promise<{ conversation: ConversationView; created: boolean }> {
  const storeId = actingStore(principal);
  const customer = await getCustomer(customerId);
  if (!customer) throw new NotFoundError(`There is no customer ${customerId}.`);
  const { conversation, created } = await repository.openConversation({ storeId, customer, now });
  const lists = await markContacted({ storeId, customerId, at: now, userId: principal.userId });
  const taken = lists.length > 0 && isAssociate(principal) && conversation.assignee === null;
  if (taken) await repository.setAssignee(conversation, principal.userId); // false: someone took it first
  const fresh = taken
    ? ((await repository.getConversation(conversation.conversationId)) ?? conversation)
    : conversation;
  return { conversation: await viewFor(fresh, principal.userId), created };
}

/** An associate (not a manager): the role whose sends and opens take unassigned conversations. */
const isAssociate = (principal: Principal) =>
  principal.roles.includes('associate') && !principal.roles.includes('manager');

export async function conversationFor(principal: Principal, conversationId: string): Promise<ConversationView> {
  return viewFor(await accessibleConversation(principal, conversationId), principal.userId);
}

/**
 * My Inbox (the conversations assigned to the caller) or Store Inbox, newest activity first, or
 * the unassigned queue (unassigned conversations whose customer waits for an answer, the longest
 * waiting first); a page costs the same whatever the caller's history (docs/architecture.md,
 * "Budgets"). `unread` per item is the caller's. `unreadTotal`: Store Inbox, the caller's unread
 * customer messages over every conversation of the view (the store sums); My Inbox and the
 * unassigned queue, over the first conversations of the view (repository MINE_TOTAL_WINDOW).
 */
export async function inbox(
  principal: Principal,
  query: InboxQuery,
): Promise<Page<ConversationView> & { unreadTotal: number }> {
  const storeId = actingStore(principal);
  if (query.scope !== 'store') {
    const list = query.scope === 'mine' ? repository.listMyInbox : repository.listUnassigned;
    const page = await list(storeId, principal.userId, query.archived, query.limit, query.cursor);
    return {
      items: page.items
        .filter(({ conversation }) => taggedWith(query.tag)(conversation))
        .map(({ conversation, readInbound }) => view(conversation, readInbound)),
      nextCursor: page.nextCursor,
      unreadTotal: page.unreadTotal,
    };
  }
  const [page, unreadTotal] = await Promise.all([
    repository.listStoreInbox(storeId, query.archived, query.limit, query.cursor),
    repository.storeUnreadTotal(storeId, principal.userId, query.archived),
  ]);
  const items = page.items.filter(taggedWith(query.tag));
  const markers = await repository.readMarkers(
    items.map((c) => c.conversationId),
    principal.userId,
  );
  return {
    items: items.map((c) => view(c, markers.get(c.conversationId) ?? 0)),
    nextCursor: page.nextCursor,
    unreadTotal,
  };
}

/**
 * Assigns the conversation to a store user, or unassigns it (null): the rules of mayAssign (403
 * otherwise); the user must be staff of the store (422). Raced by another assignment, it is
 * judged again against the new assignee.
 */
export async function assignConversation(
  principal: Principal,
  conversationId: string,
  userId: string | null,
): Promise<ConversationView> {
  const storeId = actingStore(principal);
  if (userId !== null && userId !== principal.userId && !(await isStaff(storeId, userId)))
    throw new RuleViolationError(`${userId} is not staff of store ${storeId}.`, 'unknown-staff');
  for (let attempt = 0; attempt < ASSIGN_ATTEMPTS; attempt++) {
    const conversation = await accessibleConversation(principal, conversationId);
    const allowed = mayAssign({
      actor: principal.userId,
      isManager: principal.roles.includes('manager'),
      current: conversation.assignee,
      to: userId,
    });
    if (!allowed)
      throw new ForbiddenError(
        conversation.assignee === null
          ? 'An associate can take an unassigned conversation only for themselves.'
          : 'Only a manager, or the associate it is assigned to, can reassign this conversation.',
      );
    if (conversation.assignee === userId) return viewFor(conversation, principal.userId);
    if (await repository.setAssignee(conversation, userId)) return conversationFor(principal, conversationId);
  }
  throw new ConflictError(`Conversation ${conversationId} is being reassigned by others right now; try again.`);
}

const ASSIGN_ATTEMPTS = 5;

export async function messagesOf(
  principal: Principal,
  conversationId: string,
  limit: number,
  cursor?: string,
): Promise<Page<Message>> {
  await accessibleConversation(principal, conversationId);
  const page = await repository.listMessages(conversationId, limit, cursor);
  return { items: await Promise.all(page.items.map(withUrls)), nextCursor: page.nextCursor };
}

export async function markReadFor(principal: Principal, conversationId: string): Promise<ConversationView> {
  await accessibleConversation(principal, conversationId);
  await repository.markRead(conversationId, principal.userId);
  return conversationFor(principal, conversationId);
}

/**
 * Sends the channel's opt-in request: the only send allowed before the customer opts in on that
 * channel. SMS: the opt-in text; WhatsApp: the approved OPT_IN template, as its Content SID
 * (a template goes whatever the window).
 */
export async function requestOptIn(
  principal: Principal,
  conversationId: string,
  now: Date,
  channelName: ChannelName = 'sms',
): Promise<SendResult> {
  const conversation = await accessibleConversation(principal, conversationId);
  const store = await getStore(conversation.storeId);
  if (!store) throw new RuleViolationError(`Store ${conversation.storeId} is not registered.`, 'unknown-store');
  const template =
    channelName === 'whatsapp'
      ? await templateSend((await approvedTemplateFor('OPT_IN')).templateId, {}, conversation.customer)
      : undefined;
  return sendToCustomer({
    conversation,
    text: template?.text ?? channelOf(channelName).optInRequestText(store.name),
    sentBy: principal.userId,
    kind: 'opt-in-request',
    channel: channelName,
    ...(template ? { content: template.content } : {}),
    now,
    quietHours: true,
    ...(isAssociate(principal) ? { assignTo: principal.userId } : {}),
  });
}

/**
 * The RECONNECT template a held text waits behind, sent now as the associate's message (an
 * APPROVED template of purpose RECONNECT; 422 `not-a-reconnect-template` for any other). With the
 * send's Idempotency-Key, the template carries a key derived from it (a space: no client key has
 * one), so a retried request answers the first template again and sends nothing (docs/rules.md, "WhatsApp").
 */
async function sendReconnect(
  principal: Principal,
  conversation: Conversation,
  templateId: string,
  now: Date,
  idempotency: { key: string; bodyHash: string } | undefined,
): Promise<true> {
  const { template, text, content } = await templateSend(templateId, {}, conversation.customer, 'reconnectTemplateId');
  if (template.purpose !== 'RECONNECT')
    throw new RuleViolationError(
      `The WhatsApp template ${templateId} is for ${template.purpose}, not RECONNECT.`,
      'not-a-reconnect-template',
    );
  await sendToCustomer({
    conversation,
    text,
    content,
    channel: 'whatsapp',
    sentBy: principal.userId,
    now,
    quietHours: true,
    ...(isAssociate(principal) ? { assignTo: principal.userId } : {}),
    ...(idempotency ? { idempotency: { ...idempotency, key: `reconnect ${idempotency.key}` } } : {}),
  });
  return true;
}

/** Cancels a message still waiting for its time: 404 when there is no such message, 409 once it has been sent. */
export async function cancelScheduledMessage(
  principal: Principal,
  conversationId: string,
  messageId: string,
): Promise<void> {
  await accessibleConversation(principal, conversationId);
  const outcome = await repository.cancelScheduled({ conversationId, messageId });
  if (outcome === 'unknown')
    throw new NotFoundError(`There is no message ${messageId} in conversation ${conversationId}.`);
  if (outcome === 'sent')
    throw new ConflictError(
      `Message ${messageId} is no longer scheduled (it has been released for sending); it cannot be canceled.`,
    );
}

/** The same body gives the same hash, whatever the order of its fields. */
function bodyHash(body: SendMessageBody): string {
  const canonical = JSON.stringify(body, Object.keys(body).sort());
  return createHash('sha256')
    .update(`${canonical}|${JSON.stringify(body.variables ?? {}, Object.keys(body.variables ?? {}).sort())}`)
    .digest('hex');
}

/**
 * A text, a filled-in template, or an image (with an optional caption); opt-in is enforced by
 * sendToCustomer. With an Idempotency-Key, the same key from the same user on the same
 * conversation answers the first message again (`replayed`) and sends nothing.
 */
export async function sendMessage(
  principal: Principal,
  conversationId: string,
  body: SendMessageBody,
  now: Date,
  idempotencyKey?: string,
): Promise<SendResult> {
  const conversation = await accessibleConversation(principal, conversationId);
  const sendAt = body.sendAt === undefined ? undefined : new Date(body.sendAt);
  if (sendAt && isTooFarAhead(sendAt, now)) {
    throw new ValidationError(`sendAt may be at most ${MAX_SCHEDULE_DAYS} days ahead.`, [
      { in: 'body', field: 'sendAt', detail: `at most ${MAX_SCHEDULE_DAYS} days after now` },
    ]);
  }
  const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, bodyHash: bodyHash(body) };
  const channel = channelOf(body.channel ?? 'sms');
  // Outside the window with a RECONNECT template named: the template goes now, the text waits `held`.
  const hold =
    body.reconnectTemplateId !== undefined && channel.windowRefusal(conversation, now) !== undefined
      ? await sendReconnect(principal, conversation, body.reconnectTemplateId, now, idempotency)
      : false;
  const send = (text: string, mediaKeys?: string[], content?: NonNullable<Message['content']>) =>
    sendToCustomer({
      conversation,
      text,
      sentBy: principal.userId,
      now,
      channel: channel.name,
      ...(content ? { content } : {}),
      ...(hold ? { hold } : {}),
      quietHours: true,
      ...(isAssociate(principal) ? { assignTo: principal.userId } : {}),
      ...(sendAt ? { sendAt } : {}),
      ...(mediaKeys ? { mediaKeys } : {}),
      ...(idempotency ? { idempotency } : {}),
    });
  if (body.templateId !== undefined) return send(renderTemplate(body.templateId, body.variables ?? {}));
  if (body.contentTemplateId !== undefined) {
    const { text, content } = await templateSend(body.contentTemplateId, body.variables ?? {}, conversation.customer);
    return send(text, undefined, content);
  }
  if (body.mediaKey !== undefined) {
    const refusal = channel.mediaRefusal((await getStore(conversation.storeId))?.country);
    if (refusal) throw new RuleViolationError(refusal.detail, refusal.rule);
    if (channel.optInOf(conversation) === 'OPTED_IN') {
      const { contentType } = await checkUploadedImage(conversation.storeId, body.mediaKey);
      refuseImageType(channel, contentType);
    }
    return send(body.text ?? '', [body.mediaKey]);
  }
  return send(body.text!);
}

/**
 * An upload URL for an image the caller's store will send on `channel` (default SMS), refused
 * up front (422 `media-not-available`) where that channel cannot carry it from the store's
 * country: MMS only from US, CA and AU stores, WhatsApp images from anywhere (docs/rules.md,
 * "Messaging"). The send checks the same rule again (sendMessage), since a key outlives the call.
 */
export async function imageUploadFor(storeId: string, contentType: ImageType, channel: ChannelName = 'sms') {
  const carrier = channelOf(channel);
  refuseImageType(carrier, contentType);
  const refusal = carrier.mediaRefusal((await getStore(storeId))?.country);
  if (refusal) throw new RuleViolationError(refusal.detail, refusal.rule);
  return createUpload(storeId, contentType);
}

/** 422 `media-type` when the channel does not carry this image type (docs/rules.md, "Images"). */
function refuseImageType(channel: Channel, contentType: ImageType): void {
  if (!channel.imageTypes.includes(contentType))
    throw new RuleViolationError(
      `The image is ${contentType}; ${channel.name} carries ${channel.imageTypes.join(', ')} only.`,
      'media-type',
    );
}
