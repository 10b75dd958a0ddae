/**
 * The conversations capability's types: a conversation, a message and its media, an opt-in change,
 * a consent entry, a send's result, and the API's request schemas (the schemas are the types).
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { Cursor } from '../shared/pagination';
import { Id, Tag, Text } from '../shared/validation';
import { CHANNEL_NAMES, type ChannelName } from './channels/channel';
import type { MessageStatus } from './delivery-rules';
import type { ConsentSource, MediaStatus, OptInState, SendKind } from './rules';
import {
  CONTENT_SID,
  TEMPLATE_CATEGORIES,
  TEMPLATE_PURPOSES,
  type TemplateCategory,
  type TemplatePurpose,
  type TemplateStatus,
} from './whatsapp-rules';

export interface Conversation {
  conversationId: string;
  storeId: string;
  customerId: string;
  customer: { firstName?: string; lastName?: string; phone?: string };
  /** SMS consent. */
  optIn: OptInState;
  /**
   * WhatsApp consent and the 24-hour customer service window (docs/rules.md, "WhatsApp"):
   * `windowExpiresAt` is the customer's last WhatsApp message's receive time + 24 h, null before any.
   */
  whatsapp?: { optIn: OptInState; windowExpiresAt: string | null };
  /** WhatsApp text `held` until the customer reopens the window (docs/rules.md, "WhatsApp"). */
  heldMessageIds?: string[];
  lastActivityAt: string;
  archived: boolean;
  createdAt: string;
  /** Customer messages so far: per-user unread is this minus the user's read marker. */
  inboundCount: number;
  /** The one associate whose My Inbox holds it (docs/rules.md, "Assignment"); null: unassigned. */
  assignee: string | null;
  /** Since when the customer waits for an answer: their first message after the store's last reply (docs/rules.md, "Assignment"). */
  waitingSince?: string;
  /** When the customer last wrote: answers within 24 hours are not held by quiet hours. */
  lastInboundAt?: string;
  /** The newest message, so an inbox shows a failed delivery without opening the chat. */
  lastMessage?: LastMessage;
  /** The store's tags for the customer, copied here when set (docs/rules.md, "Notes and tags"); absent: none. */
  tags?: string[];
}

export interface LastMessage {
  messageId: string;
  direction: 'inbound' | 'outbound';
  /** Its text, at most 160 characters (rules.ts, previewOf); absent when the message predates it. */
  text?: string;
  status: MessageStatus;
  errorCode?: string;
  at: string;
  /** The channel it travelled on; absent on items older than WhatsApp: `sms`. */
  channel?: ChannelName;
}

export interface MediaItem {
  mediaKey: string;
  contentType: string;
  /** Short-lived presigned GET of the images bucket (absent on stored items). */
  url?: string;
  /** Absent on items stored before media had a status: `unavailable` when they say so, else `available`. */
  status?: MediaStatus;
  /** Inbound media that could not be fetched from Twilio: the text still counts. Kept beside `status` for older readers. */
  unavailable?: boolean;
  reason?: string;
}

export interface Message {
  messageId: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  /** The channel (`sms`, `whatsapp`) for what travels; `note` for entries posted into the chat without sending anything. */
  kind: ChannelName | 'note';
  /** The channel it travels on; every read fills it (absent on items older than WhatsApp: `sms`). */
  channel?: ChannelName;
  text: string;
  /** A WhatsApp template send: which template, its Content SID and variables (sent as ContentSid, never Body). */
  content?: { templateId: string; contentSid: string; variables: Record<string, string> };
  media: MediaItem[];
  sentBy?: string;
  twilioSid?: string;
  status: MessageStatus;
  errorCode?: string;
  /** A `scheduled` message: when the scheduled-sender releases it (its `sendAt`, or the end of quiet hours). */
  scheduledFor?: string;
  createdAt: string;
}

/** Which message: its conversation and id (status callbacks, the hand-over, the due index). */
export interface MessageRef {
  conversationId: string;
  messageId: string;
}

/** A scheduled message due for release, as the due index holds it. */
export interface DueMessage extends MessageRef {
  sendKind: SendKind;
}

/** One change of a conversation's opt-in state, as the consent ledger records it. */
export interface OptInChange {
  from: OptInState;
  to: OptInState;
  source: ConsentSource;
  at: string;
  messageSid?: string;
  userId?: string;
  /** The keyword the customer sent, for a KEYWORD change. */
  keyword?: string;
  /** The channel whose consent changed; absent on entries older than WhatsApp: `sms`. */
  channel?: ChannelName;
}

/** A ledger entry as the API shows it. */
export interface ConsentEntry {
  at: string;
  storeId: string;
  state: Exclude<OptInState, 'NONE'>;
  source: ConsentSource;
  /** The channel whose consent changed (`sms` for entries older than WhatsApp). */
  channel: ChannelName;
  keyword?: string;
  messageSid?: string;
  userId?: string;
}

export interface SendResult {
  message: Message;
  /** An Idempotency-Key seen before: this is the first send's message, and nothing was sent now. */
  replayed: boolean;
}

/** A quick reply template: English text and links, `{{variable}}` placeholders. */
export interface Template {
  templateId: string;
  name: string;
  text: string;
  variables: string[];
}

/**
 * A WhatsApp template (docs/rules.md, "WhatsApp templates"): Twilio Content API content the
 * retailer had WhatsApp approve, and its approval `status` as last read from Twilio at `statusCheckedAt`.
 */
export interface WhatsAppTemplate {
  templateId: string;
  contentSid: string;
  name: string;
  language: string;
  category: TemplateCategory;
  purpose: TemplatePurpose;
  text: string;
  variables: string[];
  status: TemplateStatus;
  statusCheckedAt: string;
}

/** `PUT /whatsapp/templates/{templateId}`: the template as registered at Twilio; the server reads its status. */
export const WhatsAppTemplateBody = /* @__PURE__ */ droppable(() =>
  z.strictObject({
    contentSid: z.string().check(z.regex(CONTENT_SID, 'a Twilio Content SID: HX and letters or digits, at most 64')),
    name: Text(200),
    /** WhatsApp's language codes: `en`, `en_US`, `pt_BR`, `fil`. */
    language: z.string().check(z.regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a WhatsApp language code such as en or en_US')),
    category: z.enum(TEMPLATE_CATEGORIES),
    purpose: z.enum(TEMPLATE_PURPOSES),
    text: Text(1024),
    variables: z.array(z.string().check(z.regex(/^[A-Za-z0-9_]{1,64}$/, 'letters, digits or _, at most 64'))).check(
      z.maxLength(100),
      z.refine((names) => new Set(names).size === names.length, 'each variable once'),
    ),
  }),
);
export type WhatsAppTemplateBody = z.infer<typeof WhatsAppTemplateBody>;

/** What one run of the scheduled-sender did. */
export interface ReleaseSummary {
  /** Scheduled messages whose time had come, now `queued` on the bulk sender queue. */
  released: number;
  /** Queued messages the sender queue lost track of (an enqueue that never happened), put on it again. */
  requeued: number;
  /** Ended `failed` at release (the customer opted out, or never opted in, meanwhile) or UNKNOWN_OUTCOME (a claim expired without a SID, and Twilio's list unreadable for the retry window). */
  failed: number;
  /** Claimed by a sender right now: looked at again once the claim could have expired. */
  waiting: number;
  /** Already sent, failed, canceled or gone: taken out of the due index. */
  settled: number;
  /** Left for the next run: this one's deadline came first, or the queue refused them. */
  leftover: number;
}

/** A conversation as the API answers it: with the caller's unread count. */
export interface ConversationView {
  conversationId: string;
  storeId: string;
  customerId: string;
  customer: Conversation['customer'];
  optIn: Conversation['optIn'];
  whatsapp: { optIn: OptInState; windowExpiresAt: string | null };
  lastActivityAt: string;
  archived: boolean;
  createdAt: string;
  assignee: string | null;
  unread: number;
  lastMessage?: LastMessage;
  tags?: string[];
}

// ── API requests ──────────────────────────────────────────────────────────────────────────────

export const InboxQuery = /* @__PURE__ */ droppable(() =>
  z.object({
    scope: z._default(z.enum(['mine', 'store', 'unassigned']), 'mine'),
    archived: z.pipe(
      z._default(z.enum(['true', 'false']), 'false'),
      z.transform((v) => v === 'true'),
    ),
    limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
    cursor: z.optional(Cursor),
    /** Only the conversations whose customer has this tag at the store (compared ignoring case). */
    tag: z.optional(Tag),
  }),
);
export type InboxQuery = z.infer<typeof InboxQuery>;

/** `PUT /conversations/{id}/assignee`: a store user's id, or null to unassign. */
export const AssigneeBody = /* @__PURE__ */ droppable(() => z.object({ userId: z.nullable(Id) }));

export const SendMessageBody = /* @__PURE__ */ droppable(() =>
  z
    .strictObject({
      text: z.optional(Text(1600)),
      templateId: z.optional(Id),
      variables: z.optional(z.record(z.string().check(z.maxLength(64)), Text(500))),
      /** `outbound/<storeId>/<uuid>.<ext>` as `POST /media/uploads` gave it: an id like any other. */
      mediaKey: z.optional(Id),
      /** A WhatsApp template (`PUT /whatsapp/templates/{id}`), sent as its Content SID: the one send a closed window allows. */
      contentTemplateId: z.optional(Id),
      /** The channel it goes on (default `sms`). */
      channel: z.optional(z.enum(CHANNEL_NAMES)),
      /** WhatsApp free text outside the window: this RECONNECT template goes now, the text is held until the customer answers. */
      reconnectTemplateId: z.optional(Id),
      /** Send no earlier than this (at most 30 days ahead); quiet hours still apply at that time. */
      sendAt: z.optional(z.iso.datetime({ offset: true })),
    })
    .check(
      z.superRefine((body, ctx) => {
        const { sendAt: _sendAt, ...content } = body;
        const templated = body.templateId !== undefined || body.contentTemplateId !== undefined;
        const modes = [
          content.text !== undefined && body.mediaKey === undefined,
          body.templateId !== undefined,
          body.contentTemplateId !== undefined,
          body.mediaKey !== undefined,
        ].filter(Boolean).length;
        if (modes !== 1 || (templated && body.text !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message:
              'send exactly one of {text}, {templateId, variables?}, {contentTemplateId, variables?} or {mediaKey, text?}',
          });
        }
        if (body.variables !== undefined && !templated)
          ctx.addIssue({
            code: 'custom',
            path: ['variables'],
            message: 'variables go with a templateId or contentTemplateId',
          });
        if (body.contentTemplateId !== undefined && body.channel !== 'whatsapp')
          ctx.addIssue({
            code: 'custom',
            path: ['channel'],
            message: 'a contentTemplateId is sent on channel "whatsapp"',
          });
        if (body.reconnectTemplateId !== undefined && (body.channel !== 'whatsapp' || templated))
          ctx.addIssue({
            code: 'custom',
            path: ['reconnectTemplateId'],
            message: 'a reconnectTemplateId goes with WhatsApp text or media (channel "whatsapp")',
          });
      }),
    ),
);
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/** `POST /conversations/{id}/opt-in-request`: the channel whose opt-in is asked for (default `sms`). */
export const OptInRequestBody = /* @__PURE__ */ droppable(() =>
  z.strictObject({ channel: z.optional(z.enum(CHANNEL_NAMES)) }),
);
export type OptInRequestBody = z.infer<typeof OptInRequestBody>;

/** The Idempotency-Key header: printable, at most 255 characters. */
export const IdempotencyKey = /* @__PURE__ */ droppable(() =>
  z.string().check(z.minLength(1), z.maxLength(255), z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')),
);

// ── Twilio's webhook requests ─────────────────────────────────────────────────────────────────

// Twilio's webhook posts (InboundSms, StatusCallback, StatusCallbackQuery): ./twilio-model.ts.
export type { InboundSms, StatusCallback, StatusCallbackQuery } from './twilio-model';
