/** Conversations API for store users: open, inboxes, messages, opt-in requests, sends, read markers, templates, image uploads. */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { created, httpApi, json, noContent, ok, optionalHeader, route } from '../shared/http';
import { pageQuery } from '../shared/pagination';
import { Id, parseOptionalJsonBody } from '../shared/validation';
import { actingStore, STORE_ROLES } from '../shared/principal';
import { systemClock } from '../shared/clock';
import {
  assignConversation,
  cancelScheduledMessage,
  conversationFor,
  imageUploadFor,
  inbox,
  markReadFor,
  messagesOf,
  openConversationFor,
  requestOptIn,
  sendMessage,
} from './conversations';
import { AssigneeBody, IdempotencyKey, InboxQuery, OptInRequestBody, SendMessageBody, type SendResult } from './model';
import { IMAGE_TYPES, type ImageType } from './rules';
import { listTemplates } from './templates';
import { CHANNEL_NAMES } from './channels/channel';

const OpenBody = /* @__PURE__ */ droppable(() => z.object({ customerId: Id }));
const ConversationParams = /* @__PURE__ */ droppable(() => z.object({ conversationId: Id }));
const MessageParams = /* @__PURE__ */ droppable(() => z.extend(ConversationParams, { messageId: Id }));

/** 200 for a replayed Idempotency-Key, 202 for a message waiting for its time (a `sendAt` or quiet hours), else 201. */
const sendAnswer = ({ message, replayed }: SendResult) =>
  replayed
    ? ok(message)
    : message.status === 'scheduled' || message.status === 'held'
      ? json(202, message)
      : created(message);
const UploadBody = /* @__PURE__ */ droppable(() =>
  z.object({
    contentType: z.enum(Object.keys(IMAGE_TYPES) as [ImageType, ...ImageType[]]),
    channel: z.optional(z.enum(CHANNEL_NAMES)),
  }),
);

/** The opt-in request's body is optional (no body: SMS, as before WhatsApp); a body given is JSON and OptInRequestBody. */
const optInRequestOf = (rawBody: string): OptInRequestBody => parseOptionalJsonBody(rawBody, OptInRequestBody);

export const handler = httpApi({
  'POST /conversations': route({ roles: STORE_ROLES, body: OpenBody }, async ({ principal, body }) => {
    const { conversation, created: isNew } = await openConversationFor(principal, body.customerId, systemClock());
    return isNew ? created(conversation) : ok(conversation);
  }),
  'GET /inbox': route({ roles: STORE_ROLES, query: InboxQuery }, async ({ principal, query }) =>
    ok(await inbox(principal, query)),
  ),
  'GET /conversations/{conversationId}': route(
    { roles: STORE_ROLES, params: ConversationParams },
    async ({ principal, params }) => ok(await conversationFor(principal, params.conversationId)),
  ),
  'GET /conversations/{conversationId}/messages': route(
    { roles: STORE_ROLES, params: ConversationParams, query: pageQuery },
    async ({ principal, params, query }) =>
      ok(await messagesOf(principal, params.conversationId, query.limit, query.cursor)),
  ),
  'POST /conversations/{conversationId}/opt-in-request': route(
    { roles: STORE_ROLES, params: ConversationParams },
    async ({ principal, params, rawBody }) =>
      sendAnswer(await requestOptIn(principal, params.conversationId, systemClock(), optInRequestOf(rawBody).channel)),
  ),
  'POST /conversations/{conversationId}/messages': route(
    { roles: STORE_ROLES, params: ConversationParams, body: SendMessageBody },
    async ({ principal, params, body, headers }) => {
      const key = optionalHeader(headers, 'Idempotency-Key', IdempotencyKey);
      return sendAnswer(await sendMessage(principal, params.conversationId, body, systemClock(), key));
    },
  ),
  'DELETE /conversations/{conversationId}/messages/{messageId}': route(
    { roles: STORE_ROLES, params: MessageParams },
    async ({ principal, params }) => {
      await cancelScheduledMessage(principal, params.conversationId, params.messageId);
      return noContent();
    },
  ),
  'POST /conversations/{conversationId}/read': route(
    { roles: STORE_ROLES, params: ConversationParams },
    async ({ principal, params }) => ok(await markReadFor(principal, params.conversationId)),
  ),
  'PUT /conversations/{conversationId}/assignee': route(
    { roles: STORE_ROLES, params: ConversationParams, body: AssigneeBody },
    async ({ principal, params, body }) => ok(await assignConversation(principal, params.conversationId, body.userId)),
  ),
  'GET /templates': route({ roles: STORE_ROLES }, async () => ok({ items: listTemplates(), nextCursor: null })),
  'POST /media/uploads': route({ roles: STORE_ROLES, body: UploadBody }, async ({ principal, body }) =>
    created(await imageUploadFor(actingStore(principal), body.contentType, body.channel)),
  ),
});
