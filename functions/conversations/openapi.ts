/** Conversations, messages and Twilio's webhooks as API consumers see them: answer shapes and the problems each route gives. */
import * as z from 'zod';
import { Instant, pageOf, type OperationDocs } from '../shared/openapi';
import { MESSAGE_STATUSES } from './delivery-rules';
import { CHANNEL_NAMES } from './channels/channel';
import { OptInRequestBody } from './model';
import { InboundSms, StatusCallback } from './twilio-model';
import { MEDIA_STATUSES, OPT_IN_STATES } from './rules';
import { TEMPLATE_CATEGORIES, TEMPLATE_PURPOSES, TEMPLATE_STATUSES } from './whatsapp-rules';

export const Conversation = z
  .object({
    conversationId: z.string(),
    storeId: z.string(),
    customerId: z.string(),
    customer: z.object({
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      phone: z.string().optional(),
    }),
    optIn: z
      .enum(OPT_IN_STATES)
      .meta({ description: 'The latest SMS consent state: only OPTED_IN customers can be sent SMS' }),
    whatsapp: z
      .object({
        optIn: z.enum(OPT_IN_STATES).meta({ description: 'WhatsApp consent, kept apart from SMS consent' }),
        windowExpiresAt: Instant.nullable().meta({
          description:
            "When the 24-hour customer service window closes: the customer's last WhatsApp message's receive time + 24 h; null before any. Free text and media go only before it",
        }),
      })
      .meta({ description: 'WhatsApp consent and window (NONE and null where the customer never used WhatsApp)' }),
    lastActivityAt: Instant,
    archived: z.boolean().meta({ description: 'No activity for 4 calendar months; any new message un-archives it' }),
    createdAt: Instant,
    assignee: z
      .string()
      .nullable()
      .meta({ description: 'The store user whose My Inbox holds it (at most one); null: unassigned' }),
    unread: z.int().min(0).meta({ description: 'Customer messages the caller has not read' }),
    lastMessage: z
      .object({
        messageId: z.string(),
        direction: z.enum(['inbound', 'outbound']),
        text: z.string().max(160).optional().meta({
          description:
            'The newest message\'s text, whole up to 160 characters, else its first 159 and "…"; absent on conversations whose newest message came before previews',
        }),
        status: z.enum(MESSAGE_STATUSES),
        errorCode: z
          .string()
          .optional()
          .meta({ description: "Twilio's error code when the newest message failed or was undelivered" }),
        at: Instant,
        channel: z.enum(CHANNEL_NAMES),
      })
      .optional()
      .meta({ description: 'The newest message and its delivery state, so an inbox shows a failed delivery' }),
    tags: z
      .array(z.string())
      .optional()
      .meta({ description: "The store's tags for the customer (`PUT /customers/{customerId}/tags`); absent: none" }),
  })
  .meta({ id: 'Conversation' });

export const Inbox = pageOf(Conversation)
  .extend({
    unreadTotal: z.int().min(0).meta({
      description:
        "The caller's unread customer messages beyond this page: the Store Inbox's over every conversation of the view; My Inbox's over the caller's 100 most recently active assigned conversations of the view",
    }),
  })
  .meta({ id: 'Inbox' });

export const Message = z
  .object({
    messageId: z.string(),
    conversationId: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    kind: z
      .enum([...CHANNEL_NAMES, 'note'])
      .optional()
      .meta({ description: '`note`: posted into the chat (e.g. a payment), nothing was sent' }),
    channel: z.enum(CHANNEL_NAMES).meta({ description: 'The channel it travelled on' }),
    text: z.string(),
    content: z
      .object({ templateId: z.string(), contentSid: z.string(), variables: z.record(z.string(), z.string()) })
      .optional()
      .meta({
        description: 'A WhatsApp template send: sent to Twilio as ContentSid + ContentVariables, never as Body',
      }),
    media: z.array(
      z.object({
        mediaKey: z.string(),
        contentType: z.string(),
        url: z
          .string()
          .optional()
          .meta({ format: 'uri', description: 'Short-lived download URL (an `available` item)' }),
        status: z.enum(MEDIA_STATUSES).meta({
          description:
            '`available`: in the images bucket (see `url`); `pending`: an inbound file still being copied from Twilio (the text is stored first); `unavailable`: an inbound file that could not be had (see `reason`)',
        }),
        unavailable: z
          .boolean()
          .optional()
          .meta({ description: 'An inbound file that could not be fetched from Twilio' }),
        reason: z
          .string()
          .optional()
          .meta({ description: 'Why an unavailable file could not be had (too large, timed out, refused)' }),
      }),
    ),
    sentBy: z.string().optional().meta({ description: 'The user who sent it (outbound)' }),
    twilioSid: z.string().optional(),
    status: z.enum(MESSAGE_STATUSES),
    errorCode: z
      .string()
      .optional()
      .meta({ description: "Twilio's error code of a failed or undelivered message, or OPTED_OUT" }),
    scheduledFor: Instant.optional().meta({
      description: 'When a scheduled message goes out (its sendAt, or the end of quiet hours)',
    }),
    createdAt: Instant,
  })
  .meta({ id: 'Message' });

export const Template = z
  .object({
    templateId: z.string(),
    name: z.string(),
    text: z.string().meta({ description: 'With `{{variable}}` placeholders' }),
    variables: z.array(z.string()),
  })
  .meta({ id: 'Template' });

export const WhatsAppTemplate = z
  .object({
    templateId: z.string(),
    contentSid: z.string().meta({ description: "Twilio's Content SID (HX…)" }),
    name: z.string(),
    language: z.string().meta({ description: "WhatsApp's language code, e.g. en or en_US" }),
    category: z
      .enum(TEMPLATE_CATEGORIES)
      .meta({ description: 'MARKETING templates never go to US numbers (Twilio 63049)' }),
    purpose: z.enum(TEMPLATE_PURPOSES),
    text: z.string().meta({ description: 'The approved text, with `{{1}}` or `{{name}}` placeholders' }),
    variables: z.array(z.string()).meta({ description: 'The placeholders, sent as ContentVariables' }),
    status: z.enum(TEMPLATE_STATUSES).meta({
      description: "WhatsApp's approval as Twilio's Content API last gave it; only APPROVED templates can be sent",
    }),
    statusCheckedAt: Instant.meta({ description: 'When the status was read from Twilio (on PUT, then every hour)' }),
  })
  .meta({ id: 'WhatsAppTemplate' });

export const ImageUpload = z
  .object({
    mediaKey: z.string().meta({ description: 'Send it as `mediaKey` once the image is uploaded' }),
    upload: z.object({
      url: z.string().meta({ format: 'uri' }),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()),
    }),
    maxBytes: z.int(),
    expiresInSeconds: z.int(),
  })
  .meta({ id: 'ImageUpload' });

// ── answer examples (test/unit/openapi.test.ts checks each against its answer's schema) ────────

const CONVERSATION_ID = '5f0c2a1e-8b7d-4c3a-9e6f-1a2b3c4d5e6f';

const conversationExample = {
  conversationId: CONVERSATION_ID,
  storeId: 'nyc-5th',
  customerId: '0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d',
  customer: { firstName: 'Ada', lastName: 'Lovelace', phone: '+12125550123' },
  optIn: 'OPTED_IN',
  whatsapp: { optIn: 'NONE', windowExpiresAt: null },
  lastActivityAt: '2026-03-14T15:02:10.000Z',
  archived: false,
  createdAt: '2026-03-14T14:58:00.000Z',
  assignee: 'ada-associate',
  unread: 1,
  lastMessage: {
    messageId: '00mmqgfaz44c1d2e3f4a5b',
    direction: 'inbound',
    text: 'YES',
    status: 'received',
    at: '2026-03-14T15:02:10.000Z',
    channel: 'sms',
  },
};

/** An associate's text, as POST …/messages answers it: recorded and on the sender queue. */
const queuedExample = {
  messageId: '00mmqgiy5ca1b2c3d4e5f6',
  conversationId: CONVERSATION_ID,
  direction: 'outbound',
  channel: 'sms',
  text: 'Hi Ada, the boots you asked about are back in your size.',
  media: [],
  sentBy: 'ada-associate',
  status: 'queued',
  createdAt: '2026-03-14T15:05:00.000Z',
};

/** The same text sent at 23:10 New York time: held until quiet hours end at 08:00 (12:00 UTC). */
const scheduledExample = {
  ...queuedExample,
  messageId: '00mmr6fayob7c8d9e0f1a2',
  status: 'scheduled',
  scheduledFor: '2026-03-15T12:00:00.000Z',
  createdAt: '2026-03-15T03:10:00.000Z',
};

const optInExample = {
  messageId: '00mmqgal80f0e1d2c3b4a5',
  conversationId: CONVERSATION_ID,
  direction: 'outbound',
  channel: 'sms',
  text: 'Fifth Avenue: a store associate would like to text you about your shopping. Reply YES to chat with us. Reply STOP to opt out at any time. Msg & data rates may apply.',
  media: [],
  sentBy: 'ada-associate',
  status: 'queued',
  createdAt: '2026-03-14T14:58:30.000Z',
};

const TWIML = 'text/xml';
const notYours = 'No such conversation in your store';
const twilioSigned = 'The X-Twilio-Signature header is missing or does not match: nothing is stored';

export const operations: OperationDocs = {
  'POST /conversations': {
    tag: 'Conversations',
    summary: "Open the store's conversation with a customer",
    description:
      "One conversation per (store, customer). Marks the customer contacted on the store's outreach lists and puts the conversation in the caller's My Inbox.",
    example: { customerId: '0b6d7c8e-3f4a-4b1e-9c2d-5e6f7a8b9c0d' },
    answers: {
      200: { description: 'The conversation existed', schema: Conversation },
      201: { description: 'The conversation was created', schema: Conversation },
    },
    problems: { 403: 'The caller belongs to no store', 404: 'No such customer' },
  },
  'GET /inbox': {
    tag: 'Conversations',
    summary: 'My Inbox or the Store Inbox',
    description:
      "Newest activity first, with `unread` per conversation and `unreadTotal`. `scope=mine`: the conversations assigned to the caller; `scope=store`: every conversation of the store; `scope=unassigned`: the store's unassigned conversations whose customer waits for an answer (their first message since the store's last reply), the longest waiting first. `tag`: only those whose customer has that tag at the store (ignoring case); the filter applies to the page read, so a filtered page may hold fewer items than `limit`, even none, and still have a `nextCursor`. A page costs the same whatever the caller's history, filtered or not.",
    answers: {
      200: {
        description: 'A page of conversations',
        schema: Inbox,
        example: { items: [conversationExample], nextCursor: null, unreadTotal: 1 },
      },
    },
    problems: { 403: 'The caller belongs to no store' },
  },
  'PUT /conversations/{conversationId}/assignee': {
    tag: 'Conversations',
    summary: 'Assign or unassign a conversation',
    description:
      'A manager assigns anyone of the store (`GET /stores/{storeId}/staff`) or unassigns (`userId: null`); an associate takes an unassigned conversation for themselves or hands one of their own to a colleague. The first associate who sends in an unassigned conversation, or opens it from an outreach list, becomes its assignee. Each change is a `conversation.assigned` event.',
    example: { userId: 'ada-associate' },
    answers: { 200: { description: 'The conversation with its assignee', schema: Conversation } },
    problems: {
      403: 'An associate may not make this change',
      404: notYours,
      409: 'Others kept reassigning it meanwhile; try again',
      422: 'The user is not staff of the store',
    },
  },
  'GET /conversations/{conversationId}': {
    tag: 'Conversations',
    summary: 'Read a conversation',
    answers: { 200: { description: 'The conversation', schema: Conversation } },
    problems: { 404: notYours },
  },
  'GET /conversations/{conversationId}/messages': {
    tag: 'Messages',
    summary: "List a conversation's messages, newest first",
    answers: { 200: { description: 'A page of messages', schema: pageOf(Message) } },
    problems: { 404: notYours },
  },
  'DELETE /conversations/{conversationId}/messages/{messageId}': {
    tag: 'Messages',
    summary: 'Cancel a scheduled message',
    description: 'A message held by quiet hours or scheduled with `sendAt` is canceled while it is still `scheduled`.',
    answers: { 204: { description: 'Canceled (or canceled already)' } },
    problems: { 404: 'No such message in a conversation of your store', 409: 'The message has been sent already' },
  },
  'POST /conversations/{conversationId}/opt-in-request': {
    tag: 'Messages',
    summary: 'Send the opt-in request',
    description:
      'The only message allowed before the customer opts in on that channel. `{channel: "sms"}` (the default, also with no body): the opt-in text; `{channel: "whatsapp"}`: the approved `OPT_IN` WhatsApp template, sent as its Content SID.',
    body: { schema: OptInRequestBody, contentType: 'application/json', description: 'Optional' },
    answers: { 201: { description: 'The message sent', schema: Message, example: optInExample } },
    problems: {
      404: notYours,
      422: 'The customer opted out or already opted in on that channel, an earlier request of the last 24 h on it is unanswered, the store has not enabled WhatsApp, or no OPT_IN template is APPROVED',
    },
  },
  'POST /conversations/{conversationId}/messages': {
    tag: 'Messages',
    summary: 'Send a text, a template or an image',
    description:
      'Send exactly one of `{text}`, `{templateId, variables?}`, `{mediaKey, text?}` (an image: upload it first with POST /media/uploads) or, on `channel: "whatsapp"`, `{contentTemplateId, variables?}` (an APPROVED WhatsApp template, sent as ContentSid: 422 `template-not-approved` otherwise, 422 `marketing-to-us` for a MARKETING template to a US number). ' +
      'On WhatsApp, free text and media go only inside the 24-hour window (422 `window-closed` otherwise, unless `reconnectTemplateId` names an APPROVED RECONNECT template: it goes now and the text is `held` (202) until the customer answers, `failed` `WINDOW_NOT_REOPENED` after 24 h; a retry with the same Idempotency-Key answers the held text again and sends no second template); consent is per channel. Images: SMS (MMS) carries JPEG, PNG and GIF from US, CA and AU stores; WhatsApp JPEG, PNG and WebP from any store (422 `media-type` for another type). ' +
      'The message is recorded `queued` and handed to the sender queue; the request never waits for Twilio. ' +
      "Twilio's answer arrives on the message (`sent`, `delivered`, or `failed` with `errorCode`: Twilio's code such as 21211, 21408, 21610, 21612, 21614, " +
      'the last code after 15 minutes of throttling or outage, or UNKNOWN_OUTCOME) and as a `message.status` event. A refusal is never an error of this request.',
    example: { text: 'Hi Ada, the boots you asked about are back in your size.' },
    headers: {
      'Idempotency-Key': {
        description:
          'At most 255 characters. The same key from the same user on the same conversation answers the first message again (200) and sends nothing; with a different body it is a 422.',
        schema: { type: 'string', minLength: 1, maxLength: 255 },
      },
    },
    answers: {
      200: {
        description:
          'A repeat of an earlier request with the same Idempotency-Key: the first message, nothing sent again',
        schema: Message,
      },
      201: {
        description: 'The message, `queued`: recorded and on the sender queue',
        schema: Message,
        example: queuedExample,
      },
      202: {
        description:
          'The message is `scheduled`; `scheduledFor` says when it goes out (its `sendAt`, or the end of quiet hours). Or WhatsApp text `held` behind its RECONNECT template until the customer answers; `scheduledFor` is when it ends `failed` unanswered',
        schema: Message,
        example: scheduledExample,
      },
    },
    problems: {
      404: notYours,
      422: 'Refused: the customer has not opted in or opted out, images outside US/CA/AU, or an Idempotency-Key reused with another body',
    },
  },
  'POST /conversations/{conversationId}/read': {
    tag: 'Conversations',
    summary: 'Mark a conversation read for the caller',
    answers: { 200: { description: 'The conversation, with `unread` 0', schema: Conversation } },
    problems: { 404: notYours },
  },
  'GET /templates': {
    tag: 'Messages',
    summary: 'List the quick reply templates',
    answers: { 200: { description: 'Every template (nextCursor is always null)', schema: pageOf(Template) } },
  },
  'GET /whatsapp/templates': {
    tag: 'WhatsApp',
    summary: 'List the WhatsApp templates with their approval status',
    description:
      "Every registered template, by id, with WhatsApp's approval as last read from Twilio (`statusCheckedAt`); refreshed every hour.",
    answers: { 200: { description: 'A page of templates', schema: pageOf(WhatsAppTemplate) } },
  },
  'PUT /whatsapp/templates/{templateId}': {
    tag: 'WhatsApp',
    summary: 'Register or replace a WhatsApp template (admins)',
    description:
      "The template as created in Twilio's Content API. Its approval status is read from Twilio now and stored with it; nothing is stored when Twilio cannot be asked.",
    example: {
      contentSid: 'HX0123456789abcdef0123456789abcdef',
      name: 'Opt-in request',
      language: 'en',
      category: 'UTILITY',
      purpose: 'OPT_IN',
      text: 'Hi {{1}}, {{2}} would like to message you on WhatsApp. Reply YES to chat with us.',
      variables: ['1', '2'],
    },
    answers: {
      200: { description: 'Replaced, with the status Twilio gave now', schema: WhatsAppTemplate },
      201: { description: 'Created, with the status Twilio gave now', schema: WhatsAppTemplate },
    },
    problems: {
      422: 'Twilio has no content with this contentSid (the problem names `contentSid`)',
      503: {
        description: "Twilio's Content API did not answer: nothing was stored; try again after Retry-After",
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
      },
    },
  },
  'POST /media/uploads': {
    tag: 'Messages',
    summary: 'Get an upload URL for an image',
    description:
      'JPEG, PNG, GIF or WebP, at most 5 MB (SMS carries JPEG, PNG and GIF; WhatsApp JPEG, PNG and WebP). PUT the image to the URL, then send its `mediaKey`. `channel` (default `sms`) is the channel the image will go on: MMS carries images only from stores in the US, Canada and Australia, so an SMS upload elsewhere is refused here, before any upload; WhatsApp carries them from any country.',
    example: { contentType: 'image/jpeg' },
    answers: { 201: { description: 'Where to upload the image', schema: ImageUpload } },
    problems: {
      403: 'The caller belongs to no store',
      422: '`media-not-available`: the store is outside the US, Canada and Australia and the image would go by SMS/MMS; `media-type`: the channel does not carry this image type',
    },
  },
  'POST /webhooks/twilio/sms': {
    tag: 'Webhooks',
    summary: 'Inbound SMS/MMS from Twilio',
    description:
      "Twilio's messaging webhook for the store numbers. Opt-in/out keywords take effect here; each MessageSid is stored once however often Twilio delivers it.",
    signedBy: 'twilioSignature',
    body: {
      schema: InboundSms,
      contentType: 'application/x-www-form-urlencoded',
      description: "Twilio's form fields (MediaUrl0…, MediaContentType0… for MMS)",
    },
    answers: {
      200: {
        description:
          'Empty TwiML: the message is queued and applied in order; a HELP reply goes out through the REST API',
        contentType: TWIML,
        example: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
      },
    },
    problems: { 400: 'A field Twilio always sends is missing', 403: twilioSigned },
  },
  'POST /webhooks/twilio/status': {
    tag: 'Webhooks',
    summary: 'Delivery status callbacks from Twilio',
    description: 'Moves a message forward (queued, sent, delivered, undelivered, failed), never backwards.',
    signedBy: 'twilioSignature',
    body: {
      schema: StatusCallback,
      contentType: 'application/x-www-form-urlencoded',
      description: "Twilio's form fields",
    },
    answers: { 204: { description: 'Recorded (or ignored: a status not tracked, an unknown message)' } },
    problems: { 400: 'A field Twilio always sends is missing', 403: twilioSigned },
  },
};
