/**
 * The load the deployed limits are sized for (README, "Capacity"): one retailer with 500 stores
 * and 25,000 associates, most of them on shift at the same time. Every throttle and reserved
 * concurrency in the stack is derived here, so a bigger retailer changes these numbers only.
 *
 * Rates are requests per second at the busiest hour; each limit leaves 2x headroom, and bursts
 * (API Gateway's token bucket) take 2x the rate, so a shift change or a reconnect wave passes.
 */
import type { RouteSpec } from './function-spec';

export const LOAD_MODEL = {
  stores: 500,
  associates: 25_000,
  /** Share of associates with the app open at the busiest hour. */
  onlineShare: 0.6,
  /** An open app refreshes its inbox about every 30 s (the WebSocket pushes changes; this is the safety net). */
  inboxRefreshSeconds: 30,
  /** Messages an online associate sends per minute at the busiest hour (6 an hour). */
  sendsPerAssociateMinute: 0.1,
  /** Twilio calls back per outbound message (sent, delivered) and per inbound one. */
  webhookCallsPerMessage: 2,
  /** Inbound messages per outbound one (replies). */
  inboundPerOutbound: 0.5,
} as const;

const online = LOAD_MODEL.associates * LOAD_MODEL.onlineShare;
const HEADROOM = 2;

/** Expected busiest-hour rates (requests/s) of each kind of route. */
export const EXPECTED_RPS = {
  /** Inbox, conversation and message reads: one refresh per online associate per period, ~2 calls each. */
  reads: (online / LOAD_MODEL.inboxRefreshSeconds) * 2,
  /** Sends, reads marked, cart edits: a few writes per message sent. */
  writes: ((online * LOAD_MODEL.sendsPerAssociateMinute) / 60) * 3,
  /** Twilio: status callbacks and inbound messages. */
  twilio:
    ((online * LOAD_MODEL.sendsPerAssociateMinute) / 60) *
    (LOAD_MODEL.webhookCallsPerMessage + LOAD_MODEL.inboundPerOutbound),
  /** Cart pages opened by customers and payments: a fraction of messages carry a link. */
  customers: ((online * LOAD_MODEL.sendsPerAssociateMinute) / 60) * 0.2,
  /** Head office: campaigns, stores, customers, reports. */
  admin: 5,
} as const;

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

const limit = (rps: number): Throttle => {
  const rateLimit = Math.ceil((rps * HEADROOM) / 10) * 10;
  return { rateLimit, burstLimit: rateLimit * 2 };
};

export const THROTTLES = {
  reads: limit(EXPECTED_RPS.reads),
  writes: limit(EXPECTED_RPS.writes),
  twilio: limit(EXPECTED_RPS.twilio),
  customers: limit(Math.max(EXPECTED_RPS.customers, 10)),
  admin: limit(EXPECTED_RPS.admin),
} as const;

/** API Gateway's own account-level ceiling per region (a quota increase raises it). */
export const ACCOUNT_BURST_LIMIT = 5_000;

/** The stage's default for any route without its own setting: the sum of what the routes may take. */
export const STAGE_THROTTLE: Throttle = (() => {
  const all = limit(
    EXPECTED_RPS.reads + EXPECTED_RPS.writes + EXPECTED_RPS.twilio + EXPECTED_RPS.customers + EXPECTED_RPS.admin,
  );
  return { rateLimit: all.rateLimit, burstLimit: Math.min(all.burstLimit, ACCOUNT_BURST_LIMIT) };
})();

/**
 * Webhook concurrency set aside (Lambda reserved concurrency): Twilio's rate x ~0.3 s per call
 * x headroom; the payment provider's few calls a minute need 10.
 */
export const TWILIO_WEBHOOK_CONCURRENCY = Math.ceil((EXPECTED_RPS.twilio * 0.3 * HEADROOM) / 10) * 10;
export const PAYMENT_WEBHOOK_CONCURRENCY = 10;

/** Which budget a route draws on: head office's writes are few; store users' reads are many. */
export function throttleClass(route: Pick<RouteSpec, 'method' | 'path' | 'auth'>): keyof typeof THROTTLES {
  if (route.path.startsWith('/webhooks/twilio')) return 'twilio';
  if (route.auth === 'public') return 'customers';
  if (route.path.startsWith('/campaigns')) return 'admin';
  if (
    route.method !== 'GET' &&
    (route.path.startsWith('/customers') || (route.path.startsWith('/stores/{storeId}') && route.method === 'PUT'))
  )
    return 'admin';
  return route.method === 'GET' ? 'reads' : 'writes';
}

export const routeThrottle = (route: Pick<RouteSpec, 'method' | 'path' | 'auth'>): Throttle =>
  THROTTLES[throttleClass(route)];
