/**
 * What the local carrier knows of WhatsApp's 24-hour customer service window (docs/rules.md,
 * "The local carrier"): when each customer last wrote to a store on WhatsApp, as `POST /_local/sms`
 * posted it (its `receivedAt`, or now). Real WhatsApp knows this itself; the local carrier and
 * `/_local/sms` share one process, so this map is the whole of it. Free text to a customer whose
 * last message is older than 24 h is refused with 63016, as Twilio does.
 */
import { WHATSAPP_WINDOW_HOURS } from '../../functions/conversations/channels/whatsapp';

const lastInbound = new Map<string, number>();

/** A customer's WhatsApp message from `from` (`whatsapp:+…`) to `to`, received at `at`. */
export function heardOnWhatsApp(from: string, to: string, at: Date): void {
  const key = `${to}|${from}`;
  lastInbound.set(key, Math.max(lastInbound.get(key) ?? 0, at.getTime()));
}

/** Whether the store's sender `from` may send free text to `to` now: the customer wrote in the last 24 h. */
export function windowOpen(from: string, to: string, now: number): boolean {
  const at = lastInbound.get(`${from}|${to}`);
  return at !== undefined && now - at < WHATSAPP_WINDOW_HOURS * 3600_000;
}
