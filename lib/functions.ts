/**
 * THE manifest: every Lambda of the system, declared once. The CDK stack builds each function,
 * route, trigger, schedule, environment variable and grant from it (lib/constructs/), and the
 * local stack serves exactly the same table (lib/local/). Adding a route is one line here plus
 * its handler in the function's route table.
 *
 * This file imports nothing from CDK so that the local runtime can read it without synthesizing;
 * limits come from the load model (lib/load-model.ts), the shape of an entry from
 * lib/function-spec.ts, and the queues the `sqs` blocks consume are declared in lib/queues.ts.
 * Over 300 lines because it is one table: every function in one place is the point of it.
 */

import {
  CAMPAIGN_PREFIX,
  CHUNKS_PREFIX,
  IMPORTS_IN_PROGRESS,
  OPEN_OUTREACH_PREFIX,
  OUTREACH_PREFIX,
  REJECTIONS_PREFIX,
} from '../functions/campaigns/repository/keys';
import {
  CART_PREFIX,
  EXPIRY_PREFIX,
  LINK_PREFIX,
  REMINDER_DUE_PREFIX,
  REMINDER_PREFIX,
} from '../functions/carts/repository/keys';
import { CONVERSATION_PREFIX, WHATSAPP_TEMPLATES_PK } from '../functions/conversations/repository/keys';
import { EVENT_SOURCE_KEYS } from '../functions/events/rules';
import { EMAIL_PREFIX, STORE_PREFIX } from '../functions/stores/repository/keys';
import { STAFF_PREFIX } from '../functions/shared/staff';
import { TASK_DUE_PREFIX, TASK_PREFIX } from '../functions/tasks/repository/keys';
import type { FunctionSpec, HttpMethod, RouteSpec, TableGrant, TableOperation } from './function-spec';
import {
  PAYMENT_WEBHOOK_CONCURRENCY,
  TWILIO_SMS_WEBHOOK_CONCURRENCY,
  TWILIO_STATUS_WEBHOOK_CONCURRENCY,
  SENDER_CONCURRENCY,
  BULK_SENDER_CONCURRENCY,
  ATTRIBUTION_CONCURRENCY,
  EVENTS_PUBLISHER_CONCURRENCY,
  INBOUND_WORKER_CONCURRENCY,
  MEDIA_WORKER_CONCURRENCY,
  MEDIA_JOBS_PER_BATCH,
  OUTREACH_WRITER_CONCURRENCY,
  ERASURE_WORKER_CONCURRENCY,
  ARCHIVER,
  RELEASE,
} from './load-model';

// Importers outside lib/ (a handler, tests) read these from here.
export type { FunctionSpec } from './function-spec';

const ops = (...operations: TableOperation[]): TableGrant => ({ operations });
const jwt = (method: HttpMethod, path: string): RouteSpec => ({ method, path, auth: 'jwt' });
const open = (method: HttpMethod, path: string): RouteSpec => ({ method, path, auth: 'public' });
/**
 * The IAM leading-key pattern (`dynamodb:LeadingKeys`, StringLike) of every partition whose key
 * starts with `prefix`: the prefixes are the capabilities' own (functions/<capability>/repository/keys.ts),
 * so a grant and the keys a function builds cannot drift apart (the local runtime enforces them too).
 */
const under = (prefix: string): string => `${prefix}*`;

/** Import queue: tries before a chunk goes to the DLQ; the writer knows it too. */
export { IMPORT_QUEUE_MAX_RECEIVES } from '../functions/campaigns/chunk-queue';
/**
 * Writers at once: each writes ~1,000 items/s (25-item BatchWriteItem, 8 in flight), so 4 of them
 * meet the 4,000 write units/s a new on-demand table takes before it has scaled (lib/load-model.ts;
 * README, "Capacity"). Raise it with the table's warm throughput.
 */
export const WRITER_MAX_CONCURRENCY = OUTREACH_WRITER_CONCURRENCY;
/** Import queue visibility timeout: six times the writer's timeout, as AWS recommends. */
export const WRITER_TIMEOUT_SECONDS = 60;

/** Inbound worker: no media fetch on this path (the media worker copies it), so a minute covers a batch of table writes with room. */
export const INBOUND_WORKER_TIMEOUT_SECONDS = 60;
/** Inbound queue: tries before a message goes to its dead-letter queue (and, FIFO, stops holding its conversation back); the worker knows it too. */
export { INBOUND_QUEUE_MAX_RECEIVES } from '../functions/conversations/inbound-queue';
/**
 * Inbound workers at once: one batch per conversation (message group) in flight, so a burst over
 * many conversations is applied in parallel, while each message costs a handful of table writes
 * (the inbound peak x 0.25 s a message x headroom: lib/load-model.ts).
 */
export const INBOUND_WORKER_MAX_CONCURRENCY = INBOUND_WORKER_CONCURRENCY;
/**
 * Media worker: a message's items are fetched in parallel, each at most 3 tries of 8 s, and the
 * copies stop 15 s before the timeout (functions/conversations/copy-message-media.ts), so a job
 * of dead hosts ends in ~25 s with every item marked.
 */
export const MEDIA_WORKER_TIMEOUT_SECONDS = 60;
/** Media queue: the worker marks a dead host's items itself; only a table or bucket outage fails a job, so a few tries do. */
export const MEDIA_QUEUE_MAX_RECEIVES = 3;
/**
 * Erasure worker: one erasure a batch, which may rewrite a campaign's uploaded file and exports
 * (streamed through S3) besides the customer's conversations: five minutes leaves room for big files.
 */
export const ERASURE_WORKER_TIMEOUT_SECONDS = 300;
/** Erasure queue: tries before an erasure goes to its dead-letter queue; every step can run again, so a retry finishes the work. */
export { ERASURE_QUEUE_MAX_RECEIVES } from '../functions/customers/erasure-queue';
/** Attribution worker: a batch of 10 touches, each a few table requests (docs/reports.md). */
export const ATTRIBUTION_WORKER_TIMEOUT_SECONDS = 30;
/** Attribution queue: a touch fails only on a table error; its marker makes a retry count nothing twice. */
export const ATTRIBUTION_QUEUE_MAX_RECEIVES = 5;

/**
 * Sender: one batch hands up to 10 messages to Twilio in parallel, each call bounded by the
 * messenger's sender timeout (15 s, longer than a slow carrier's 10 s), so 30 s covers a batch.
 */
export const SENDER_TIMEOUT_SECONDS = 30;
/**
 * Sender queues: tries of the worker itself (a crash, a table error) before the dead-letter
 * queue. Twilio's own refusals and throttling never count here: the worker records them, and a
 * retry is a new, delayed message (functions/conversations/send-message.ts).
 */
export const SENDER_QUEUE_MAX_RECEIVES = 5;
/**
 * The public cart page reads a share link, its cart and the store (name, currency, time zone):
 * never a customer, a conversation or a campaign, whatever a bug or an injected key asks for.
 */
export const CART_PAGE_KEYS = [under(LINK_PREFIX), under(CART_PREFIX), under(STORE_PREFIX)];
/**
 * The import's own partitions (functions/campaigns/repository/keys.ts): campaigns, chunk counters,
 * rejections, outreach entries and the customers' open-outreach items written beside them.
 */
export const IMPORT_KEYS = [
  CAMPAIGN_PREFIX,
  CHUNKS_PREFIX,
  REJECTIONS_PREFIX,
  OUTREACH_PREFIX,
  OPEN_OUTREACH_PREFIX,
].map(under);
/** The WhatsApp templates' partition, and the staff records every store user's request writes (functions/shared/staff.ts). */
export const WHATSAPP_TEMPLATE_KEYS = [WHATSAPP_TEMPLATES_PK, under(STAFF_PREFIX)];
/**
 * The task-reminders schedule reads the tasks' due index and the carts' expiry index, reads
 * carts, and writes tasks; for the carts' reminders (functions/carts/cart-reminders.ts) it reads
 * their due index and items, the store, and sends into the conversation (its message, its
 * Idempotency-Key item), outside a WhatsApp window as the approved CART template (it reads the
 * templates' partition): never a customer.
 */
export const TASK_REMINDER_KEYS = [
  under(TASK_DUE_PREFIX),
  under(TASK_PREFIX),
  under(EXPIRY_PREFIX),
  under(CART_PREFIX),
  under(REMINDER_DUE_PREFIX),
  under(REMINDER_PREFIX),
  under(STORE_PREFIX),
  under(CONVERSATION_PREFIX),
  WHATSAPP_TEMPLATES_PK,
];
/** The cart sweeper reads the expiry index and deletes carts, nothing else. */
export const CART_SWEEPER_KEYS = [under(EXPIRY_PREFIX), under(CART_PREFIX)];

/**
 * What both senders touch: the message and its conversation (claim, SID, an opt-in request's
 * state), a number's pace item; presigned image URLs; Twilio; both queues (a delayed retry, a job
 * held by the breaker) and the attribution queue (each associate message's touch).
 */
const SENDER_USES = {
  table: ops('GetItem', 'UpdateItem', 'TransactWriteItems'),
  images: 'read',
  secrets: ['twilio'],
  publicBaseUrl: true,
  senderQueue: 'send',
  bulkSenderQueue: 'send',
  attributionQueue: 'send',
} as const;

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
    uses: { publicBaseUrl: true },
  },

  // ── stores ──────────────────────────────────────────────────────────────────────────────
  {
    id: 'StoresApi',
    capability: 'stores',
    entry: 'functions/stores/api.handler.ts',
    description: 'Stores: registry and staff',
    routes: [
      jwt('PUT', '/stores/{storeId}'),
      jwt('GET', '/stores/{storeId}'),
      jwt('GET', '/stores'),
      jwt('GET', '/stores/{storeId}/staff'),
    ],
    uses: {
      table: ops('GetItem', 'Query', 'UpdateItem', 'TransactWriteItems'),
      zoneSchedules: 'create',
      secrets: ['cursor'],
    },
  },

  // ── customers ───────────────────────────────────────────────────────────────────────────
  {
    id: 'CustomersApi',
    capability: 'customers',
    entry: 'functions/customers/api.handler.ts',
    description: 'Customers: create, batch create, search, change, consent ledger, erasure requests, notes and tags',
    routes: [
      jwt('POST', '/customers'),
      jwt('POST', '/customers/batch'),
      jwt('GET', '/customers'),
      jwt('GET', '/customers/{customerId}'),
      jwt('PATCH', '/customers/{customerId}'),
      jwt('GET', '/customers/{customerId}/consent'),
      jwt('DELETE', '/customers/{customerId}'),
      jwt('GET', '/customers/{customerId}/notes'),
      jwt('POST', '/customers/{customerId}/notes'),
      jwt('DELETE', '/customers/{customerId}/notes/{noteId}'),
      jwt('PUT', '/customers/{customerId}/tags'),
    ],
    uses: {
      // PutItem and DeleteItem: a store's notes (docs/rules.md, "Notes and tags").
      table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
      erasureQueue: 'send',
      secrets: ['cursor'],
    },
  },
  {
    id: 'ErasureWorker',
    capability: 'customers',
    entry: 'functions/customers/erasure-worker.handler.ts',
    heavy: ['s3-sdk'],
    description:
      'Erases customers (DELETE /customers/{id}): conversations, images, carts, outreach, campaign files and exports, then the customer',
    timeoutSeconds: ERASURE_WORKER_TIMEOUT_SECONDS,
    reservedConcurrency: ERASURE_WORKER_CONCURRENCY,
    sqs: { queue: 'erasure', batchSize: 1, maxConcurrency: ERASURE_WORKER_CONCURRENCY },
    uses: {
      table: ops(
        'GetItem',
        'BatchGetItem',
        'Query',
        'UpdateItem',
        'DeleteItem',
        'BatchWriteItem',
        'TransactWriteItems',
      ),
      // The images of the customer's messages are deleted.
      images: 'readWrite',
      // Campaign files and exports are rewritten without the customer's rows (and their older versions deleted).
      uploads: 'rewrite',
      // The ledger becomes a suppression record: a keyed hash of the phone.
      secrets: ['suppression'],
    },
  },

  // ── campaigns and outreach lists ────────────────────────────────────────────────────────
  {
    id: 'CampaignsApi',
    capability: 'campaigns',
    entry: 'functions/campaigns/api.handler.ts',
    heavy: ['s3-sdk'],
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
      secrets: ['cursor'],
    },
  },
  {
    id: 'CampaignImport',
    capability: 'campaigns',
    entry: 'functions/campaigns/import.handler.ts',
    heavy: ['s3-sdk'],
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
    reservedConcurrency: WRITER_MAX_CONCURRENCY,
    sqs: { queue: 'import', batchSize: 1, maxConcurrency: WRITER_MAX_CONCURRENCY },
    // Plus the customers' email look-ups (the writer resolves each row's customer).
    uses: {
      table: {
        ...ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'),
        leadingKeys: [...IMPORT_KEYS, under(EMAIL_PREFIX)],
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
      table: {
        ...ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem'),
        leadingKeys: [...IMPORT_KEYS, IMPORTS_IN_PROGRESS],
      },
      importQueue: 'send',
    },
  },

  // ── conversations ───────────────────────────────────────────────────────────────────────
  {
    id: 'ConversationsApi',
    capability: 'conversations',
    entry: 'functions/conversations/api.handler.ts',
    heavy: ['luxon', 's3-sdk'],
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
      jwt('PUT', '/conversations/{conversationId}/assignee'),
      jwt('GET', '/templates'),
      jwt('POST', '/media/uploads'),
    ],
    uses: {
      table: ops('GetItem', 'BatchGetItem', 'Query', 'UpdateItem', 'TransactWriteItems'),
      images: 'readWrite',
      secrets: ['suppression', 'cursor'],
      senderQueue: 'send',
    },
  },
  {
    id: 'Sender',
    capability: 'conversations',
    entry: 'functions/conversations/sender.handler.ts',
    heavy: ['s3-sdk', 'twilio-rest'],
    description:
      'Hands queued messages to Twilio: paced per sending number, retried with backoff, a circuit breaker while Twilio is down',
    timeoutSeconds: SENDER_TIMEOUT_SECONDS,
    reservedConcurrency: SENDER_CONCURRENCY,
    sqs: { queue: 'send', batchSize: 10, maxConcurrency: SENDER_CONCURRENCY },
    uses: SENDER_USES,
  },
  {
    id: 'BulkSender',
    capability: 'conversations',
    entry: 'functions/conversations/bulk-sender.handler.ts',
    heavy: ['s3-sdk', 'twilio-rest'],
    description: 'Hands bulk messages (scheduled releases, reminders) to Twilio, in the pacing room 1:1 messages leave',
    timeoutSeconds: SENDER_TIMEOUT_SECONDS,
    reservedConcurrency: BULK_SENDER_CONCURRENCY,
    sqs: { queue: 'send-bulk', batchSize: 10, maxConcurrency: BULK_SENDER_CONCURRENCY },
    uses: SENDER_USES,
  },
  {
    id: 'TwilioWebhook',
    capability: 'conversations',
    entry: 'functions/conversations/twilio-webhook.handler.ts',
    description:
      "Twilio's inbound SMS/MMS and opt-in/out keywords: checks the signature, records and queues each message",
    timeoutSeconds: 30,
    reservedConcurrency: TWILIO_SMS_WEBHOOK_CONCURRENCY,
    routes: [open('POST', '/webhooks/twilio/sms')],
    uses: {
      table: ops('GetItem', 'PutItem'),
      inboundQueue: 'send',
      secrets: ['twilio'],
      publicBaseUrl: true,
    },
  },
  {
    // Its own function and reservation: two callbacks per send can never take inbound's concurrency.
    id: 'TwilioStatusWebhook',
    capability: 'conversations',
    entry: 'functions/conversations/twilio-status.handler.ts',
    description: "Twilio's delivery status callbacks: checks the signature, moves the message's status forward",
    timeoutSeconds: 30,
    reservedConcurrency: TWILIO_STATUS_WEBHOOK_CONCURRENCY,
    routes: [open('POST', '/webhooks/twilio/status')],
    uses: {
      table: ops('GetItem', 'UpdateItem', 'TransactWriteItems'),
      secrets: ['twilio'],
      publicBaseUrl: true,
    },
  },
  {
    id: 'InboundWorker',
    capability: 'conversations',
    entry: 'functions/conversations/inbound-worker.handler.ts',
    heavy: ['luxon', 's3-sdk'],
    description:
      "Applies Twilio's inbound messages one at a time per conversation (media, keywords, unread counts, HELP replies)",
    timeoutSeconds: INBOUND_WORKER_TIMEOUT_SECONDS,
    reservedConcurrency: INBOUND_WORKER_MAX_CONCURRENCY,
    sqs: { queue: 'inbound', batchSize: 10, maxConcurrency: INBOUND_WORKER_MAX_CONCURRENCY },
    uses: {
      table: ops('GetItem', 'UpdateItem', 'TransactWriteItems'),
      images: 'readWrite',
      mediaQueue: 'send',
      senderQueue: 'send',
      attributionQueue: 'send',
      secrets: ['twilio', 'suppression'],
    },
  },
  {
    id: 'InboundMediaWorker',
    capability: 'conversations',
    entry: 'functions/conversations/media-worker.handler.ts',
    heavy: ['s3-sdk'],
    description:
      'Copies inbound MMS media into the images bucket (items in parallel, bounded and retried) and marks each item',
    timeoutSeconds: MEDIA_WORKER_TIMEOUT_SECONDS,
    memoryMb: 512,
    reservedConcurrency: MEDIA_WORKER_CONCURRENCY,
    sqs: { queue: 'media', batchSize: MEDIA_JOBS_PER_BATCH, maxConcurrency: MEDIA_WORKER_CONCURRENCY },
    // Reads and marks message items only (their conversation's partition).
    uses: {
      table: { ...ops('GetItem', 'UpdateItem'), leadingKeys: [under(CONVERSATION_PREFIX)] },
      images: 'readWrite',
      secrets: ['twilio'],
    },
  },
  {
    id: 'ScheduledSender',
    capability: 'conversations',
    entry: 'functions/conversations/scheduled-sender.handler.ts',
    heavy: ['twilio-rest'],
    description: 'Every minute: sends scheduled messages and messages held by quiet hours whose time has come',
    timeoutSeconds: RELEASE.timeoutSeconds,
    schedule: { name: 'scheduled-sender', everyMinutes: RELEASE.everyMinutes },
    uses: {
      // A claim that expired without a SID is looked up in Twilio's list (release-due.ts): the
      // Twilio secret, and, when Twilio had taken it, the sender's own after-send writes and touch.
      table: ops('GetItem', 'Query', 'UpdateItem', 'TransactWriteItems'),
      secrets: ['twilio'],
      senderQueue: 'send',
      bulkSenderQueue: 'send',
      attributionQueue: 'send',
    },
  },
  {
    id: 'ConversationArchiver',
    capability: 'conversations',
    entry: 'functions/conversations/archiver.handler.ts',
    description: 'Every 15 minutes: archives conversations with no activity for 4 calendar months',
    timeoutSeconds: ARCHIVER.timeoutSeconds,
    schedule: { name: 'conversation-archiver', everyMinutes: ARCHIVER.everyMinutes },
    uses: { table: ops('GetItem', 'Query', 'TransactWriteItems') },
  },
  {
    // Its own function: only it and its schedule hold the Twilio secret for the Content API, and
    // its table grant reaches the template partition and the staff records of the HTTP chain.
    id: 'WhatsAppTemplatesApi',
    capability: 'conversations',
    entry: 'functions/conversations/whatsapp-templates.handler.ts',
    heavy: ['twilio-rest'],
    description:
      "WhatsApp templates: admins register them (the approval read from Twilio's Content API), users list them",
    routes: [jwt('GET', '/whatsapp/templates'), jwt('PUT', '/whatsapp/templates/{templateId}')],
    uses: {
      table: { ...ops('Query', 'PutItem', 'UpdateItem'), leadingKeys: WHATSAPP_TEMPLATE_KEYS },
      secrets: ['twilio', 'cursor'],
    },
  },
  {
    id: 'WhatsAppTemplateRefresh',
    capability: 'conversations',
    entry: 'functions/conversations/whatsapp-template-refresh.handler.ts',
    heavy: ['twilio-rest'],
    description: "Every hour: reads each WhatsApp template's approval from Twilio's Content API again",
    timeoutSeconds: 120,
    schedule: { name: 'whatsapp-templates', everyMinutes: 60 },
    uses: { table: { ...ops('Query', 'UpdateItem'), leadingKeys: [WHATSAPP_TEMPLATES_PK] }, secrets: ['twilio'] },
  },

  // ── remote carts ────────────────────────────────────────────────────────────────────────
  {
    id: 'CartsApi',
    capability: 'carts',
    entry: 'functions/carts/api.handler.ts',
    heavy: ['luxon', 's3-sdk'],
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
      // Query: a WhatsApp share outside the window reads the templates for the approved CART one.
      table: ops('GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
      publicBaseUrl: true,
      senderQueue: 'send',
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
    heavy: ['luxon', 's3-sdk'],
    description: 'Signed payment notifications: marks the cart paid, posts the receipt',
    timeoutSeconds: 30,
    reservedConcurrency: PAYMENT_WEBHOOK_CONCURRENCY,
    routes: [open('POST', '/webhooks/payments')],
    uses: {
      table: ops('GetItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
      secrets: ['payment'],
      senderQueue: 'send',
    },
  },
  {
    id: 'CartSweeper',
    capability: 'carts',
    entry: 'functions/carts/sweeper.handler.ts',
    heavy: ['luxon'],
    description: "Clears carts at 00:00 in each store's time zone, and every 15 minutes whatever is due",
    timeoutSeconds: 900,
    schedule: { name: 'cart-sweeper', everyMinutes: 15 },
    zoneMidnights: true,
    uses: { table: { ...ops('Query', 'BatchWriteItem'), leadingKeys: CART_SWEEPER_KEYS } },
  },

  // ── follow-up tasks ─────────────────────────────────────────────────────────────────────
  {
    id: 'TasksApi',
    capability: 'tasks',
    entry: 'functions/tasks/api.handler.ts',
    description: 'Follow-up tasks: create, list by due time, close, snooze, reassign',
    routes: [jwt('POST', '/tasks'), jwt('GET', '/tasks'), jwt('PATCH', '/tasks/{taskId}')],
    // UpdateItem: every store user's request records them as staff (functions/shared/staff.ts).
    uses: { table: ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'), secrets: ['cursor'] },
  },
  {
    id: 'TaskReminders',
    capability: 'tasks',
    entry: 'functions/tasks/reminders.handler.ts',
    heavy: ['luxon', 's3-sdk'],
    description:
      'Every minute: CART_UNPAID tasks for shared carts an hour from expiry, task.due for every task due, then the cart reminders due',
    timeoutSeconds: 60,
    schedule: { name: 'task-reminders', everyMinutes: 1 },
    uses: {
      table: {
        ...ops('GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems'),
        leadingKeys: TASK_REMINDER_KEYS,
      },
      senderQueue: 'send',
    },
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
    heavy: ['luxon'],
    description: "Committed changes become live events: to the event bus and to the store's WebSocket connections",
    timeoutSeconds: 30,
    reservedConcurrency: EVENTS_PUBLISHER_CONCURRENCY,
    stream: EVENT_SOURCE_KEYS,
    // PutItem: the system tasks that follow committed changes (functions/tasks/system-tasks.ts).
    uses: {
      table: ops('GetItem', 'Query', 'PutItem', 'TransactWriteItems'),
      eventBus: 'put',
      webSocketConnections: 'post',
    },
  },

  // ── reports ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'ReportsApi',
    capability: 'reports',
    entry: 'functions/reports/api.handler.ts',
    heavy: ['s3-sdk'],
    description: 'Campaign and store reports from attribution counters; campaign CSV exports',
    routes: [
      jwt('GET', '/campaigns/{campaignId}/report'),
      jwt('POST', '/campaigns/{campaignId}/exports'),
      jwt('GET', '/campaigns/{campaignId}/exports/{exportId}'),
      jwt('GET', '/stores/{storeId}/report'),
    ],
    // UpdateItem: every store user's request records them as staff (functions/shared/staff.ts).
    uses: { table: ops('GetItem', 'PutItem', 'Query', 'UpdateItem'), uploads: 'readWrite' },
  },
  {
    id: 'AttributionWorker',
    capability: 'reports',
    entry: 'functions/reports/attribution-worker.handler.ts',
    description:
      "Applies each message's attribution: outreach contacted/replied, the associate's report counters, the last touch",
    timeoutSeconds: ATTRIBUTION_WORKER_TIMEOUT_SECONDS,
    reservedConcurrency: ATTRIBUTION_CONCURRENCY,
    sqs: { queue: 'attribution', batchSize: 10, maxConcurrency: ATTRIBUTION_CONCURRENCY },
    uses: { table: ops('GetItem', 'BatchGetItem', 'TransactWriteItems') },
  },
  {
    id: 'ExportWriter',
    capability: 'reports',
    entry: 'functions/reports/export-writer.handler.ts',
    heavy: ['s3-sdk'],
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
