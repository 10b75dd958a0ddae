/**
 * What associates do with conversations: open one, read the inboxes, read messages, request
 * opt-in, send texts, templates and images, mark read, and upload images. Store users act for
 * their own store; another store's conversation is a 404, exactly like one that does not exist.
 */
import * as z from 'zod';
import { markContacted } from '../campaigns/outreach';
import { NotFoundError, RuleViolationError } from '../shared/errors';
import type { Page } from '../shared/pagination';
import { actingStore, type Principal } from '../shared/principal';
import { getCustomer, getStore } from '../stores/repository';
import { checkUploadedImage } from './media';
import { sendToCustomer, withUrls, type Conversation, type Message } from './outbound';
import * as repository from './repository';
import { canSendImages, optInRequestText, unreadCount } from './rules';
import { renderTemplate } from './templates';

export interface ConversationView {
  conversationId: string;
  storeId: string;
  customerId: string;
  customer: Conversation['customer'];
  optIn: Conversation['optIn'];
  lastActivityAt: string;
  archived: boolean;
  createdAt: string;
  unread: number;
}

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
});

async function viewFor(conversation: Conversation, userId: string): Promise<ConversationView> {
  const markers = await repository.readMarkers([conversation.conversationId], userId);
  return view(conversation, markers.get(conversation.conversationId) ?? 0);
}

/** The conversation if the caller's store owns it; otherwise 404 (never reveal another store's ids). */
export async function accessibleConversation(principal: Principal, conversationId: string): Promise<Conversation> {
  const storeId = actingStore(principal);
  const conversation = await repository.getConversation(conversationId);
  if (!conversation || conversation.storeId !== storeId) throw new NotFoundError(`There is no conversation ${conversationId} in your store.`);
  return conversation;
}

/**
 * Opens the store's conversation with a customer.
 * 1. The customer must exist (404).
 * 2. Create it, or find the existing one (race-safe on the (store, customer) item).
 * 3. Mark the customer contacted on the store's outreach lists, and put it in the caller's My Inbox.
 */
export async function openConversationFor(principal: Principal, customerId: string, now: Date): Promise<{ conversation: ConversationView; created: boolean }> {
  const storeId = actingStore(principal);
  const customer = await getCustomer(customerId);
  if (!customer) throw new NotFoundError(`There is no customer ${customerId}.`);
  const { conversation, created } = await repository.openConversation({ storeId, customer, now });
  await markContacted({ storeId, customerId, at: now });
  await repository.joinConversation(conversation.conversationId, principal.userId);
  const fresh = (await repository.getConversation(conversation.conversationId)) ?? conversation;
  return { conversation: await viewFor(fresh, principal.userId), created };
}

export async function conversationFor(principal: Principal, conversationId: string): Promise<ConversationView> {
  return viewFor(await accessibleConversation(principal, conversationId), principal.userId);
}

export const InboxQuery = z.object({
  scope: z.enum(['mine', 'store']).default('mine'),
  archived: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

/**
 * My Inbox (conversations the caller opened or wrote in) or Store Inbox, newest activity first.
 * `unread` per item is the caller's; `unreadTotal` is the caller's unread customer messages over
 * every conversation of that scope and view (active or archived), not only this page.
 */
export async function inbox(principal: Principal, query: InboxQuery): Promise<Page<ConversationView> & { unreadTotal: number }> {
  const storeId = actingStore(principal);
  const page =
    query.scope === 'store'
      ? await repository.listStoreInbox(storeId, query.archived, query.limit, query.cursor)
      : await repository.listUserInbox(storeId, principal.userId, query.archived, query.limit, query.cursor);
  const [markers, unreadTotal] = await Promise.all([
    repository.readMarkers(page.items.map((c) => c.conversationId), principal.userId),
    repository.unreadTotal({ storeId, userId: principal.userId, scope: query.scope, archived: query.archived }),
  ]);
  return { items: page.items.map((c) => view(c, markers.get(c.conversationId) ?? 0)), nextCursor: page.nextCursor, unreadTotal };
}

export async function messagesOf(principal: Principal, conversationId: string, limit: number, cursor?: string): Promise<Page<Message>> {
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
export async function requestOptIn(principal: Principal, conversationId: string, now: Date): Promise<Message> {
  const conversation = await accessibleConversation(principal, conversationId);
  const store = await getStore(conversation.storeId);
  if (!store) throw new RuleViolationError(`Store ${conversation.storeId} is not registered.`, 'unknown-store');
  return sendToCustomer({ conversation, text: optInRequestText(store.name), sentBy: principal.userId, kind: 'opt-in-request', now });
}

export const SendMessageBody = z
  .object({
    text: z.string().trim().min(1).max(1600).optional(),
    templateId: z.string().min(1).optional(),
    variables: z.record(z.string(), z.string().max(500)).optional(),
    mediaKey: z.string().min(1).max(300).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const modes = [body.text !== undefined && body.mediaKey === undefined, body.templateId !== undefined, body.mediaKey !== undefined].filter(Boolean).length;
    if (modes !== 1 || (body.templateId !== undefined && body.text !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'send exactly one of {text}, {templateId, variables?} or {mediaKey, text?}' });
    }
    if (body.variables !== undefined && body.templateId === undefined) ctx.addIssue({ code: 'custom', path: ['variables'], message: 'variables go with a templateId' });
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** A text, a filled-in template, or an image (with an optional caption); opt-in is enforced by sendToCustomer. */
export async function sendMessage(principal: Principal, conversationId: string, body: SendMessageBody, now: Date): Promise<Message> {
  const conversation = await accessibleConversation(principal, conversationId);
  if (body.templateId !== undefined) {
    const text = renderTemplate(body.templateId, body.variables ?? {});
    return sendToCustomer({ conversation, text, sentBy: principal.userId, now });
  }
  if (body.mediaKey !== undefined) {
    const store = await getStore(conversation.storeId);
    if (!store || !canSendImages(store.country)) {
      throw new RuleViolationError(`Images can only be sent from stores in the US, Canada and Australia; this store is in ${store?.country ?? 'an unknown country'}.`, 'media-not-available');
    }
    if (conversation.optIn === 'OPTED_IN') await checkUploadedImage(conversation.storeId, body.mediaKey);
    return sendToCustomer({ conversation, text: body.text ?? '', sentBy: principal.userId, mediaKeys: [body.mediaKey], now });
  }
  return sendToCustomer({ conversation, text: body.text!, sentBy: principal.userId, now });
}
