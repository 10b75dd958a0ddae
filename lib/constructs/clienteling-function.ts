/**
 * The one wrapper around NodejsFunction: every Lambda of the manifest is built here with the same
 * defaults (runtime, arm64, tracing, bundling, log group, its own role), and `bind` turns the
 * manifest's `uses` block into environment variables AND grants in a single step, so a
 * function's configuration and its permissions cannot drift apart.
 *
 * The esbuild options live in lib/constructs/bundling.ts, so that bench/bundles.ts bundles exactly what CDK deploys.
 */
import { join } from 'node:path';
import { CfnElement, Duration, type RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env-names';
import type { LiveEvents } from './live-events';
import type { ZoneSchedules } from './zone-schedules';
import type {
  Access,
  BucketAccess,
  FunctionSpec,
  SecretName,
  TableGrant,
  TableOperation,
  Uses,
} from '../function-spec';
import { QUEUES, type QueueName } from '../queues';
import { cdkBundlingOptions, NODE_RUNTIME, REPO_ROOT, sideBundlesOf } from './bundling';

// test/infra reads these from here.
export { REPO_ROOT, sideBundlesOf } from './bundling';

export const DEFAULT_MEMORY_MB = 256;
export const DEFAULT_TIMEOUT_SECONDS = 10;

/** Variables every function gets regardless of its bindings. */
export function baseEnvironment(spec: Pick<FunctionSpec, 'capability'>): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: `clienteling-${spec.capability}`,
    POWERTOOLS_METRICS_NAMESPACE: 'Clienteling',
    // No --enable-source-maps: loading the map cost 40-70 ms of every cold start here (npm run
    // bench). index.mjs.map ships in the asset for decoding a trace offline.
  };
}

/** What `bind` can connect a function to; one field per key of the manifest's `uses`. */
export interface BindingTargets {
  readonly table: dynamodb.ITable;
  readonly uploads: s3.IBucket;
  readonly images: s3.IBucket;
  /** The declared queues (lib/queues.ts), for the `uses` keys that grant sending to them. */
  readonly queues: Readonly<Record<QueueName, { readonly queue: sqs.IQueue }>>;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.ISecret>>;
  readonly publicBaseUrl: string;
  /** Unset: the cart page shows its pay button disabled, saying payment is not configured. */
  readonly paymentCheckoutUrl?: string;
  readonly zoneSchedules: ZoneSchedules;
  readonly liveEvents: LiveEvents;
  readonly userPool: { readonly userPoolId: string; readonly clientId: string };
}

export interface ClientelingFunctionProps {
  readonly spec: FunctionSpec;
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention?: logs.RetentionDays;
}

const SECRET_ENV: Record<SecretName, string> = {
  twilio: ENV.twilioSecret,
  payment: ENV.paymentSecret,
  suppression: ENV.suppressionSecret,
  cursor: ENV.cursorSecret,
};

export class ClientelingFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ClientelingFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    });
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: logs go to this
    // function's log group only, and every other permission comes from `bind`.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${spec.id}: ${spec.description}`.slice(0, 1000),
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: spec.description,
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
      ...(spec.reservedConcurrency === undefined ? {} : { reservedConcurrentExecutions: spec.reservedConcurrency }),
      timeout: Duration.seconds(spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: baseEnvironment(spec),
      bundling: cdkBundlingOptions(sideBundlesOf(spec)),
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing needs xray:PutTraceSegments/PutTelemetryRecords, which support no resource-level permissions.',
    });
  }

  /** The manifest's `uses` block: for each key, one environment variable and one grant. */
  bind(uses: Uses, targets: BindingTargets): void {
    if (uses.table) this.bindTable(uses.table, targets.table);
    if (uses.uploads) this.bindBucket(ENV.uploads, uses.uploads, targets.uploads);
    if (uses.images) this.bindBucket(ENV.images, uses.images, targets.images);
    for (const queue of QUEUES) {
      if (uses[queue.sendBinding] !== 'send') continue;
      this.fn.addEnvironment(ENV[queue.sendBinding], targets.queues[queue.name].queue.queueUrl);
      targets.queues[queue.name].queue.grantSendMessages(this.fn);
    }
    for (const name of uses.secrets ?? []) {
      this.fn.addEnvironment(SECRET_ENV[name], targets.secrets[name].secretArn);
      targets.secrets[name].grantRead(this.fn);
    }
    if (uses.publicBaseUrl) this.fn.addEnvironment(ENV.publicBaseUrl, targets.publicBaseUrl);
    if (uses.paymentCheckoutUrl && targets.paymentCheckoutUrl)
      this.fn.addEnvironment(ENV.paymentCheckoutUrl, targets.paymentCheckoutUrl);
    if (uses.zoneSchedules === 'create') this.bindZoneSchedules(targets.zoneSchedules);
    if (uses.eventBus === 'put') {
      this.fn.addEnvironment(ENV.eventBus, targets.liveEvents.bus.eventBusName);
      targets.liveEvents.grantPut(this.fn);
    }
    if (uses.webSocketConnections === 'post') this.bindWebSocketConnections(targets.liveEvents);
    if (uses.userPool === 'verify') {
      this.fn.addEnvironment(ENV.userPoolId, targets.userPool.userPoolId);
      this.fn.addEnvironment(ENV.userPoolClientId, targets.userPool.clientId);
    }
  }

  /** The WebSocket stage's callback URL, and ManageConnections on that stage's connections only. */
  private bindWebSocketConnections(liveEvents: LiveEvents): void {
    this.fn.addEnvironment(ENV.webSocketCallbackUrl, liveEvents.callbackUrl);
    liveEvents.grantPost(this.fn);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(this, 'execute-api')}:<${logicalIdOf(liveEvents.webSocketApi)}>/${liveEvents.stage.stageName}/*/@connections/*]`,
      reason:
        'Connection ids are made by API Gateway at run time; posting is limited to connections of this one WebSocket API stage.',
    });
  }

  /**
   * Create and read schedules in the zone schedules' group only, and hand Scheduler its role
   * (PassRole on that one role, to Scheduler only). No update or delete: a zone's schedule, once
   * there, stays as it is.
   */
  private bindZoneSchedules(zoneSchedules: ZoneSchedules): void {
    this.fn.addEnvironment(ENV.zoneScheduleGroup, zoneSchedules.group.scheduleGroupName);
    this.fn.addEnvironment(ENV.zoneScheduleTarget, zoneSchedules.targetArn);
    this.fn.addEnvironment(ENV.zoneScheduleRole, zoneSchedules.role.roleArn);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:GetSchedule'],
        resources: [zoneSchedules.schedulesArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [zoneSchedules.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(this, 'scheduler')}:schedule/${Stack.of(this).resolve(zoneSchedules.group.scheduleGroupName) as string}/*]`,
      reason:
        'Schedule names are made per store time zone at run time; access is limited to schedules of this one group (create and read).',
    });
  }

  /**
   * The operations the function calls, as IAM actions on the table (and its indexes only when it
   * queries), never Scan; with `dynamodb:LeadingKeys` when the manifest names the partitions.
   */
  private bindTable(grant: Access | TableGrant, table: dynamodb.ITable): void {
    this.fn.addEnvironment(ENV.table, table.tableName);
    const { operations, leadingKeys } = tableGrantOf(grant);
    const resources = [table.tableArn, ...(operations.includes('Query') ? [`${table.tableArn}/index/*`] : [])];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: tableActions(operations),
        resources,
        ...(leadingKeys
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...leadingKeys] } } }
          : {}),
      }),
    );
    if (operations.includes('Query')) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(table)}.Arn>/index/*]`,
        reason:
          'Queries go through the GSIs (gsi1..gsi3) of this one table; the grant covers its indexes, nothing else.',
      });
    }
  }

  /**
   * Object-level actions only, written out instead of bucket.grantRead/grantReadWrite, whose
   * wildcard actions (s3:GetObject*, s3:DeleteObject*, s3:Abort*) allow more than handlers do.
   * ListBucket is there so that a missing key reads as 404, not 403. GetObjectVersion because the
   * import reads the version its event names; AbortMultipartUpload for a multipart write that fails.
   */
  private bindBucket(envName: string, access: BucketAccess, bucket: s3.IBucket): void {
    this.fn.addEnvironment(envName, bucket.bucketName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...BUCKET_OBJECT_ACTIONS[access]], resources: [bucket.arnForObjects('*')] }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: access === 'rewrite' ? ['s3:ListBucket', 's3:ListBucketVersions'] : ['s3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
      reason: `Object keys are generated at run time (per campaign, per message); access is limited to objects of this one bucket (${access}).`,
    });
  }
}

/**
 * `arn:partition:service:region:account` as cdk-nag spells it in a finding's id: the stack's own
 * values where its environment names them (`cdk synth` with a default region), else the
 * `<AWS::…>` placeholders of an environment-agnostic stack.
 */
function nagArnPrefix(scope: Construct, service: string): string {
  const stack = Stack.of(scope);
  const or = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  return `arn:${or(stack.partition, '<AWS::Partition>')}:${service}:${or(stack.region, '<AWS::Region>')}:${or(stack.account, '<AWS::AccountId>')}`;
}

const READ_OBJECT = ['s3:GetObject', 's3:GetObjectVersion'] as const;
const WRITE_OBJECT = [...READ_OBJECT, 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'] as const;
const BUCKET_OBJECT_ACTIONS: Readonly<Record<BucketAccess, readonly string[]>> = {
  read: READ_OBJECT,
  readWrite: WRITE_OBJECT,
  rewrite: [...WRITE_OBJECT, 's3:DeleteObjectVersion'],
};

const READ_OPERATIONS: readonly TableOperation[] = ['GetItem', 'BatchGetItem', 'Query'];
const WRITE_OPERATIONS: readonly TableOperation[] = [
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
];

/** `'read'`/`'readWrite'` spelled out; a TableGrant as it is. */
export function tableGrantOf(grant: Access | TableGrant): TableGrant {
  if (grant === 'read') return { operations: READ_OPERATIONS };
  if (grant === 'readWrite') return { operations: [...READ_OPERATIONS, ...WRITE_OPERATIONS] };
  return grant;
}

/**
 * IAM actions for DynamoDB operations. TransactWriteItems is authorized item by item, as the
 * put, update, delete or condition check each item is.
 */
export function tableActions(operations: readonly TableOperation[]): string[] {
  const actions = operations.flatMap((op) =>
    op === 'TransactWriteItems' ? ['PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'] : [op],
  );
  return [...new Set(actions)].sort().map((action) => `dynamodb:${action}`);
}

/** The CloudFormation logical id of a construct's resource, as cdk-nag prints it in findings. */
export function logicalIdOf(construct: Construct): string {
  const element = construct.node.defaultChild;
  if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve(element.logicalId) as string;
}
