/**
 * Delivery rules, pure (no AWS, no I/O): message statuses and their order (status callbacks never
 * move a message backwards), and what a failed send means (refused for good, or worth a retry).
 */

export const MESSAGE_STATUSES = [
  'scheduled',
  'held',
  'queued',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'failed',
  'canceled',
  'received',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Status order: a callback may only raise the rank, so late or repeated callbacks never move a
 * message backwards. `read` (WhatsApp's read receipt) ranks above `delivered`. `undelivered` and
 * `failed` are terminal (rank above delivered: Twilio can report a failure after a delivery
 * receipt from the carrier, never the other way round). `held`: WhatsApp text waiting for the
 * customer to reopen the window (docs/rules.md, "WhatsApp").
 */
const STATUS_RANK: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  held: 0,
  queued: 1,
  sending: 2,
  sent: 2,
  delivered: 3,
  read: 4,
  undelivered: 5,
  failed: 5,
  canceled: 5,
  received: 1,
};

/** Twilio's callback status mapped to ours (`read` too); statuses we do not track are ignored. */
export function callbackStatus(twilioStatus: string): { status: MessageStatus; rank: number } | undefined {
  const s = twilioStatus.toLowerCase();
  const mapped: MessageStatus | undefined =
    s === 'accepted' || s === 'scheduled' || s === 'queued'
      ? 'queued'
      : s === 'sending'
        ? 'sent'
        : (MESSAGE_STATUSES as readonly string[]).includes(s) && s !== 'received' && s !== 'canceled' && s !== 'held'
          ? (s as MessageStatus)
          : undefined;
  return mapped ? { status: mapped, rank: STATUS_RANK[s]! } : undefined;
}

export const statusRank = (status: string): number => STATUS_RANK[status] ?? 0;

/** Twilio: "Attempt to send to unsubscribed recipient" — the customer opted out at the carrier. */
export const OPTED_OUT_ERROR_CODE = 21610;
/** Twilio: too many requests for this account. */
export const THROTTLED_ERROR_CODE = 20429;
/** Twilio: the WhatsApp sender's rate limit was reached (retried as 20429 is). */
export const WHATSAPP_THROTTLED_ERROR_CODE = 63018;

/** What a failed send means for the message (the sender records it; the API has answered long before). */
export type CarrierFailure =
  /** Twilio will never send this: the message is `failed` for good with the code. */
  | { kind: 'refused'; errorCode: string }
  /** Twilio throttled, failed or did not answer in time: the sender tries again with backoff, up to 15 minutes. */
  | { kind: 'unavailable'; errorCode: string };

/**
 * Sorts a failed send: 20429 and 63018, HTTP 429 and 5xx, an authentication failure (our configuration, not
 * the number) and no answer at all are worth retrying later; any other 4xx refuses this message
 * for good (21211 invalid number, 21408 region not enabled, 21610 opted out, 21612 not reachable
 * by SMS, 21614 not a mobile number, and any code Twilio adds).
 */
export function classifyCarrierFailure(failure: { code?: number; httpStatus?: number }): CarrierFailure {
  const { code, httpStatus } = failure;
  if (code === THROTTLED_ERROR_CODE || code === WHATSAPP_THROTTLED_ERROR_CODE || httpStatus === 429)
    return { kind: 'unavailable', errorCode: String(code ?? THROTTLED_ERROR_CODE) };
  if (httpStatus === undefined) return { kind: 'unavailable', errorCode: 'CARRIER_UNREACHABLE' };
  if (httpStatus >= 500 || httpStatus === 401 || httpStatus === 403)
    return { kind: 'unavailable', errorCode: code ? String(code) : `HTTP_${httpStatus}` };
  return { kind: 'refused', errorCode: code ? String(code) : `HTTP_${httpStatus}` };
}
