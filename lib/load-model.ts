/**
 * The load the deployed limits are sized for (docs: the design's section 9; README, "Capacity"):
 * one retailer with 1,000 stores and 20,000 associates, 12,000 of them online at the busiest hour.
 * Every throttle, reserved concurrency and alarm threshold that depends on traffic is derived
 * here, so a bigger retailer changes these numbers only.
 *
 * Rates are requests per second at the busiest hour; each limit leaves 3x headroom, and bursts
 * (API Gateway's token bucket) take 2x the limit, so a shift change or a reconnect wave passes.
 */
import type { RouteSpec } from './function-spec';
import type { QueueSpec } from './queues';
import { ARCHIVER, RELEASE } from '../functions/conversations/sweeps';

export const LOAD_MODEL = {
  stores: 1_000,
  associates: 20_000,
  /** Associates with the app open at the busiest hour. */
  onlineAtPeak: 12_000,
  customers: 10_000_000,
  outboundPerDay: 2_000_000,
  inboundPerDay: 1_000_000,
  /** Inbound peaks (a campaign's replies): this many messages a second, for an hour. */
  inboundPeakPerSecond: 200,
  /** Twilio's status callbacks per message sent (sent, then delivered or failed). */
  statusCallbacksPerSend: 2,
  /** The hours of a day the chain trades (its stores' hours across its zones). */
  tradingHoursPerDay: 12,
  /** The busiest hour carries this many times an average trading hour's messages. */
  busiestHourFactor: 2,
  /** Conversations whose last activity passes the 4-month cutoff in one day (the archiver's daily intake). */
  conversationsQuietPerDay: 100_000,
  /** Messages held by quiet hours and released at 08:00 in one zone, within 30 minutes. */
  quietHoursRelease: { messages: 50_000, withinSeconds: 30 * 60 },
  /** An open app refreshes its inbox about every 30 s (the WebSocket pushes changes; this is the safety net), 2 calls each. */
  inboxRefreshSeconds: 30,
  callsPerInboxRefresh: 2,
  /** API writes per message sent (the send, a read mark, a cart edit). */
  writesPerSend: 3,
  /** Share of sent messages that carry a cart link a customer opens (then maybe pays). */
  cartLinkShare: 0.2,
  /** Head office: campaigns, stores, customers, reports (requests/s). */
  adminPerSecond: 5,
  /** A campaign file, and what a new on-demand table writes before it has scaled (write units/s). */
  campaignRows: 1_000_000,
  newTableWriteUnitsPerSecond: 4_000,
  /** How long an inbound message may wait before an associate should see it (the chat's promise). */
  inboundVisibleWithinSeconds: 60,
  /**
   * The UTC hours (from inclusive, to exclusive; may wrap midnight) when every store of the chain
   * is open, so an hour without inbound messages means something is broken, not that it is night.
   * 15:00–01:00 UTC is 11:00–21:00 US Eastern and 08:00–18:00 US Pacific (summer time); set it to the
   * retailer's zones.
   */
  allStoresOpenUtc: { from: 15, to: 1 },
  /** Share of inbound messages that carry MMS media (a job for the media worker each). */
  mmsShareOfInbound: 0.1,
  /** Table write units per message, inbound or outbound, all its items and index copies (transactions count twice). */
  writeUnitsPerMessage: 12,
  /** Table read units per store user's read call (an inbox page of 50 rows, eventually consistent). */
  readUnitsPerReadCall: 10,
} as const;

/** Every limit leaves this much room over the expected busiest-hour rate. */
export const HEADROOM = 3;
/** API Gateway's token bucket takes this many times the rate at once. */
const BURST_FACTOR = 2;
/**
 * Seconds a webhook invocation holds a Lambda instance at p99 (a cached secret, ≤ 3 DynamoDB
 * requests and one SQS send of a few ms each, and the odd cold start amortized): concurrency is the
 * route's admitted rate times this.
 */
export const WEBHOOK_SECONDS_PER_CALL = 0.3;

const SECONDS_PER_HOUR = 3_600;
const busiestHour = (perDay: number) =>
  (perDay / LOAD_MODEL.tradingHoursPerDay / SECONDS_PER_HOUR) * LOAD_MODEL.busiestHourFactor;

/**
 * Outbound messages handed to Twilio per second at the peak: the busiest hour, or the quiet-hours
 * release at 08:00, whichever is higher. The sender (queue consumer, Twilio's account rate) is sized
 * from this.
 */
export const PEAK_SENDS_PER_SECOND = Math.max(
  busiestHour(LOAD_MODEL.outboundPerDay),
  LOAD_MODEL.quietHoursRelease.messages / LOAD_MODEL.quietHoursRelease.withinSeconds,
);

/** Expected busiest-hour rates (requests/s) of each kind of route. */
export const EXPECTED_RPS = {
  /** Inbox, conversation and message reads: one refresh per online associate per period. */
  reads: (LOAD_MODEL.onlineAtPeak / LOAD_MODEL.inboxRefreshSeconds) * LOAD_MODEL.callsPerInboxRefresh,
  /** Sends, reads marked, cart edits: a few writes per message sent. */
  writes: PEAK_SENDS_PER_SECOND * LOAD_MODEL.writesPerSend,
  /** Twilio's inbound messages: the design's peak (a campaign's replies), far above the daily average. */
  twilioSms: Math.max(LOAD_MODEL.inboundPeakPerSecond, busiestHour(LOAD_MODEL.inboundPerDay)),
  /** Twilio's status callbacks: two per message sent. */
  twilioStatus: PEAK_SENDS_PER_SECOND * LOAD_MODEL.statusCallbacksPerSend,
  /** Cart pages opened by customers and payments: a fraction of messages carry a link. */
  customers: PEAK_SENDS_PER_SECOND * LOAD_MODEL.cartLinkShare,
  admin: LOAD_MODEL.adminPerSecond,
} as const;

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

const limit = (rps: number): Throttle => {
  const rateLimit = roundUp(rps * HEADROOM, 10);
  return { rateLimit, burstLimit: rateLimit * BURST_FACTOR };
};

export const THROTTLES = {
  reads: limit(EXPECTED_RPS.reads),
  writes: limit(EXPECTED_RPS.writes),
  twilioSms: limit(EXPECTED_RPS.twilioSms),
  twilioStatus: limit(EXPECTED_RPS.twilioStatus),
  customers: limit(EXPECTED_RPS.customers),
  admin: limit(EXPECTED_RPS.admin),
} as const;
export type ThrottleClass = keyof typeof THROTTLES;

/** API Gateway's own account-level ceilings per region (a quota increase raises them). */
export const ACCOUNT_RATE_LIMIT = 10_000;
export const ACCOUNT_BURST_LIMIT = 5_000;

/** The stage's default for any route without its own setting: the sum of what the routes may take. */
export const STAGE_THROTTLE: Throttle = (() => {
  const all = limit(Object.values(EXPECTED_RPS).reduce((sum, rps) => sum + rps, 0));
  return {
    rateLimit: Math.min(all.rateLimit, ACCOUNT_RATE_LIMIT),
    burstLimit: Math.min(all.burstLimit, ACCOUNT_BURST_LIMIT),
  };
})();

/**
 * Webhook concurrency set aside (Lambda reserved concurrency, also its ceiling): what the route's
 * throttle admits, times the seconds each call holds an instance. A route cannot pass more than
 * its throttle, so the function never needs more; inbound and status callbacks have a function
 * (and a reservation) each, so a flood of callbacks can never take inbound's instances.
 */
const concurrencyFor = (throttle: Throttle) => roundUp(throttle.rateLimit * WEBHOOK_SECONDS_PER_CALL, 10);
export const TWILIO_SMS_WEBHOOK_CONCURRENCY = concurrencyFor(THROTTLES.twilioSms);
export const TWILIO_STATUS_WEBHOOK_CONCURRENCY = concurrencyFor(THROTTLES.twilioStatus);
export const PAYMENT_WEBHOOK_CONCURRENCY = concurrencyFor(THROTTLES.customers);

/**
 * The sender (Twilio's Messages API behind the sender queues): seconds one hand-over holds an
 * instance (the Twilio call, ~0.3 s at Twilio's usual latency, plus the table writes).
 */
export const SECONDS_PER_HAND_OVER = 0.3;
/** The sender retries Twilio's throttling and outages this long (functions/conversations/sending-rules.ts RETRY_WINDOW_MS). */
export const SENDER_RETRY_WINDOW_SECONDS = 15 * 60;
/**
 * Sender instances set aside (and its ceiling): the outbound peak x the hand-over's time x
 * headroom. A Twilio stall makes each hand-over slower, and then the queue holds the messages:
 * the cap is what keeps a slow carrier from taking the account's concurrency.
 */
export const SENDER_CONCURRENCY = roundUp(PEAK_SENDS_PER_SECOND * SECONDS_PER_HAND_OVER * HEADROOM, 10);
/** Bulk senders at once: the quiet-hours release's rate (50k in 30 minutes) x the hand-over's time x headroom. */
export const BULK_SENDER_CONCURRENCY = roundUp(
  (LOAD_MODEL.quietHoursRelease.messages / LOAD_MODEL.quietHoursRelease.withinSeconds) *
    SECONDS_PER_HAND_OVER *
    HEADROOM,
  10,
);

/**
 * The erasure worker (functions/customers/erasure-worker.handler.ts): erasures are head office's
 * requests (`DELETE /customers/{id}`), a handful a day, each one long (a customer's conversations,
 * campaign files). Two at once, SQS's smallest consumer cap: a burst of requests waits in the
 * queue instead of taking the table or the account's pool from the message path.
 */
export const ERASURE_WORKER_CONCURRENCY = 2;

/**
 * The attribution worker (functions/reports/attribution-worker.handler.ts): every message handed
 * over or received is one touch of a few table requests (~0.05 s). Reserved (and its ceiling):
 * the inbound peak plus the outbound peak x the touch's time, without headroom: it is off the
 * message path, so a backlog delays report counters by seconds and never a message, and the
 * account's pool is better spent on the API.
 */
export const SECONDS_PER_TOUCH = 0.05;
export const ATTRIBUTION_CONCURRENCY = roundUp(
  (LOAD_MODEL.inboundPeakPerSecond + PEAK_SENDS_PER_SECOND) * SECONDS_PER_TOUCH,
  10,
);

// ── scheduled sweeps: the archiver and the scheduled-message release ─────────────────────────

/**
 * Seconds one DynamoDB request takes from a Lambda in the table's region: single-digit
 * milliseconds at p50; 10 ms leaves room for p99 and the SDK's own work.
 */
export const SECONDS_PER_TABLE_REQUEST = 0.01;
/** A scheduled run stops taking work this long before its timeout (functions/shared/schedule.ts STOP_BEFORE_TIMEOUT_MS). */
const STOP_BEFORE_TIMEOUT_SECONDS = 15;

/** The archiver's sizes (functions/conversations/sweeps.ts, where the function reads them). */
export { ARCHIVER };
/** Conversations one archiver run must archive: a day's intake over the day's runs. */
export const ARCHIVES_PER_RUN_NEEDED = Math.ceil(
  LOAD_MODEL.conversationsQuietPerDay / ((24 * 60) / ARCHIVER.everyMinutes),
);
/** Conversations one archiver run can archive before its deadline: in flight x working seconds / seconds each. */
export const ARCHIVES_PER_RUN_CAPACITY = Math.floor(
  (ARCHIVER.shardConcurrency * ARCHIVER.itemConcurrency * (ARCHIVER.timeoutSeconds - STOP_BEFORE_TIMEOUT_SECONDS)) /
    (ARCHIVER.requestsPerConversation * SECONDS_PER_TABLE_REQUEST),
);

/** The release's sizes (functions/conversations/sweeps.ts, where the function reads them). */
export { RELEASE };
/** Messages a minute the quiet-hours release needs: 50,000 in 30 minutes. */
export const RELEASES_PER_MINUTE_NEEDED = Math.ceil(
  (LOAD_MODEL.quietHoursRelease.messages / LOAD_MODEL.quietHoursRelease.withinSeconds) * 60,
);
/** Messages one release run (one minute) can release before its deadline. */
export const RELEASES_PER_RUN_CAPACITY = Math.floor(
  (RELEASE.shardConcurrency * RELEASE.itemConcurrency * (RELEASE.timeoutSeconds - STOP_BEFORE_TIMEOUT_SECONDS)) /
    (RELEASE.requestsPerMessage * SECONDS_PER_TABLE_REQUEST),
);

/** Which budget a route draws on: head office's writes are few; store users' reads are many. */
export function throttleClass(route: Pick<RouteSpec, 'method' | 'path' | 'auth'>): ThrottleClass {
  if (route.path === '/webhooks/twilio/status') return 'twilioStatus';
  if (route.path.startsWith('/webhooks/twilio')) return 'twilioSms';
  if (route.auth === 'public') return 'customers';
  if (route.path.startsWith('/campaigns')) return 'admin';
  if (route.path.startsWith('/whatsapp/templates') && route.method !== 'GET') return 'admin';
  if (
    route.method !== 'GET' &&
    (route.path.startsWith('/customers') || (route.path.startsWith('/stores/{storeId}') && route.method === 'PUT'))
  )
    return 'admin';
  return route.method === 'GET' ? 'reads' : 'writes';
}

export const routeThrottle = (route: Pick<RouteSpec, 'method' | 'path' | 'auth'>): Throttle =>
  THROTTLES[throttleClass(route)];

// ── alarm thresholds ─────────────────────────────────────────────────────────────────────────

const FIVE_MINUTES_S = 300;

/**
 * Age of the oldest message (ApproximateAgeOfOldestMessage) past which a queue's consumer is
 * failing or starved, by the queue's purpose:
 * - import: a 1M-row file written at a new table's 4,000 units/s takes ~250 s; 3x that, in whole
 *   5 minutes (15 minutes).
 * - inbound: an associate should see a customer's message within a minute; 3x that (3 minutes).
 * - send, send-bulk: a retry waits up to 5 minutes and retries stop 15 minutes after the first
 *   try, so a job older than 15 minutes means the sender is not keeping up (or is held by the
 *   circuit breaker for that long: Twilio is down).
 * - any other queue: its visibility timeout (six times its consumer's timeout): a message older
 *   than that has waited a whole retry cycle, so its consumer is not keeping up.
 */
export function oldestMessageAlarmSeconds(queue: Pick<QueueSpec, 'name' | 'visibilityTimeoutSeconds'>): number {
  switch (queue.name) {
    case 'import':
      return roundUp((LOAD_MODEL.campaignRows / LOAD_MODEL.newTableWriteUnitsPerSecond) * HEADROOM, FIVE_MINUTES_S);
    case 'inbound':
      return LOAD_MODEL.inboundVisibleWithinSeconds * HEADROOM;
    case 'send':
    case 'send-bulk':
      return SENDER_RETRY_WINDOW_SECONDS;
    default:
      return queue.visibilityTimeoutSeconds;
  }
}

/**
 * 4xx answers on a webhook route in 5 minutes that mean more than a stray bad request: 0.1% of the
 * route's expected 5-minute peak volume (Twilio signs every request and sends well-formed forms,
 * so a real client error is rare), at least 10. Throttles (429) are alarmed separately, at 1.
 */
export const webhookClientErrorsAlarm = (route: Pick<RouteSpec, 'method' | 'path' | 'auth'>): number => {
  const klass = throttleClass(route);
  const rps = klass === 'twilioSms' || klass === 'twilioStatus' ? EXPECTED_RPS[klass] : EXPECTED_RPS.customers;
  return Math.max(10, Math.ceil(rps * FIVE_MINUTES_S * 0.001));
};

// ── the table's warm throughput ──────────────────────────────────────────────────────────────

/**
 * What a new on-demand table takes at once before it has scaled (AWS's defaults, and the least
 * `warmThroughput` may name): 12,000 read and 4,000 write units/s.
 */
export const ON_DEMAND_DEFAULT_WARM = { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 4_000 } as const;

/** Messages per second at the peak, both ways: the inbound peak plus the outbound peak. */
export const PEAK_MESSAGES_PER_SECOND = EXPECTED_RPS.twilioSms + PEAK_SENDS_PER_SECOND;

/**
 * The warm throughput to give the table for go-live (`-c tableWarmReadUnits=… -c
 * tableWarmWriteUnits=…`; README, "Capacity"), so the first peak does not wait for on-demand to
 * scale: reads are the store users' read calls x the read units of each, writes the messages at
 * the peak x the write units of each; x3 headroom, in whole thousands, at least AWS's default.
 */
export const TABLE_WARM_THROUGHPUT = {
  readUnitsPerSecond: Math.max(
    ON_DEMAND_DEFAULT_WARM.readUnitsPerSecond,
    roundUp(EXPECTED_RPS.reads * LOAD_MODEL.readUnitsPerReadCall * HEADROOM, 1_000),
  ),
  writeUnitsPerSecond: Math.max(
    ON_DEMAND_DEFAULT_WARM.writeUnitsPerSecond,
    roundUp(PEAK_MESSAGES_PER_SECOND * LOAD_MODEL.writeUnitsPerMessage * HEADROOM, 1_000),
  ),
} as const;

// ── the queue and stream workers' reserved concurrency ──────────────────────────────────────

/**
 * Items one outreach writer keeps in flight per second (25-item BatchWriteItem, 8 at once), so
 * the writers at once are what a new on-demand table takes: 4,000 / 1,000 = 4. Raise the table's
 * warm throughput first, then this.
 */
export const WRITER_ITEMS_PER_SECOND = 1_000;
export const OUTREACH_WRITER_CONCURRENCY = LOAD_MODEL.newTableWriteUnitsPerSecond / WRITER_ITEMS_PER_SECOND;

/** Seconds the inbound worker spends applying one message (≤ 5 DynamoDB requests; a batch's messages go one after the other). */
export const SECONDS_PER_INBOUND_MESSAGE = 0.25;
/** Inbound workers at once (reserved, and the event source's cap): the inbound peak x the time per message x headroom. */
export const INBOUND_WORKER_CONCURRENCY = roundUp(EXPECTED_RPS.twilioSms * SECONDS_PER_INBOUND_MESSAGE * HEADROOM, 10);

/** Seconds one media batch holds an instance (its jobs side by side: fetch from Twilio, put to S3), and the jobs in a batch. */
export const SECONDS_PER_MEDIA_BATCH = 3;
export const MEDIA_JOBS_PER_BATCH = 5;
/** Media workers at once: MMS messages at the inbound peak / jobs per batch x the batch's time x headroom. */
export const MEDIA_WORKER_CONCURRENCY = roundUp(
  ((EXPECTED_RPS.twilioSms * LOAD_MODEL.mmsShareOfInbound) / MEDIA_JOBS_PER_BATCH) * SECONDS_PER_MEDIA_BATCH * HEADROOM,
  10,
);

/**
 * Seconds one publisher invocation takes (a batch of a few records at the peak: one PutEvents, one
 * connection query per audience, one post per connection in parallel).
 */
export const SECONDS_PER_PUBLISH = 0.1;
/** Changes that make a live event, per second at the peak: each inbound message, and each send's status changes. */
export const PEAK_EVENT_CHANGES_PER_SECOND =
  EXPECTED_RPS.twilioSms + PEAK_SENDS_PER_SECOND * LOAD_MODEL.statusCallbacksPerSend;
/**
 * Publishers at once: the changes at the peak x the time of an invocation (one record each, the
 * worst case) x headroom. The stream runs one batch per shard at a time, so this also caps the
 * shards read at once: more busy shards than this lag (the stream keeps them), never take the account.
 */
export const EVENTS_PUBLISHER_CONCURRENCY = roundUp(PEAK_EVENT_CHANGES_PER_SECOND * SECONDS_PER_PUBLISH * HEADROOM, 10);

/**
 * The account's Lambda concurrency quota this sizing assumes: AWS's default of 1,000 per region.
 * Lambda keeps 100 of it unreserved, so reservations may take 900 at most. A raise to 2,000 is
 * requested for go-live (README, "Capacity"), so the unreserved API keeps its headroom.
 */
export const ACCOUNT_CONCURRENCY = 1_000;
export const UNRESERVED_MINIMUM = 100;

/** Seconds an API call holds an instance (warm, a few DynamoDB requests); the API functions share the unreserved pool. */
export const API_SECONDS_PER_CALL = 0.05;
/** Instances the API needs at the expected peak (every route class but the webhooks, which reserve their own) x headroom. */
export const API_CONCURRENCY_AT_PEAK = roundUp(
  (EXPECTED_RPS.reads + EXPECTED_RPS.writes + EXPECTED_RPS.customers + EXPECTED_RPS.admin) *
    API_SECONDS_PER_CALL *
    HEADROOM,
  10,
);
