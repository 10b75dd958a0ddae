/**
 * Conversation rules, pure (no AWS, no I/O): opt-in keywords and the opt-in state machine,
 * template filling, unread arithmetic, the 4-calendar-month archive cutoff, the MMS country rule,
 * the limits of scheduled sends. Delivery statuses and carrier answers: ./delivery-rules.ts. Quiet
 * hours, the one rule here that needs a time zone's calendar, are in ./quiet-hours.ts, so a
 * bundle that never schedules a send does not load luxon (README, "Measured").
 */

export const OPT_IN_STATES = ['NONE', 'REQUESTED', 'OPTED_IN', 'OPTED_OUT'] as const;
export type OptInState = (typeof OPT_IN_STATES)[number];

// ── keywords ─────────────────────────────────────────────────────────────────────────────────

/** Keywords of docs/rules.md ("Messaging"): Twilio's own list for long codes. */
export const OPT_IN_KEYWORDS = ['YES', 'START', 'UNSTOP'] as const;
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

export type Keyword = { kind: 'opt-in' | 'opt-out' | 'help'; keyword: string } | { kind: 'none' };

/** A message is a keyword only when its whole text (any case, surrounding spaces ignored) is one. */
export function parseKeyword(text: string | undefined): Keyword {
  const word = (text ?? '').trim().toUpperCase();
  if ((OPT_IN_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-in', keyword: word };
  if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) return { kind: 'opt-out', keyword: word };
  if ((HELP_KEYWORDS as readonly string[]).includes(word)) return { kind: 'help', keyword: word };
  return { kind: 'none' };
}

// ── opt-in state machine ─────────────────────────────────────────────────────────────────────

export type OptInEvent =
  | { type: 'opt-in-request-sent' }
  | { type: 'keyword'; kind: 'opt-in' | 'opt-out' }
  | { type: 'twilio-21610' };

/**
 * The state after an event, or undefined when the event changes nothing (no history entry).
 * An opt-in request never overrides an opt-out or an opt-in: only the customer moves those.
 */
export function nextOptInState(current: OptInState, event: OptInEvent): OptInState | undefined {
  let next: OptInState;
  switch (event.type) {
    case 'opt-in-request-sent':
      next = current === 'NONE' ? 'REQUESTED' : current;
      break;
    case 'keyword':
      next = event.kind === 'opt-in' ? 'OPTED_IN' : 'OPTED_OUT';
      break;
    case 'twilio-21610':
      next = 'OPTED_OUT';
      break;
  }
  return next === current ? undefined : next;
}

/** Where a consent ledger entry came from. */
export const CONSENT_SOURCES = ['OPT_IN_REQUEST', 'KEYWORD', 'CARRIER', 'ERASURE'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** One opt-in request a day: an earlier request of the last 24 hours still waits for its answer. */
export const OPT_IN_REQUEST_WINDOW_HOURS = 24;
export const optInRequestCutoff = (now: Date): Date => new Date(now.getTime() - OPT_IN_REQUEST_WINDOW_HOURS * 3600_000);

/** `help`: the store's HELP text, owed to anyone who asks, but never to an opted-out number. */
export type SendKind = 'opt-in-request' | 'message' | 'help';

/** Why a send is refused in this state, or undefined when it may go out. */
export function sendRefusal(
  state: OptInState,
  kind: SendKind,
): { rule: 'opted-out' | 'not-opted-in' | 'already-opted-in'; detail: string } | undefined {
  if (state === 'OPTED_OUT') {
    return {
      rule: 'opted-out',
      detail:
        'The customer opted out of messages from this store (replied STOP or similar). Nothing can be sent until they text YES or START to opt in again.',
    };
  }
  if (kind === 'message' && state !== 'OPTED_IN') {
    return {
      rule: 'not-opted-in',
      detail:
        'The customer has not opted in yet. Send the opt-in request first (POST …/opt-in-request); messages can be sent once they answer YES.',
    };
  }
  if (kind === 'opt-in-request' && state === 'OPTED_IN') {
    return { rule: 'already-opted-in', detail: 'The customer has already opted in; send messages directly.' };
  }
  return undefined;
}

/** The opt-in request: names the store, says how to answer and how to stop. */
export function optInRequestText(storeName: string): string {
  return `${storeName}: a store associate would like to text you about your shopping. Reply YES to chat with us. Reply STOP to opt out at any time. Msg & data rates may apply.`;
}

// ── templates ────────────────────────────────────────────────────────────────────────────────

/** `{{name}}` placeholders: letters, digits and underscores. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export type FillResult = { ok: true; text: string } | { ok: false; missing: string[]; unknown: string[] };

/**
 * Fills a template. Every placeholder needs a non-blank value; a variable the template does not
 * have is refused too, so a typo in a variable name is caught rather than silently dropped.
 */
export function fillTemplate(text: string, variables: Readonly<Record<string, string>>): FillResult {
  const names = templateVariables(text);
  const missing = names.filter((n) => (variables[n] ?? '').trim() === '');
  const unknown = Object.keys(variables).filter((n) => !names.includes(n));
  if (missing.length > 0 || unknown.length > 0) return { ok: false, missing, unknown };
  return { ok: true, text: text.replace(PLACEHOLDER, (_, name: string) => variables[name]!.trim()) };
}

// ── inbox previews ───────────────────────────────────────────────────────────────────────────

/** How much of the newest message an inbox item shows: enough for a list row, never the whole of a long text. */
export const PREVIEW_CHARACTERS = 160;

/**
 * The inbox item's text of a message: whole up to 160 characters (code points, so an emoji is
 * never split), else its first 159 and "…".
 */
export function previewOf(text: string): string {
  const characters = Array.from(text);
  if (characters.length <= PREVIEW_CHARACTERS) return text;
  return `${characters.slice(0, PREVIEW_CHARACTERS - 1).join('')}…`;
}

// ── the unassigned queue ─────────────────────────────────────────────────────────────────────

/**
 * Since when the customer waits for an answer after this message (docs/rules.md, "Assignment"):
 * a customer message starts the wait unless one is waiting already; a message a store user
 * sends ends it; what the system sends (a HELP reply) and chat notes leave it as it was.
 */
export function waitingAfter(
  waitingSince: string | undefined,
  message: { direction: 'inbound' | 'outbound'; kind: string; sentBy?: string; createdAt: string },
): string | undefined {
  if (message.direction === 'inbound') return waitingSince ?? message.createdAt;
  const byStoreUser = message.kind !== 'note' && message.sentBy !== undefined && !message.sentBy.startsWith('system:');
  return byStoreUser ? undefined : waitingSince;
}

// ── unread ───────────────────────────────────────────────────────────────────────────────────

/**
 * Unread for one user in one conversation: customer messages (inbound) that arrived after the
 * user last read it. Messages associates send are not "unread" for anyone: the bubble is about
 * customers waiting for an answer.
 */
export const unreadCount = (inboundCount: number, readInbound: number): number =>
  Math.max(0, inboundCount - readInbound);

/** Inbox order: newest activity first, then by id so the order is total (stable pages). */
export function byNewestActivity(
  a: { lastActivityAt: string; conversationId: string },
  b: { lastActivityAt: string; conversationId: string },
): number {
  const ka = `${a.lastActivityAt}#${a.conversationId}`;
  const kb = `${b.lastActivityAt}#${b.conversationId}`;
  return ka < kb ? 1 : ka > kb ? -1 : 0;
}

// ── archiving ────────────────────────────────────────────────────────────────────────────────

export const ARCHIVE_AFTER_MONTHS = 4;

/**
 * Conversations whose last activity is strictly before this instant are archived. Calendar
 * months in UTC, clamped at month ends: 2026-06-30 → 2026-02-28, 2026-07-31 → 2026-03-31 (what
 * luxon's `minus({ months })` gives; the unit test compares them day by day). UTC has no time
 * zone rules, so plain Date arithmetic is exact here.
 */
export function archiveCutoff(now: Date): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - ARCHIVE_AFTER_MONTHS;
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDayOfMonth));
  return cutoff;
}

export const isDueForArchive = (lastActivityAt: string, now: Date): boolean =>
  lastActivityAt < archiveCutoff(now).toISOString();

// ── media ────────────────────────────────────────────────────────────────────────────────────

export const MMS_COUNTRIES = ['US', 'CA', 'AU'] as const;
export const canSendImages = (country: string): boolean =>
  (MMS_COUNTRIES as readonly string[]).includes(country.toUpperCase());

/** Every image type an upload may be, with its key's extension; each channel says which of them it carries (channels/). */
export const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
} as const;
export type ImageType = keyof typeof IMAGE_TYPES;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/**
 * Where a media item stands: `available` in the images bucket; `pending`, an inbound item the
 * media worker has yet to copy (the text is stored first); `unavailable`, an inbound item that
 * could not be had from Twilio (too large, timed out, refused), with the reason.
 */
export const MEDIA_STATUSES = ['available', 'pending', 'unavailable'] as const;
export type MediaStatus = (typeof MEDIA_STATUSES)[number];

/** An item's status, also for items stored before media had one (outbound uploads, older inbound copies). */
export const mediaStatusOf = (item: { status?: MediaStatus; unavailable?: boolean }): MediaStatus =>
  item.status ?? (item.unavailable ? 'unavailable' : 'available');

/** Shards of the last-activity index: spreads the archive sweep's reads (the 8 shards are worked at once). */
export const ACTIVITY_SHARDS = 8;

/** A stable shard for a conversation id (same id, same shard). */
export function activityShard(conversationId: string): number {
  let hash = 0;
  for (const ch of conversationId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % ACTIVITY_SHARDS;
}

// ── quiet hours and scheduled sends ──────────────────────────────────────────────────────────

/** How far ahead a message may be scheduled. */
export const MAX_SCHEDULE_DAYS = 30;
/** A customer's own message opens a window in which answers are not held by quiet hours. */
export const REPLY_WINDOW_HOURS = 24;
/** Why a message that could not go out at its release time failed: the customer had opted out. */
export const OPTED_OUT_AT_RELEASE = 'OPTED_OUT';

export interface QuietWindow {
  /** Store-local `HH:mm`. */
  start: string;
  end: string;
}

/** A `sendAt` is refused when it is more than 30 days after now. */
export const isTooFarAhead = (sendAt: Date, now: Date): boolean =>
  sendAt.getTime() - now.getTime() > MAX_SCHEDULE_DAYS * 24 * 3600_000;

/** Shards of the scheduled-messages due index: spreads a burst of messages scheduled for one minute. */
export const DUE_SHARDS = 8;

// ── Assignment (docs/rules.md, "Assignment") ────────────────────────────────────────────────

/**
 * Whether a store user may move a conversation's assignee from `current` to `to`: a manager
 * assigns or unassigns anyone; an associate takes an unassigned conversation for themselves or
 * hands one of their own to a colleague. Leaving it as it is is always allowed.
 */
export function mayAssign(input: {
  actor: string;
  isManager: boolean;
  current: string | null;
  to: string | null;
}): boolean {
  const { actor, isManager, current, to } = input;
  if (current === to || isManager) return true;
  if (current === null) return to === actor;
  return current === actor && to !== null;
}
