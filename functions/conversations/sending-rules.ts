/**
 * The sender's rules, pure (no AWS, no I/O): which queue a send takes, how a number is paced,
 * how long a retry waits and when retrying stops, and the circuit breaker that stops calling
 * Twilio while it is down (docs/delivery-guarantees.md, "Sending").
 */
/**
 * `interactive`: an associate's 1:1 message, an opt-in request, a cart link, a receipt, a HELP
 * reply — someone is waiting for it. `bulk`: scheduled and quiet-hours releases, reminders.
 * Each has its queue, and interactive sends may book a number's pace further ahead than bulk.
 */
export type SendPriority = 'interactive' | 'bulk';

/** Twilio's throttling, 5xx and timeouts are retried this long after the first try, then the message fails with the last code. */
export const RETRY_WINDOW_MS = 15 * 60_000;
/** The longest single wait between tries (SQS DelaySeconds allows 900). */
export const MAX_RETRY_DELAY_SECONDS = 300;
/**
 * A message recorded `queued` is in the due index this long after it was recorded (or last
 * handed to the queue): the outbox. Normally the sender settles it well before; if the enqueue
 * after the write was lost (the process died in between), the scheduled-sender puts it on the
 * queue again when this has passed.
 */
export const OUTBOX_GRACE_SECONDS = 120;
/**
 * A claim (taken right before the Twilio call) that is this old without a SID belongs to a
 * sender that died before, during or after the call. It is far longer than any call can last
 * (messenger.ts TWILIO_TIMEOUT_MS, inside the sender's timeout), so by then Twilio's message list
 * is the answer: the message is there (its SID is recorded; it is not sent again) or it is not
 * (the claim is dropped and the message queued again). Only when the list cannot be read for the
 * whole retry window does it end `failed` with UNKNOWN_OUTCOME, never sent again blindly.
 */
export const CLAIM_TIMEOUT_SECONDS = 300;
export const UNKNOWN_OUTCOME = 'UNKNOWN_OUTCOME';
/** Held WhatsApp text the customer did not answer within its hold (docs/rules.md, "WhatsApp"): it ends `failed` with this. */
export const WINDOW_NOT_REOPENED = 'WINDOW_NOT_REOPENED';
/** How long WhatsApp text waits `held` for the customer to reopen the window. */
export const HOLD_HOURS = 24;

/**
 * Codes of a try that got no answer (a timeout, a reset, a refused connection): Twilio may have
 * taken the message, so the next try looks in its list first (hand-over.ts).
 */
const NO_ANSWER_CODES: ReadonlySet<string> = new Set(['CARRIER_TIMEOUT', 'CARRIER_UNREACHABLE', 'SEND_FAILED']);
export const mayHaveBeenTaken = (lastErrorCode: string | undefined): boolean =>
  lastErrorCode !== undefined && NO_ANSWER_CODES.has(lastErrorCode);

/** A message as the carrier's list shows it. */
export interface CarrierMessage {
  sid: string;
  body: string;
  createdAt: Date;
}

/** How far the carrier's clock may be behind ours when a claim is matched to a message it took. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Which of the carrier's recent messages (same sender and recipient) is the claimed one: the same
 * body, created no earlier than the claim (less the clock skew). The most recent of several; none
 * when the carrier never took it.
 */
export function takenByCarrier(
  messages: readonly CarrierMessage[],
  claimed: { body: string; claimedAt: string },
): string | undefined {
  const since = Date.parse(claimed.claimedAt) - CLOCK_SKEW_MS;
  const same = messages.filter((m) => m.body === claimed.body && m.createdAt.getTime() >= since);
  return same.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0]?.sid;
}

/** How far ahead of now each priority may book a number's next slot; beyond it the message waits on the queue. */
const BOOKING_HORIZON_MS: Record<SendPriority, number> = { interactive: 10_000, bulk: 1_000 };

/**
 * A sending number's pace as a GCRA (generic cell rate algorithm): `nextSlotAt` is the earliest
 * time the number may send again. Booking takes the slot at max(now, nextSlotAt) and moves
 * `nextSlotAt` one interval on. An interactive send may book up to 10 s ahead (and waits for its
 * slot in the worker); a bulk send only up to 1 s, so under a steady bulk load the slots ahead
 * stay free for associates' messages: they go ahead of bulk work on the same number.
 */
export function pace(input: {
  now: number;
  nextSlotAt: number | undefined;
  intervalMs: number;
  priority: SendPriority;
}): { book: { slotAt: number; nextSlotAt: number } } | { waitMs: number } {
  const slotAt = Math.max(input.now, input.nextSlotAt ?? input.now);
  const ahead = slotAt - input.now;
  const horizon = BOOKING_HORIZON_MS[input.priority];
  if (ahead <= horizon) return { book: { slotAt, nextSlotAt: slotAt + input.intervalMs } };
  return { waitMs: ahead - horizon };
}

/**
 * The wait before try `attempt + 1` (attempt counts from 1): exponential from `baseSeconds`,
 * capped at 5 minutes, with equal jitter so that a burst throttled together does not come back
 * together. `undefined` once the next try would start after the 15-minute window: give up.
 */
export function retryDelaySeconds(input: {
  attempt: number;
  firstAttemptAt: number;
  now: number;
  baseSeconds: number;
  random?: () => number;
}): number | undefined {
  const ceiling = Math.min(MAX_RETRY_DELAY_SECONDS, input.baseSeconds * 2 ** (input.attempt - 1));
  const delay = Math.max(1, Math.round(ceiling / 2 + (ceiling / 2) * (input.random ?? Math.random)()));
  if (input.now + delay * 1000 - input.firstAttemptAt > RETRY_WINDOW_MS) return undefined;
  return delay;
}

/**
 * Stops calling Twilio while it is down: after `threshold` failures in a row that mean "not
 * now" (throttled, 5xx, no answer), the breaker opens for `openMs`; then one call is let through
 * (half-open) and its outcome closes or re-opens it. Per sender container: each finds out on its
 * own within a few calls, without a shared read on every send.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold = 5,
    private readonly openMs = 30_000,
  ) {}

  /** 0 when a call may go now, else how long until the breaker lets one through. */
  waitMs(now: number): number {
    if (this.failures < this.threshold) return 0;
    if (now < this.openUntil) return this.openUntil - now;
    if (this.probing) return this.openMs;
    this.probing = true;
    return 0;
  }

  succeeded(): void {
    this.failures = 0;
    this.probing = false;
  }

  failed(now: number): void {
    this.failures++;
    this.probing = false;
    if (this.failures >= this.threshold) this.openUntil = now + this.openMs;
  }
}
