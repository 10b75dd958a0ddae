/**
 * THE manifest: every Lambda of the system, declared once. The CDK stack builds each function,
 * route, trigger, schedule, environment variable and grant from it (lib/constructs/), and the
 * local stack serves exactly the same table (lib/local/). Adding a route is one line here plus
 * its handler in the function's route table.
 *
 * This file imports nothing from CDK so that the local runtime can read it without synthesizing;
 * limits come from the load model (lib/load-model.ts).
 */

import { EVENT_SOURCE_KEYS } from '../functions/events/rules';
import { PAYMENT_WEBHOOK_CONCURRENCY, TWILIO_WEBHOOK_CONCURRENCY } from './load-model';

export type Capability = 'platform' | 'stores' | 'campaigns' | 'conversations' | 'carts' | 'events' | 'reports';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Access = 'read' | 'readWrite';

/** DynamoDB operations a function's code calls (what its bundle constructs; test/infra checks it). */
export type TableOperation =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'TransactWriteItems';

/**
 * The table grant of one function: the operations it calls (never Scan), and where the key
 * layout allows, the partition-key prefixes it may touch (IAM `dynamodb:LeadingKeys`; `*` is a
 * wildcard). `'read'` and `'readWrite'` are shorthands: GetItem, BatchGetItem, Query; and those
 * plus every write (still no Scan).
 */
export interface TableGrant {
  readonly operations: readonly TableOperation[];
  readonly leadingKeys?: readonly string[];
}
export type SecretName = 'twilio' | 'payment' | 'suppression';
export type ScheduleName = 'cart-sweeper' | 'conversation-archiver' | 'import-watchdog' | 'scheduled-sender';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/stores/{storeId}`. */
  readonly path: string;
  /** `jwt`: the Cognito authorizer (locally: a minted token) must pass. `public`: the handler checks its own signature or token. */
  readonly auth: 'jwt' | 'public';
}

const ops = (...operations: TableOperation[]): TableGrant => ({ operations });

/** What a function touches. Each key sets one environment variable (functions/shared/env-names.ts) and one grant. */
export interface Uses {
  readonly table?: Access | TableGrant;
  readonly uploads?: Access;
  readonly images?: Access;
  readonly importQueue?: 'send';
  /** Sends to the inbound FIFO queue (Twilio's inbound messages, grouped by conversation). */
  readonly inboundQueue?: 'send';
  readonly secrets?: readonly SecretName[];
  /** The public base URL of the HTTP API (links in SMS, Twilio signature checks). */
  readonly publicBaseUrl?: true;
  /** The payment provider's checkout URL template (`{token}`, `{amount}`, `{currency}`), when the deployment names one. */
  readonly paymentCheckoutUrl?: true;
  /** Creates the 00:00 schedule of a store time zone (EventBridge Scheduler, the stack's group) that runs the `zoneMidnights` function. */
  readonly zoneSchedules?: 'create';
  /** Puts events on the stack's event bus (live events for the retailer's systems). */
  readonly eventBus?: 'put';
  /** Posts to the WebSocket API's connections (its callback URL; execute-api:ManageConnections on that API only). */
  readonly webSocketConnections?: 'post';
  /** Verifies Cognito ID tokens itself (the user pool and app client ids; no grant: the keys are public). */
  readonly userPool?: 'verify';
}

/**
 * The environment bindings (functions/shared/env-names.ts keys) a `uses` block grants: what CDK's
 * bind() sets for the function, and all the local runtime lets it read, so a function that reads
 * something its manifest entry does not grant fails locally as it would on AWS.
 */
export function grantedBindings(uses: Uses): Set<string> {
  const granted = new Set<string>();
  if (uses.table) granted.add('table');
  if (uses.uploads) granted.add('uploads');
  if (uses.images) granted.add('images');
  if (uses.importQueue) granted.add('importQueue');
  if (uses.inboundQueue) granted.add('inboundQueue');
  if (uses.secrets?.includes('twilio')) granted.add('twilioSecret');
  if (uses.secrets?.includes('payment')) granted.add('paymentSecret');
  if (uses.publicBaseUrl) granted.add('publicBaseUrl');
  if (uses.paymentCheckoutUrl) granted.add('paymentCheckoutUrl');
  if (uses.zoneSchedules)
    for (const binding of ['zoneScheduleGroup', 'zoneScheduleTarget', 'zoneScheduleRole']) granted.add(binding);
  if (uses.secrets?.includes('suppression')) granted.add('suppressionSecret');
  if (uses.eventBus) granted.add('eventBus');
  if (uses.webSocketConnections) granted.add('webSocketCallbackUrl');
  if (uses.userPool) for (const binding of ['userPoolId', 'userPoolClientId']) granted.add(binding);
  return granted;
}

export interface FunctionSpec {
  /** CDK logical id and local name. */
  readonly id: string;
  readonly capability: Capability;
  /** Handler module, relative to the repo root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly routes?: readonly RouteSpec[];
  /**
   * Object-created events of the uploads bucket under these prefixes, for keys ending in
   * `suffix`. S3 invokes asynchronously: failed invocations are retried, then sent to the
   * async-failures queue (alarmed), and the import watchdog ends what they left PROCESSING.
   */
  readonly s3?: { readonly prefixes: readonly string[]; readonly suffix: string };
  /**
   * Consumes a queue (the import queue, or the inbound FIFO queue). `maxConcurrency` caps the
   * consumers the event source mapping runs at once (SQS alone would scale it to hundreds against
   * a table that takes a few thousand writes/s).
   */
  readonly sqs?: {
    readonly queue: QueueName;
    readonly batchSize: number;
    readonly maxBatchingWindowSeconds?: number;
    readonly maxConcurrency: number;
  };
  readonly schedule?: { readonly name: ScheduleName; readonly everyMinutes: number };
  /** The target of every zone's 00:00 schedule (created at run time through `uses.zoneSchedules`), with input `{time, timezone}`. */
  readonly zoneMidnights?: true;
  /**
   * Concurrency set aside for this function alone (and its ceiling): webhooks keep answering
   * while an import or a burst elsewhere uses the rest of the account's concurrency.
   */
  readonly reservedConcurrency?: number;
  /** Consumes the table's stream (new and old images), one shard's records in order, only records passing this filter. */
  readonly stream?: {
    readonly filters: ReadonlyArray<{
      readonly sortKeys: readonly string[];
      readonly sortKeyPrefixes: readonly string[];
      readonly eventNames: readonly string[];
    }>;
  };
  /** Serves these routes of the WebSocket API. */
  readonly webSocket?: { readonly routes: readonly ('$connect' | '$disconnect')[] };
  /** Serves API Gateway's `$default` route: every request that matches no other route. */
  readonly fallback?: true;
  readonly uses: Uses;
}

const jwt = (method: HttpMethod, path: string): RouteSpec => ({ method, path, auth: 'jwt' });
const open = (method: HttpMethod, path: string): RouteSpec => ({ method, path, auth: 'public' });

/**
 * Import queue: how often a chunk is tried before it goes to the DLQ (SQS maxReceiveCount). AWS
 * suggests at least 5 so that throttling or a slow dependency does not dead-letter a chunk.
 */
export const IMPORT_QUEUE_MAX_RECEIVES = 5;
/**
 * Writers at once: each writes ~1,000 items/s (25-item BatchWriteItem, 8 in flight), so 4 of them
 * meet the 4,000 write units/s a new on-demand table takes before it has scaled (README,
 * "Capacity"). Raise it with the table's warm throughput.
 */
export const WRITER_MAX_CONCURRENCY = 4;
/** Import queue visibility timeout: six times the writer's timeout, as AWS recommends. */
export const WRITER_TIMEOUT_SECONDS = 60;

export type QueueName = 'import' | 'inbound';
/** Inbound worker: media fetches are bounded (3 tries of 8 s each per item), so a minute covers a batch with room. */
export const INBOUND_WORKER_TIMEOUT_SECONDS = 60;
/** Inbound queue: tries before a message goes to its dead-letter queue (and, FIFO, stops holding its conversation back). */
export const INBOUND_QUEUE_MAX_RECEIVES = 5;
/**
 * Inbound workers at once: one batch per conversation (message group) in flight, so a burst over
 * many conversations is applied in parallel, while each message costs a handful of table writes.
 */
export const INBOUND_WORKER_MAX_CONCURRENCY = 50;

/**
 * The public cart page reads a share link, its cart and the store (name, currency, time zone):
 * never a customer, a conversation or a campaign, whatever a bug or an injected key asks for.
 */
export const CART_PAGE_KEYS = ['CARTLINK#*', 'CART#*', 'STORE#*'] as const;
/** The import's own partitions (functions/campaigns/repository.ts): campaigns, chunk counters, rejections, outreach entries. */
export const IMPORT_KEYS = ['CAMPAIGN#*', 'CHUNKS#*', 'REJECTIONS#*', 'OUTREACH#*'] as const;
/** The cart sweeper reads the expiry index and deletes carts, nothing else. */
export const CART_SWEEPER_KEYS = ['CARTEXP#*', 'CART#*'] as const;

export const FUNCTIONS = [
  // ── platform ────────────────────────────────────────────────────────────────────────────
  {
    id: 'UnknownRoutes',
    capability: 'platform',
    entry: 'functions/shared/unknown-route.handler.ts',
    description: 'Answers requests that match no route with a 404 problem, as the local stack does',
    memoryMb: 128,
    fallback: true,
    uses: {},
  },
  {
    id: 'ApiDescription',
    capability: 'platform',
    entry: 'functions/platform/openapi.handler.ts',
    description: 'Serves the OpenAPI description of every route (docs/openapi.json, generated by npm run openapi)',
    memoryMb: 128,
    routes: [open('GET', '/openapi.json')],
    uses: {},
  },

  // ── stores and customers ────────────────────────────────────────────────────────────────
  {
    id: 'StoresApi',
    capability: 'stores',
    entry: 'functions/stores/api.handler.ts',
    description: 'Stores and customers: registry, batch create, search',
    routes: [
      jwt('PUT', '/stores/{storeId}'),
      jwt('GET', '/stores/{storeId}'),
      jwt('GET', '/stores'),
      jwt('POST', '/customers'),
      jwt('POST', '/customers/batch'),
      jwt('GET', '/customers'),
      jwt('GET', '/customers/{customerId}'),
      jwt('PATCH', '/customers/{customerId}'),
      jwt('GET', '/customers/{customerId}/consent'),
      jwt('DELETE', '/customers/{customerId}'),
    ],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'TransactWriteItems'),
      zoneSchedules: 'create',
      inboundQueue: 'send',
    },
  },

  // ── campaigns and outreach lists ────────────────────────────────────────────────────────
  {
    id: 'CampaignsApi',
    capability: 'campaigns',
    entry: 'functions/campaigns/api.handler.ts',
    description: 'Campaigns (admin) and outreach lists (stores)',
    routes: [
      jwt('POST', '/campaigns'),
      jwt('GET', '/campaigns'),
      jwt('GET', '/campaigns/{campaignId}'),
      jwt('GET', '/campaigns/{campaignId}/rejections'),
      jwt('POST', '/campaigns/{campaignId}/enable'),
      jwt('POST', '/campaigns/{campaignId}/disable'),
      jwt('DELETE', '/campaigns/{campaignId}'),
      jwt('GET', '/stores/{storeId}/outreach-lists'),
      jwt('GET', '/stores/{storeId}/outreach-lists/{campaignId}'),
    ],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'),
      uploads: 'readWrite',
      importQueue: 'send',
    },
  },
  {
    id: 'CampaignImport',
    capability: 'campaigns',
    entry: 'functions/campaigns/import.handler.ts',
    description: 'Streams an uploaded campaign CSV, checks it, and queues chunks of rows',
    memoryMb: 512,
    timeoutSeconds: 900,
    s3: { prefixes: ['incoming/', 'campaigns/'], suffix: '.csv' },
    uses: {
      table: { ...ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'), leadingKeys: IMPORT_KEYS },
      uploads: 'read',
      importQueue: 'send',
    },
  },
  {
    id: 'OutreachWriter',
    capability: 'campaigns',
    entry: 'functions/campaigns/writer.handler.ts',
    description: 'Writes one chunk of campaign rows into outreach lists',
    memoryMb: 512,
    timeoutSeconds: WRITER_TIMEOUT_SECONDS,
    sqs: { queue: 'import', batchSize: 1, maxConcurrency: WRITER_MAX_CONCURRENCY },
    // Plus the customers' email look-ups (the writer resolves each row's customer).
    uses: {
      table: {
        ...ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'BatchWriteItem', 'TransactWriteItems'),
        leadingKeys: [...IMPORT_KEYS, 'CUSTEMAIL#*'],
      },
      importQueue: 'send',
    },
  },
  {
    id: 'ImportWatchdog',
    capability: 'campaigns',
    entry: 'functions/campaigns/watchdog.handler.ts',
    description: 'Finishes or fails imports that stopped making progress, so none stays PROCESSING',
    timeoutSeconds: 300,
    schedule: { name: 'import-watchdog', everyMinutes: 15 },
    // Plus its own index partition: the imports in progress, by last progress (gsi3).
    uses: {
      table: { ...ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem'), leadingKeys: [...IMPORT_KEYS, 'IMPORTS'] },
      importQueue: 'send',
    },
  },

  // ── conversations ───────────────────────────────────────────────────────────────────────
  {
    id: 'ConversationsApi',
    capability: 'conversations',
    entry: 'functions/conversations/api.handler.ts',
    description: 'Conversations, inboxes, messages, opt-in requests, templates, image uploads',
    routes: [
      jwt('POST', '/conversations'),
      jwt('GET', '/inbox'),
      jwt('GET', '/conversations/{conversationId}'),
      jwt('GET', '/conversations/{conversationId}/messages'),
      jwt('POST', '/conversations/{conversationId}/opt-in-request'),
      jwt('POST', '/conversations/{conversationId}/messages'),
      jwt('DELETE', '/conversations/{conversationId}/messages/{messageId}'),
      jwt('POST', '/conversations/{conversationId}/read'),
      jwt('GET', '/templates'),
      jwt('POST', '/media/uploads'),
    ],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems'),
      images: 'readWrite',
      secrets: ['twilio', 'suppression'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'TwilioWebhook',
    capability: 'conversations',
    entry: 'functions/conversations/twilio-webhook.handler.ts',
    description: 'Inbound SMS/MMS, opt-in/out keywords and delivery status callbacks from Twilio',
    timeoutSeconds: 30,
    reservedConcurrency: TWILIO_WEBHOOK_CONCURRENCY,
    routes: [open('POST', '/webhooks/twilio/sms'), open('POST', '/webhooks/twilio/status')],
    uses: {
      table: ops('GetItem', 'PutItem', 'UpdateItem', 'TransactWriteItems'),
      inboundQueue: 'send',
      secrets: ['twilio'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'InboundWorker',
    capability: 'conversations',
    entry: 'functions/conversations/inbound-worker.handler.ts',
    description:
      "Applies Twilio's inbound messages one at a time per conversation (media, keywords, unread counts, HELP replies), and customer erasures",
    timeoutSeconds: INBOUND_WORKER_TIMEOUT_SECONDS,
    sqs: { queue: 'inbound', batchSize: 10, maxConcurrency: INBOUND_WORKER_MAX_CONCURRENCY },
    uses: { table: 'readWrite', images: 'readWrite', secrets: ['twilio', 'suppression'], publicBaseUrl: true },
  },
  {
    id: 'ScheduledSender',
    capability: 'conversations',
    entry: 'functions/conversations/scheduled-sender.handler.ts',
    description: 'Every minute: sends scheduled messages and messages held by quiet hours whose time has come',
    timeoutSeconds: 60,
    schedule: { name: 'scheduled-sender', everyMinutes: 1 },
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'TransactWriteItems'),
      images: 'read',
      secrets: ['twilio'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'ConversationArchiver',
    capability: 'conversations',
    entry: 'functions/conversations/archiver.handler.ts',
    description: 'Archives conversations with no activity for 4 calendar months',
    timeoutSeconds: 900,
    schedule: { name: 'conversation-archiver', everyMinutes: 24 * 60 },
    uses: { table: ops('GetItem', 'Query', 'TransactWriteItems') },
  },

  // ── remote carts ────────────────────────────────────────────────────────────────────────
  {
    id: 'CartsApi',
    capability: 'carts',
    entry: 'functions/carts/api.handler.ts',
    description: 'Remote carts: items, delivery, sharing',
    routes: [
      jwt('GET', '/conversations/{conversationId}/cart'),
      jwt('PUT', '/conversations/{conversationId}/cart/items/{sku}'),
      jwt('DELETE', '/conversations/{conversationId}/cart/items/{sku}'),
      jwt('PUT', '/conversations/{conversationId}/cart/delivery'),
      jwt('POST', '/conversations/{conversationId}/cart/share'),
      jwt('DELETE', '/conversations/{conversationId}/cart'),
    ],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
      secrets: ['twilio'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'CartPage',
    capability: 'carts',
    entry: 'functions/carts/page.handler.ts',
    description: "The customer's cart page behind a shared link",
    routes: [open('GET', '/c/{token}')],
    uses: {
      table: { operations: ['GetItem'], leadingKeys: CART_PAGE_KEYS },
      publicBaseUrl: true,
      paymentCheckoutUrl: true,
    },
  },
  {
    id: 'PaymentWebhook',
    capability: 'carts',
    entry: 'functions/carts/payment-webhook.handler.ts',
    description: 'Signed payment notifications: marks the cart paid, posts the receipt',
    timeoutSeconds: 30,
    reservedConcurrency: PAYMENT_WEBHOOK_CONCURRENCY,
    routes: [open('POST', '/webhooks/payments')],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
      secrets: ['twilio', 'payment'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'CartSweeper',
    capability: 'carts',
    entry: 'functions/carts/sweeper.handler.ts',
    description: "Clears carts at 00:00 in each store's time zone, and every 15 minutes whatever is due",
    timeoutSeconds: 900,
    schedule: { name: 'cart-sweeper', everyMinutes: 15 },
    zoneMidnights: true,
    uses: { table: { ...ops('Query', 'BatchWriteItem'), leadingKeys: CART_SWEEPER_KEYS } },
  },

  // ── live events ─────────────────────────────────────────────────────────────────────────
  {
    id: 'WebSocketConnections',
    capability: 'events',
    entry: 'functions/events/websocket.handler.ts',
    description: 'WebSocket $connect (verifies the Cognito ID token) and $disconnect: the connections of each store',
    webSocket: { routes: ['$connect', '$disconnect'] },
    uses: { table: ops('GetItem', 'TransactWriteItems'), userPool: 'verify' },
  },
  {
    id: 'EventsPublisher',
    capability: 'events',
    entry: 'functions/events/publisher.handler.ts',
    description: "Committed changes become live events: to the event bus and to the store's WebSocket connections",
    timeoutSeconds: 30,
    stream: EVENT_SOURCE_KEYS,
    uses: { table: ops('GetItem', 'Query', 'TransactWriteItems'), eventBus: 'put', webSocketConnections: 'post' },
  },

  // ── reports ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'ReportsApi',
    capability: 'reports',
    entry: 'functions/reports/api.handler.ts',
    description: 'Campaign and store reports from attribution counters; campaign CSV exports',
    routes: [
      jwt('GET', '/campaigns/{campaignId}/report'),
      jwt('POST', '/campaigns/{campaignId}/exports'),
      jwt('GET', '/campaigns/{campaignId}/exports/{exportId}'),
      jwt('GET', '/stores/{storeId}/report'),
    ],
    uses: { table: ops('GetItem', 'PutItem', 'Query'), uploads: 'readWrite' },
  },
  {
    id: 'ExportWriter',
    capability: 'reports',
    entry: 'functions/reports/export-writer.handler.ts',
    description: "Streams a campaign's outreach lists into a CSV export in the uploads bucket",
    memoryMb: 512,
    timeoutSeconds: 900,
    s3: { prefixes: ['exports/requests/'], suffix: '.json' },
    uses: { table: ops('GetItem', 'PutItem', 'Query'), uploads: 'readWrite' },
  },
] as const satisfies readonly FunctionSpec[];

/** Every HTTP route with the function that serves it. */
export function routeTable(): Array<RouteSpec & { fn: FunctionSpec }> {
  return (FUNCTIONS as readonly FunctionSpec[]).flatMap((fn) => (fn.routes ?? []).map((r) => ({ ...r, fn })));
}

/** `GET /stores/{storeId}`: the API Gateway route key, which is also `event.routeKey`. */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;
