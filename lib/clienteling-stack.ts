/**
 * The one stack: storage, the API, and one Capability construct per capability of the manifest,
 * plus the outputs an operator needs after a deploy. StackSettings is the validated shape of the
 * CDK context (bin/app.ts parses it, tests build it directly).
 */
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as z from 'zod';
import type { Capability as CapabilityName } from './function-spec';
import { Api } from './constructs/api';
import { Capability } from './constructs/capability';
import { Observability } from './constructs/observability';
import { LiveEvents } from './constructs/live-events';
import type { ClientelingFunction } from './constructs/clienteling-function';
import { Storage } from './constructs/storage';
import { ZoneSchedules } from './constructs/zone-schedules';

/** `-c throwaway=true` arrives as a string, cdk.json may hold a boolean. */
const flag = z.union([z.boolean(), z.stringbool()]);

export const StackSettings = z.object({
  /**
   * Stage name, part of the stack name: `prod`, `staging`, `pr-123`. Defaults to `dev`, never to
   * production: a deploy without `-c stage=…` cannot touch the production stack.
   */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,24}$/, 'lowercase letters, digits and dashes, starting with a letter')
    .default('dev'),
  /** The public URL of the API when it sits behind a custom domain; else the execute-api URL. */
  publicBaseUrl: z
    .url({ protocol: /^https$/ })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** The payment provider's checkout URL for the cart page's pay button, with `{token}`, `{amount}`, `{currency}`. */
  paymentCheckoutUrl: z.url({ protocol: /^https$/ }).optional(),
  /** Throwaway stages (tests, previews) delete their data with the stack. */
  throwaway: flag.default(false),
  /**
   * Cognito's invitations and password resets through SES from this verified address (Cognito's
   * built-in email sends 50 a day: not enough to invite a chain's associates).
   */
  sesFromEmail: z.email().optional(),
  /** The SES region of that identity, when it is not the stack's. */
  sesRegion: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/)
    .optional(),
  /** Where CloudWatch alarms are emailed (an SNS subscription to confirm once). */
  alarmEmail: z.email().optional(),
  /** Browser origins of the apps that call the API and the buckets (CORS), comma separated on the command line; none by default. */
  corsOrigins: z
    .union([
      z.array(z.string().min(1)),
      z.string().transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    ])
    .optional(),
});
export type StackSettings = z.infer<typeof StackSettings>;

export const CAPABILITIES: readonly CapabilityName[] = [
  'platform',
  'stores',
  'campaigns',
  'conversations',
  'carts',
  'events',
  'reports',
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

    this.storage = new Storage(this, 'Storage', { throwaway: settings.throwaway, corsOrigins: settings.corsOrigins });
    this.api = new Api(this, 'Api', {
      throwaway: settings.throwaway,
      corsOrigins: settings.corsOrigins,
      ...(settings.sesFromEmail
        ? { sesEmail: { fromEmail: settings.sesFromEmail, sesRegion: settings.sesRegion } }
        : {}),
    });
    const publicBaseUrl = settings.publicBaseUrl ?? this.api.url;
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
    new CfnOutput(this, 'ImportDeadLetterQueueArn', {
      value: this.storage.importDeadLetters.queueArn,
      description: 'Source ARN for a redrive',
    });
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
