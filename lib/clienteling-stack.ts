/**
 * The one stack: storage, the API, and one Capability construct per capability of the manifest,
 * plus the outputs an operator needs after a deploy. StackSettings is the validated shape of the
 * CDK context (bin/app.ts parses it, tests build it directly).
 */
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as z from 'zod';
import type { Capability as CapabilityName } from './functions';
import { Api } from './constructs/api';
import { Capability } from './constructs/capability';
import type { ClientelingFunction } from './constructs/clienteling-function';
import { Storage } from './constructs/storage';
import { ZoneSchedules } from './constructs/zone-schedules';

/** `-c throwaway=true` arrives as a string, cdk.json may hold a boolean. */
const flag = z.union([z.boolean(), z.stringbool()]);

export const StackSettings = z.object({
  /** Stage name, part of the stack name: `prod`, `staging`, `pr-123`. */
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,24}$/, 'lowercase letters, digits and dashes, starting with a letter'),
  /** The public URL of the API when it sits behind a custom domain; else the execute-api URL. */
  publicBaseUrl: z.url({ protocol: /^https$/ }).transform((url) => url.replace(/\/+$/, '')).optional(),
  /** The payment provider's checkout URL for the cart page's pay button, with `{token}`, `{amount}`, `{currency}`. */
  paymentCheckoutUrl: z.url({ protocol: /^https$/ }).optional(),
  /** Throwaway stages (tests, previews) delete their data with the stack. */
  throwaway: flag.default(false),
  /** CORS origins, comma separated on the command line. */
  corsOrigins: z
    .union([z.array(z.string().min(1)), z.string().transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))])
    .optional(),
});
export type StackSettings = z.infer<typeof StackSettings>;

export const CAPABILITIES: readonly CapabilityName[] = ['platform', 'stores', 'campaigns', 'conversations', 'carts', 'reports'];

export interface ClientelingStackProps extends StackProps {
  readonly settings: StackSettings;
}

export class ClientelingStack extends Stack {
  readonly storage: Storage;
  readonly api: Api;
  readonly zoneSchedules: ZoneSchedules;
  readonly capabilities: ReadonlyMap<CapabilityName, Capability>;

  constructor(scope: Construct, id: string, props: ClientelingStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.storage = new Storage(this, 'Storage', { throwaway: settings.throwaway });
    this.api = new Api(this, 'Api', { throwaway: settings.throwaway, corsOrigins: settings.corsOrigins });
    const publicBaseUrl = settings.publicBaseUrl ?? this.api.url;
    this.zoneSchedules = new ZoneSchedules(this, 'ZoneSchedules');

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
          throwaway: settings.throwaway,
        }),
      ]),
    );
    this.acknowledgeGeneratedResources();

    new CfnOutput(this, 'ApiUrl', { value: publicBaseUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.api.appClient.userPoolClientId });
    new CfnOutput(this, 'UploadsBucketName', { value: this.storage.uploads.bucketName });
    new CfnOutput(this, 'TwilioSecretArn', { value: this.storage.secrets.twilio.secretArn });
    new CfnOutput(this, 'PaymentWebhookSecretArn', { value: this.storage.secrets.payment.secretArn });
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
        reason: "CDK's bucket-notifications custom resource: aws-cdk-lib generates its role with the basic execution policy.",
      });
    }
  }
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
