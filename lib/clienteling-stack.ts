/**
 * The one stack: storage, the API, and one Capability construct per capability of the manifest,
 * plus the outputs an operator needs after a deploy. StackSettings is the validated shape of the
 * CDK context (bin/app.ts parses it, tests build it directly).
 */
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as z from 'zod/mini';
import type { Capability as CapabilityName } from './function-spec';
import { ON_DEMAND_DEFAULT_WARM } from './load-model';
import { QUEUES } from './queues';
import { Api } from './constructs/api';
import { Capability } from './constructs/capability';
import { Observability } from './constructs/observability';
import { LiveEvents } from './constructs/live-events';
import type { ClientelingFunction } from './constructs/clienteling-function';
import { Storage } from './constructs/storage';
import { ZoneSchedules } from './constructs/zone-schedules';

/** `-c throwaway=true` arrives as a string, cdk.json may hold a boolean. */
const flag = z.union([z.boolean(), z.stringbool()]);
/** `-c tableWarmWriteUnits=11000` arrives as a string, cdk.json may hold a number; at least AWS's own default warm value. */
const warmUnits = (least: number) => z.optional(z.coerce.number().check(z.int(), z.gte(least), z.lte(40_000_000)));

export const StackSettings = z
  .object({
    /**
     * Stage name, part of the stack name: `prod`, `staging`, `pr-123`. Defaults to `dev`, never to
     * production: a deploy without `-c stage=…` cannot touch the production stack.
     */
    stage: z._default(
      z
        .string()
        .check(z.regex(/^[a-z][a-z0-9-]{0,24}$/, 'lowercase letters, digits and dashes, starting with a letter')),
      'dev',
    ),
    /**
     * The public URL of the API when something else fronts it (a CDN, a proxy); else the custom
     * domain's URL (domainName), else the execute-api URL.
     */
    publicBaseUrl: z.optional(
      z.pipe(
        z.url({ protocol: /^https$/ }),
        z.transform((url) => url.replace(/\/+$/, '')),
      ),
    ),
    /** The payment provider's checkout URL for the cart page's pay button, with `{token}`, `{amount}`, `{currency}`. */
    paymentCheckoutUrl: z.optional(z.url({ protocol: /^https$/ })),
    /** Throwaway stages (tests, previews) delete their data with the stack. */
    throwaway: z._default(flag, false),
    /**
     * Cognito's invitations and password resets through SES from this verified address (Cognito's
     * built-in email sends 50 a day: not enough to invite a chain's associates).
     */
    sesFromEmail: z.optional(z.email()),
    /** The SES region of that identity, when it is not the stack's. */
    sesRegion: z.optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))),
    /** Where CloudWatch alarms are emailed (an SNS subscription to confirm once). */
    alarmEmail: z.optional(z.email()),
    /**
     * A custom domain for the HTTP API (`api.example.com`), with the ARN of its ACM certificate in
     * the stack's region: both or neither. The public URL then is `https://<domainName>[/<basePath>]`.
     */
    domainName: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
            'a lowercase host name: api.example.com',
          ),
        ),
    ),
    certificateArn: z.optional(
      z
        .string()
        .check(z.regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/, 'an ACM certificate ARN')),
    ),
    /** The API mapping key under the custom domain: one path segment (`v1`; slashes around it are dropped). */
    basePath: z.optional(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((path) => path.replace(/^\/+|\/+$/g, '')),
        ),
        z.string().check(z.regex(/^[A-Za-z0-9._~-]+$/, 'one path segment: letters, digits, . _ ~ -')),
      ),
    ),
    /** Browser origins of the apps that call the API and the buckets (CORS), comma separated on the command line; none by default. */
    corsOrigins: z.optional(
      z.union([
        z.array(z.string().check(z.minLength(1))),
        z.pipe(
          z.string(),
          z.transform((s) =>
            s
              .split(',')
              .map((o) => o.trim())
              .filter(Boolean),
          ),
        ),
      ]),
    ),
    /**
     * The table's warm throughput (read and write units/s it takes at once), for go-live and
     * before a known peak; unset by default (an on-demand table's own 12,000 / 4,000). The values
     * for the load model are TABLE_WARM_THROUGHPUT in lib/load-model.ts (README, "Capacity").
     */
    tableWarmReadUnits: warmUnits(ON_DEMAND_DEFAULT_WARM.readUnitsPerSecond),
    tableWarmWriteUnits: warmUnits(ON_DEMAND_DEFAULT_WARM.writeUnitsPerSecond),
  })
  .check(
    z.superRefine((settings, ctx) => {
      if ((settings.domainName === undefined) !== (settings.certificateArn === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [settings.domainName === undefined ? 'domainName' : 'certificateArn'],
          message: 'domainName and certificateArn go together: give both or neither',
        });
      if (settings.basePath !== undefined && settings.domainName === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['basePath'],
          message: 'basePath needs domainName (it is the mapping key)',
        });
      if (settings.domainName !== undefined && settings.publicBaseUrl !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['publicBaseUrl'],
          message: 'domainName sets the public URL (https://<domainName>/<basePath>); leave publicBaseUrl out',
        });
    }),
  );
export type StackSettings = z.infer<typeof StackSettings>;

/** The context keys bin/app.ts reads (`-c key=value` or cdk.json), one per setting. */
export const CONTEXT_KEYS = Object.keys(StackSettings.shape) as ReadonlyArray<keyof StackSettings>;

/**
 * The URL Twilio, the payment provider and customers see, which the functions build links and
 * check signatures with: the custom domain (and its mapping key), else `publicBaseUrl`, else the
 * API's own URL.
 */
export function publicBaseUrlOf(settings: StackSettings, apiUrl: string): string {
  if (settings.domainName) return `https://${settings.domainName}${settings.basePath ? `/${settings.basePath}` : ''}`;
  return settings.publicBaseUrl ?? apiUrl;
}

/** The public routes third parties are pointed at (the stack prints their full URLs). */
export const WEBHOOK_PATHS = {
  twilioSms: '/webhooks/twilio/sms',
  twilioStatus: '/webhooks/twilio/status',
  payments: '/webhooks/payments',
} as const;

export const CAPABILITIES: readonly CapabilityName[] = [
  'platform',
  'stores',
  'campaigns',
  'conversations',
  'carts',
  'tasks',
  'events',
  'reports',
  'customers',
];

export interface ClientelingStackProps extends StackProps {
  readonly settings: StackSettings;
}

export class ClientelingStack extends Stack {
  readonly storage: Storage;
  readonly api: Api;
  readonly zoneSchedules: ZoneSchedules;
  readonly liveEvents: LiveEvents;
  readonly capabilities: ReadonlyMap<CapabilityName, Capability>;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ClientelingStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.storage = new Storage(this, 'Storage', {
      throwaway: settings.throwaway,
      corsOrigins: settings.corsOrigins,
      warmThroughput: {
        readUnitsPerSecond: settings.tableWarmReadUnits,
        writeUnitsPerSecond: settings.tableWarmWriteUnits,
      },
    });
    this.api = new Api(this, 'Api', {
      throwaway: settings.throwaway,
      corsOrigins: settings.corsOrigins,
      ...(settings.sesFromEmail
        ? { sesEmail: { fromEmail: settings.sesFromEmail, sesRegion: settings.sesRegion } }
        : {}),
      ...(settings.domainName && settings.certificateArn
        ? {
            customDomain: {
              domainName: settings.domainName,
              certificateArn: settings.certificateArn,
              basePath: settings.basePath,
            },
          }
        : {}),
    });
    const publicBaseUrl = publicBaseUrlOf(settings, this.api.url);
    this.zoneSchedules = new ZoneSchedules(this, 'ZoneSchedules');
    this.liveEvents = new LiveEvents(this, 'LiveEvents');

    this.capabilities = new Map(
      CAPABILITIES.map((capability) => [
        capability,
        new Capability(this, pascal(capability), {
          capability,
          storage: this.storage,
          api: this.api,
          publicBaseUrl,
          paymentCheckoutUrl: settings.paymentCheckoutUrl,
          zoneSchedules: this.zoneSchedules,
          liveEvents: this.liveEvents,
          throwaway: settings.throwaway,
        }),
      ]),
    );
    this.observability = new Observability(this, 'Observability', {
      storage: this.storage,
      api: this.api,
      functions: [...this.capabilities.values()].flatMap((capability) => [...capability.functions.values()]),
      alarmEmail: settings.alarmEmail,
    });
    this.acknowledgeGeneratedResources();

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.appClient.userPoolClientId });
    new CfnOutput(this, 'UploadsBucketName', { value: this.storage.uploads.bucketName });
    new CfnOutput(this, 'TwilioSecretArn', { value: this.storage.secrets.twilio.secretArn });
    new CfnOutput(this, 'WebSocketUrl', {
      value: this.liveEvents.url,
      description: 'Live events: connect with ?token=<Cognito ID token>',
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.liveEvents.bus.eventBusName,
      description: 'Every live event, source clienteling, detail-type = the event type',
    });
    new CfnOutput(this, 'PaymentWebhookSecretArn', { value: this.storage.secrets.payment.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.topic.topicArn,
      description: 'Subscribe more addresses or a pager here',
    });
    this.webhookOutputs(publicBaseUrl);
    this.deadLetterOutputs();
  }

  /** The exact URLs to paste into Twilio's number (or Messaging Service) and the payment provider. */
  private webhookOutputs(publicBaseUrl: string): void {
    new CfnOutput(this, 'TwilioSmsWebhookUrl', {
      value: `${publicBaseUrl}${WEBHOOK_PATHS.twilioSms}`,
      description: 'Twilio: "A message comes in" (HTTP POST)',
    });
    new CfnOutput(this, 'TwilioFallbackUrl', {
      value: `${publicBaseUrl}${WEBHOOK_PATHS.twilioSms}`,
      description: 'Twilio: "Primary handler fails" (HTTP POST): the same handler, retried once by Twilio',
    });
    new CfnOutput(this, 'TwilioStatusCallbackUrl', {
      value: `${publicBaseUrl}${WEBHOOK_PATHS.twilioStatus}`,
      description:
        'Twilio: status callback URL (each send names it with the message; set it on a Messaging Service too)',
    });
    new CfnOutput(this, 'PaymentWebhookUrl', {
      value: `${publicBaseUrl}${WEBHOOK_PATHS.payments}`,
      description: "The payment provider's webhook (signed with PaymentWebhookSecretArn)",
    });
    if (this.api.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        value: this.api.domain.domainName.regionalDomainName,
        description: 'Point the custom domain here (CNAME, or an alias record to this regional name)',
      });
    }
  }

  /** Every dead-letter queue by name, for `aws sqs` inspection and redrive (README, "Operations"). */
  private deadLetterOutputs(): void {
    const queues = [
      ...QUEUES.map((spec) => ({
        name: `${spec.id.replace(/Queue$/, '')}DeadLetterQueue`,
        queue: this.storage.queues[spec.name].deadLetters,
        of: `the ${spec.name} queue`,
      })),
      { name: 'AsyncFailuresQueue', queue: this.storage.asyncFailures, of: 'asynchronous invocations (S3 triggers)' },
      { name: 'StreamFailuresQueue', queue: this.storage.streamFailures, of: "the table stream's consumer" },
    ];
    for (const { name, queue, of } of queues) {
      new CfnOutput(this, `${name}Arn`, {
        value: queue.queueArn,
        description: `Dead letters of ${of}: source ARN for a redrive`,
      });
      new CfnOutput(this, `${name}Url`, {
        value: queue.queueUrl,
        description: `Dead letters of ${of}: queue URL for aws sqs receive-message`,
      });
    }
  }

  /** A manifest function by id, wherever its capability put it. */
  fn(id: string): ClientelingFunction {
    for (const capability of this.capabilities.values()) {
      const found = capability.functions.get(id);
      if (found) return found;
    }
    throw new Error(`No function ${id} in the manifest`);
  }

  /**
   * CDK's own bucket-notifications Lambda is not ours to configure: its finding is acknowledged
   * on it alone.
   */
  private acknowledgeGeneratedResources(): void {
    const notifications = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (notifications) {
      Validations.of(notifications).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications custom resource: aws-cdk-lib generates its role with the basic execution policy.",
      });
    }
  }
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
