/**
 * What Twilio's webhooks post, checked with zod at the edge: an inbound message and a status
 * callback (with the ids a callback's URL carries). Apart from model.ts, so the webhooks and the
 * inbound worker build these schemas and not the API's request schemas (README, "Measured").
 */
import * as z from 'zod/mini';
import { droppable } from '../shared/droppable';
import { Id, MAX_ID_LENGTH } from '../shared/validation';

/**
 * A Twilio SID. Twilio's are two letters and 32 hex digits (`SM…`, `MM…`, `AC…`, `MG…`, 34
 * characters); letters, digits and `_` up to 64 are taken, so a longer format Twilio may adopt
 * is still stored, while a malformed one is a 400 (which Twilio does not retry) before any table
 * or queue call. The SID becomes a key and the inbound queue's deduplication id.
 */
const MAX_TWILIO_SID_LENGTH = 64;
const TwilioSid = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.minLength(2, 'at least 2 characters'),
      z.maxLength(MAX_TWILIO_SID_LENGTH, `at most ${MAX_TWILIO_SID_LENGTH} characters`),
      z.regex(/^[A-Za-z0-9_]+$/, 'a Twilio SID: letters, digits or "_"'),
    ),
);
/**
 * A Twilio address (`From`, `To`): an E.164 number, a short code or a channel address such as
 * `whatsapp:+1…`. It becomes a key and part of the inbound queue's message group, which SQS
 * allows only in printable ASCII: that, without spaces, up to the id bound.
 */
const TwilioAddress = /* @__PURE__ */ droppable(() =>
  z
    .string()
    .check(
      z.minLength(1, 'required'),
      z.maxLength(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters`),
      z.regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
    ),
);
/** Twilio takes a message of at most 1,600 characters; a character is at most two UTF-16 units. */
const MAX_INBOUND_BODY_LENGTH = 2 * 1600;

/** An inbound SMS/MMS as Twilio posts it (MediaUrl<i> and MediaContentType<i> come along). */
export const InboundSms = /* @__PURE__ */ droppable(() =>
  z.looseObject({
    MessageSid: TwilioSid,
    SmsSid: z.optional(TwilioSid),
    SmsMessageSid: z.optional(TwilioSid),
    AccountSid: z.optional(TwilioSid),
    MessagingServiceSid: z.optional(TwilioSid),
    From: TwilioAddress,
    To: TwilioAddress,
    Body: z._default(
      z.string().check(z.maxLength(MAX_INBOUND_BODY_LENGTH, `at most ${MAX_INBOUND_BODY_LENGTH} characters`)),
      '',
    ),
    NumMedia: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(10)), 0),
    /** WhatsApp: the payload of the quick-reply button the customer tapped (an opt-in template's YES). */
    ButtonPayload: z.optional(z.string().check(z.maxLength(MAX_INBOUND_BODY_LENGTH))),
  }),
);
export type InboundSms = z.infer<typeof InboundSms>;

export const StatusCallback = /* @__PURE__ */ droppable(() =>
  z.looseObject({
    MessageSid: TwilioSid,
    SmsSid: z.optional(TwilioSid),
    AccountSid: z.optional(TwilioSid),
    MessagingServiceSid: z.optional(TwilioSid),
    MessageStatus: Id,
    /** Twilio's error codes are numbers (30003); an empty one means none. */
    ErrorCode: z.optional(
      z.string().check(z.regex(/^[A-Za-z0-9]{0,16}$/, 'an error code: letters or digits, at most 16')),
    ),
  }),
);
export type StatusCallback = z.infer<typeof StatusCallback>;

/** Which message a callback is about: the ids in its URL (set at send time), else its SID. */
export const StatusCallbackQuery = /* @__PURE__ */ droppable(() =>
  z.object({
    conversationId: z.optional(Id),
    messageId: z.optional(Id),
  }),
);
export type StatusCallbackQuery = z.infer<typeof StatusCallbackQuery>;
