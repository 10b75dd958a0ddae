/**
 * What associates do with conversations: open one, read the inboxes, read messages, request
 * opt-in, send texts, templates and images, mark read, and upload images. Store users act for
 * their own store; another store's conversation is a 404, exactly like one that does not exist.
 */
import { markContacted } from '../campaigns/outreach';
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../shared/errors';
import { decodeCursor, encodeCursor, type Page } from '../shared/pagination';
import { actingStore, type Principal } from '../shared/principal';
import { getCustomer, getStore } from '../stores/repository';
import { checkUploadedImage, withUrls } from './media';
import type { Conversation, ConversationView, InboxQuery, Message, SendMessageBody, SendResult } from './model';
import { sendToCustomer } from './outbound';
import * as repository from './repository';
import {
  byNewestActivity,
  canSendImages,
  isTooFarAhead,
  MAX_SCHEDULE_DAYS,
  optInRequestText,
  unreadCount,
} from './rules';
import { renderTemplate } from './templates';

const view = (c: Conversation, readInbound: number): ConversationView => ({
  conversationId: c.conversationId,
  storeId: c.storeId,
  customerId: c.customerId,
  customer: c.customer,
  optIn: c.optIn,
  lastActivityAt: c.lastActivityAt,
  archived: c.archived,
  createdAt: c.createdAt,
  unread: unreadCount(c.inboundCount, readInbound),
  ...(c.lastMessage ? { lastMessage: c.lastMessage } : {}),
});

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
 * 3. Mark the customer contacted on the store's outreach lists, and put it in the caller's My Inbox.
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
  await markContacted({ storeId, customerId, at: now, userId: principal.userId });
  await repository.joinConversation(conversation, principal.userId);
  const fresh = (await repository.getConversation(conversation.conversationId)) ?? conversation;
  return { conversation: await viewFor(fresh, principal.userId), created };
}

export async function conversationFor(principal: Principal, conversationId: string): Promise<ConversationView> {
  return viewFor(await accessibleConversation(principal, conversationId), principal.userId);
}

/**
 * My Inbox (conversations the caller opened or wrote in) or Store Inbox, newest activity first.
 * `unread` per item is the caller's; `unreadTotal` is the caller's unread customer messages over
 * every conversation of that scope and view (active or archived), not only this page.
 */
export async function inbox(
  principal: Principal,
  query: InboxQuery,
): Promise<Page<ConversationView> & { unreadTotal: number }> {
  const storeId = actingStore(principal);
  if (query.scope === 'mine') return myInbox(storeId, principal.userId, query);
  const [page, unreadTotal] = await Promise.all([
    repository.listStoreInbox(storeId, query.archived, query.limit, query.cursor),
    repository.storeUnreadTotal(storeId, principal.userId, query.archived),
  ]);
  const markers = await repository.readMarkers(
    page.items.map((c) => c.conversationId),
    principal.userId,
  );
  return {
    items: page.items.map((c) => view(c, markers.get(c.conversationId) ?? 0)),
    nextCursor: page.nextCursor,
    unreadTotal,
  };
}

/**
 * My Inbox is computed from the user's memberships (no write per member when a message
 * arrives): every member conversation of the view, sorted by activity, then the page after the
 * cursor's position. The cursor names the user it was given to.
 */
async function myInbox(
  storeId: string,
  userId: string,
  query: InboxQuery,
): Promise<Page<ConversationView> & { unreadTotal: number }> {
  const after = decodeCursor(query.cursor, { scope: 'mine', userId })?.after as string | undefined;
  const all = (await repository.memberConversations(storeId, userId))
    .filter(({ conversation }) => conversation.archived === query.archived)
    .sort((a, b) => byNewestActivity(a.conversation, b.conversation));
  const unreadTotal = all.reduce(
    (sum, { conversation, readInbound }) => sum + unreadCount(conversation.inboundCount, readInbound),
    0,
  );
  const position = (c: Conversation) => `${c.lastActivityAt}#${c.conversationId}`;
  const rest = after === undefined ? all : all.filter(({ conversation }) => position(conversation) < after);
  const page = rest.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ conversation, readInbound }) => view(conversation, readInbound)),
    nextCursor:
      rest.length > query.limit && last
        ? encodeCursor({ scope: 'mine', userId, after: position(last.conversation) })
        : null,
    unreadTotal,
  };
}

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

/** Sends the opt-in template: the only send allowed before the customer opts in. */
export async function requestOptIn(principal: Principal, conversationId: string, now: Date): Promise<SendResult> {
  const conversation = await accessibleConversation(principal, conversationId);
  const store = await getStore(conversation.storeId);
  if (!store) throw new RuleViolationError(`Store ${conversation.storeId} is not registered.`, 'unknown-store');
  return sendToCustomer({
    conversation,
    text: optInRequestText(store.name),
    sentBy: principal.userId,
    kind: 'opt-in-request',
    now,
    quietHours: true,
  });
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
  const send = (text: string, mediaKeys?: string[]) =>
    sendToCustomer({
      conversation,
      text,
      sentBy: principal.userId,
      now,
      quietHours: true,
      ...(sendAt ? { sendAt } : {}),
      ...(mediaKeys ? { mediaKeys } : {}),
      ...(idempotency ? { idempotency } : {}),
    });
  if (body.templateId !== undefined) return send(renderTemplate(body.templateId, body.variables ?? {}));
  if (body.mediaKey !== undefined) {
    const store = await getStore(conversation.storeId);
    if (!store || !canSendImages(store.country)) {
      throw new RuleViolationError(
        `Images can only be sent from stores in the US, Canada and Australia; this store is in ${store?.country ?? 'an unknown country'}.`,
        'media-not-available',
      );
    }
    if (conversation.optIn === 'OPTED_IN') await checkUploadedImage(conversation.storeId, body.mediaKey);
    return send(body.text ?? '', [body.mediaKey]);
  }
  return send(body.text!);
}
