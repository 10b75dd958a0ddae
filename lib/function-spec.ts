/**
 * The shape of a manifest entry (lib/functions.ts): what a function is, what triggers it, and what
 * it touches (`uses`, which sets its environment and its grants together). CDK-free.
 */
import type { QueueName } from './queues';
export type Capability =
  | 'platform'
  | 'stores'
  | 'campaigns'
  | 'conversations'
  | 'carts'
  | 'tasks'
  | 'events'
  | 'reports'
  | 'customers';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Access = 'read' | 'readWrite';
/**
 * A bucket's grant: `read`, `readWrite`, or `rewrite`: read-write plus deleting older versions of
 * an object (an erasure rewrites stored CSVs and must not leave the old version behind).
 */
export type BucketAccess = Access | 'rewrite';

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
export type SecretName = 'twilio' | 'payment' | 'suppression' | 'cursor';
export type ScheduleName =
  | 'cart-sweeper'
  | 'conversation-archiver'
  | 'import-watchdog'
  | 'scheduled-sender'
  | 'whatsapp-templates'
  | 'task-reminders';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/stores/{storeId}`. */
  readonly path: string;
  /** `jwt`: the Cognito authorizer (locally: a minted token) must pass. `public`: the handler checks its own signature or token. */
  readonly auth: 'jwt' | 'public';
}

/** What a function touches. Each key sets one environment variable (functions/shared/env-names.ts) and one grant. */
export interface Uses {
  readonly table?: Access | TableGrant;
  readonly uploads?: BucketAccess;
  readonly images?: BucketAccess;
  readonly importQueue?: 'send';
  /** Sends to the inbound FIFO queue (Twilio's inbound messages, grouped by conversation). */
  readonly inboundQueue?: 'send';
  /** Sends to the sender queue (outbound messages handed to the carrier, 1:1 first). */
  readonly senderQueue?: 'send';
  /** Sends to the bulk sender queue (scheduled releases, reminders). */
  readonly bulkSenderQueue?: 'send';
  /** Sends to the media queue (inbound MMS media to copy into the images bucket, one job per message). */
  readonly mediaQueue?: 'send';
  /** Sends to the attribution queue (a message's outreach and report counters, applied off the message path). */
  readonly attributionQueue?: 'send';
  /** Sends to the erasure FIFO queue (customer erasures, a message group per customer). */
  readonly erasureQueue?: 'send';
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
  if (uses.senderQueue) granted.add('senderQueue');
  if (uses.bulkSenderQueue) granted.add('bulkSenderQueue');
  if (uses.mediaQueue) granted.add('mediaQueue');
  if (uses.attributionQueue) granted.add('attributionQueue');
  if (uses.erasureQueue) granted.add('erasureQueue');
  if (uses.secrets?.includes('twilio')) granted.add('twilioSecret');
  if (uses.secrets?.includes('payment')) granted.add('paymentSecret');
  if (uses.publicBaseUrl) granted.add('publicBaseUrl');
  if (uses.paymentCheckoutUrl) granted.add('paymentCheckoutUrl');
  if (uses.zoneSchedules)
    for (const binding of ['zoneScheduleGroup', 'zoneScheduleTarget', 'zoneScheduleRole']) granted.add(binding);
  if (uses.secrets?.includes('suppression')) granted.add('suppressionSecret');
  if (uses.secrets?.includes('cursor')) granted.add('cursorSecret');
  if (uses.eventBus) granted.add('eventBus');
  if (uses.webSocketConnections) granted.add('webSocketCallbackUrl');
  if (uses.userPool) for (const binding of ['userPoolId', 'userPoolClientId']) granted.add(binding);
  return granted;
}

/**
 * Modules heavy at cold start that a function's bundle may hold (test/infra/bundles.test.ts fails
 * on one its entry does not declare): `twilio-rest`, the twilio REST client, and `s3-sdk`, the S3
 * client, commands and presigner, each a side bundle shipped beside the handler when declared and
 * loaded on first use (lib/constructs/bundling.ts, SIDE_BUNDLES); `luxon`, time-zone arithmetic;
 * `xray-sdk`, the X-Ray SDK (~110 KB with what it brings, ~15 ms at each cold start), which no
 * entry declares: functions trace through the light client in functions/shared/xray.ts;
 * `zod-classic`, zod's classic build (~100 KB, where `zod/mini` is
 * ~25 KB): handlers validate with `zod/mini`, and only the build-time API description keeps the
 * classic one (docs/architecture.md, "Schemas"), so no entry should need to declare it.
 */
export type HeavyModule = 'twilio-rest' | 's3-sdk' | 'luxon' | 'xray-sdk' | 'zod-classic';

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
   * Consumes a queue of lib/queues.ts. `maxConcurrency` caps the
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
   * while an import or a burst elsewhere uses the rest of the account's concurrency, and no queue
   * or stream worker can take more than its share (lib/load-model.ts).
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
  /** The heavy modules its bundle holds (HeavyModule); none when absent. */
  readonly heavy?: readonly HeavyModule[];
}
