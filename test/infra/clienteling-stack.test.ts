/**
 * The synthesized template, checked against the manifest (lib/functions.ts) and the table shape
 * (functions/shared/table.ts): every route, trigger, schedule, variable and grant the manifest
 * declares is in the template, and nothing more than it declares is granted.
 *
 * Long on purpose: one synthesis (minutes) serves every assertion, so they share this file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../../functions/shared/env-names';
import { TABLE } from '../../functions/shared/table';
import {
  CART_PAGE_KEYS,
  ERASURE_QUEUE_MAX_RECEIVES,
  ERASURE_WORKER_TIMEOUT_SECONDS,
  FUNCTIONS,
  IMPORT_QUEUE_MAX_RECEIVES,
  INBOUND_QUEUE_MAX_RECEIVES,
  INBOUND_WORKER_TIMEOUT_SECONDS,
  WRITER_MAX_CONCURRENCY,
  WRITER_TIMEOUT_SECONDS,
  routeKey,
  routeTable,
  type FunctionSpec,
} from '../../lib/functions';
import { USER_GROUPS } from '../../lib/constructs/api';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  sideBundlesOf,
  tableActions,
  tableGrantOf,
} from '../../lib/constructs/clienteling-function';
import { DYNAMODB_OPERATIONS, sdkOperationsIn } from './sdk-operations';
import { EXPORTS_PREFIX, UPLOAD_PREFIXES } from '../../lib/constructs/storage';
import { EXPORT_EXPIRY_DAYS } from '../../functions/reports/rules';
import { SYNTH_TIMEOUT_MS, actionsOf, statementsOn, synthesize, type Synthesized } from './synth';

const specs = FUNCTIONS as readonly FunctionSpec[];

let s: Synthesized;
let ids: {
  table: string;
  uploads: string;
  images: string;
  queue: string;
  dlq: string;
  inbound: string;
  inboundDlq: string;
  twilio: string;
  payment: string;
  suppression: string;
  cursor: string;
  api: string;
};

beforeAll(() => {
  s = synthesize();
  const { storage, api } = s.stack;
  ids = {
    table: s.logicalId(storage.table),
    uploads: s.logicalId(storage.uploads),
    images: s.logicalId(storage.images),
    queue: s.logicalId(storage.importQueue),
    dlq: s.logicalId(storage.importDeadLetters),
    inbound: s.logicalId(storage.inboundQueue),
    inboundDlq: s.logicalId(storage.inboundDeadLetters),
    twilio: s.logicalId(storage.secrets.twilio),
    payment: s.logicalId(storage.secrets.payment),
    suppression: s.logicalId(storage.secrets.suppression),
    cursor: s.logicalId(storage.secrets.cursor),
    api: s.logicalId(api.httpApi),
  };
}, SYNTH_TIMEOUT_MS);

describe('table', () => {
  it('is on-demand with point-in-time recovery and a `ttl` attribute', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
    });
  });

  it('has gsi1..gsi3 with string keys, each projecting what its queries read (gsi3: keys and the conversation id)', () => {
    const table = Object.values(s.template.findResources('AWS::DynamoDB::Table'))[0]!.Properties;
    const gsis = table.GlobalSecondaryIndexes as Array<{ IndexName: string; KeySchema: unknown; Projection: unknown }>;
    expect(gsis.map((g) => g.IndexName).sort()).toEqual(Object.keys(TABLE.indexes).sort());
    for (const [name, keys] of Object.entries(TABLE.indexes)) {
      expect(gsis.find((g) => g.IndexName === name)).toMatchObject({
        KeySchema: [
          { AttributeName: keys.partitionKey, KeyType: 'HASH' },
          { AttributeName: keys.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: keys.projection.type },
      });
    }
    expect(gsis.find((g) => g.IndexName === 'gsi3')!.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['conversationId', 'messageId', 'scheduledFor', 'sendKind'],
    });
    const attributeTypes = new Set(
      (table.AttributeDefinitions as Array<{ AttributeType: string }>).map((a) => a.AttributeType),
    );
    expect([...attributeTypes]).toEqual(['S']);
  });

  it('is retained, with deletion protection, when the stage is not throwaway', () => {
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
  });
});

describe('buckets', () => {
  it('are all encrypted, private and retained', () => {
    const buckets = s.template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.DeletionPolicy).toBe('Retain');
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault
          .SSEAlgorithm,
      ).toBe('AES256');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it.each([['uploads'], ['images']] as const)('%s: denies every request that is not over TLS', (which) => {
    s.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids[which] },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('uploads: versioned, so an object an import was triggered for cannot be replaced under it', () => {
    expect(s.template.toJSON().Resources[ids.uploads].Properties.VersioningConfiguration).toEqual({
      Status: 'Enabled',
    });
  });

  it('uploads: aborts incomplete multipart uploads and expires every uploaded CSV prefix', () => {
    const rules = s.template.toJSON().Resources[ids.uploads].Properties.LifecycleConfiguration.Rules as Array<
      Record<string, any>
    >;
    expect(rules).toContainEqual(
      expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
    );
    for (const prefix of ['incoming/', 'campaigns/']) {
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: prefix, ExpirationInDays: expect.any(Number), Status: 'Enabled' }),
      );
    }
  });

  it('uploads: expires campaign exports (and their requests) after EXPORT_EXPIRY_DAYS, older versions after a day', () => {
    const rules = s.template.toJSON().Resources[ids.uploads].Properties.LifecycleConfiguration.Rules as Array<
      Record<string, any>
    >;
    expect(EXPORT_EXPIRY_DAYS).toBe(7);
    expect(rules.filter((rule) => String(rule.Prefix ?? '').startsWith('exports/'))).toEqual([
      {
        Id: 'expire-exports',
        Prefix: 'exports/',
        ExpirationInDays: EXPORT_EXPIRY_DAYS,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
        Status: 'Enabled',
      },
    ]);
  });

  it('images: ages into cheaper storage classes and sends access logs to the log bucket', () => {
    const props = s.template.toJSON().Resources[ids.images].Properties;
    const transitions = props.LifecycleConfiguration.Rules.flatMap(
      (r: { Transitions?: Array<{ StorageClass: string }> }) => r.Transitions ?? [],
    );
    expect(transitions.map((t: { StorageClass: string }) => t.StorageClass)).toEqual(['STANDARD_IA', 'GLACIER_IR']);
    expect(props.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: s.logicalId(s.stack.storage.accessLogs) },
      LogFilePrefix: 'conversation-images/',
    });
  });
});

describe('inbound queue', () => {
  it('is FIFO with deduplication and throughput per conversation, and redrives to a FIFO dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      VisibilityTimeout: 6 * INBOUND_WORKER_TIMEOUT_SECONDS,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [ids.inboundDlq, 'Arn'] },
        maxReceiveCount: INBOUND_QUEUE_MAX_RECEIVES,
      },
    });
  });

  it('feeds InboundWorker with partial batch failures, and only TwilioWebhook may send to it', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [ids.inbound, 'Arn'] },
      FunctionName: { Ref: s.logicalId(s.stack.fn('InboundWorker').fn) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const spec of specs) {
      const sends = actionsOf(statementsOn(s.statementsOf(spec.id), ids.inbound)).includes('sqs:SendMessage');
      expect(sends).toBe(spec.id === 'TwilioWebhook');
    }
  });
});

describe('erasure queue', () => {
  it('is FIFO, a group per customer, 6x the worker timeout, and redrives to a FIFO dead-letter queue', () => {
    const { deadLetters } = s.stack.storage.queues.erasure;
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      VisibilityTimeout: 6 * ERASURE_WORKER_TIMEOUT_SECONDS,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [s.logicalId(deadLetters), 'Arn'] },
        maxReceiveCount: ERASURE_QUEUE_MAX_RECEIVES,
      },
    });
  });

  it('feeds ErasureWorker with partial batch failures, and only CustomersApi may send to it', () => {
    const erasure = s.logicalId(s.stack.storage.queues.erasure.queue);
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [erasure, 'Arn'] },
      FunctionName: { Ref: s.logicalId(s.stack.fn('ErasureWorker').fn) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    for (const spec of specs) {
      const sends = actionsOf(statementsOn(s.statementsOf(spec.id), erasure)).includes('sqs:SendMessage');
      expect(sends).toBe(spec.id === 'CustomersApi');
    }
  });
});

describe('import queue', () => {
  it('redrives to the dead-letter queue after IMPORT_QUEUE_MAX_RECEIVES receives, with 6x the writer timeout', () => {
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 6 * WRITER_TIMEOUT_SECONDS,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] },
        maxReceiveCount: IMPORT_QUEUE_MAX_RECEIVES,
      },
    });
  });

  it.each([['queue'], ['dlq']] as const)('%s: denies every request that is not over TLS', (which) => {
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids[which] }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('users and the API', () => {
  it('has a user pool with the custom store_id attribute and no self sign-up', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'store_id', AttributeDataType: 'String', Mutable: true })]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });

  it('has the associate, manager and clienteling-admin groups', () => {
    const groups = Object.values(s.template.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => g.Properties.GroupName,
    );
    expect(groups.sort()).toEqual([...USER_GROUPS].sort());
  });

  it('lets the app client read custom:store_id but never write it', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ReadAttributes: Match.arrayWith(['custom:store_id']),
      WriteAttributes: Match.not(Match.arrayWith(['custom:store_id'])),
    });
  });

  it('checks Cognito JWTs for the app client', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: s.logicalId(s.stack.api.appClient) }],
        Issuer: { 'Fn::Join': ['', Match.arrayWith([{ Ref: s.logicalId(s.stack.api.userPool) }])] },
      },
    });
  });

  it('writes access logs from the default stage', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  it('allows no browser origin by default (CORS comes from context)', () => {
    const api = s.template.toJSON().Resources[ids.api].Properties;
    expect(api.CorsConfiguration).toBeUndefined();
    for (const which of ['uploads', 'images'] as const)
      expect(s.template.toJSON().Resources[ids[which]].Properties.CorsConfiguration).toBeUndefined();
  });

  it('has exactly the manifest routes, plus the $default route', () => {
    const routeKeys = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: { Ref: ids.api } } }),
    ).map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(['$default', ...routeTable().map(routeKey)].sort());
  });

  it('sends paths no route matches to the fallback function, without an authorizer', () => {
    const [route] = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: '$default' } }),
    );
    expect(route!.Properties.AuthorizationType).toBe('NONE');
    const integrationId = (route!.Properties.Target['Fn::Join'][1] as unknown[]).find(
      (part): part is { Ref: string } => typeof part === 'object' && part !== null && 'Ref' in part,
    )!.Ref;
    const integration = s.template.toJSON().Resources[integrationId];
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain('UnknownRoutes');
  });

  it.each(routeTable().map((r) => [routeKey(r), r.auth, r.fn.id] as const))(
    '%s: authorization %s, served by %s',
    (key, auth, functionId) => {
      const [route] = Object.values(
        s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }),
      );
      expect(route).toBeDefined();
      expect(route!.Properties.AuthorizationType).toBe(auth === 'jwt' ? 'JWT' : 'NONE');
      if (auth === 'jwt') expect(route!.Properties.AuthorizerId).toEqual({ Ref: expect.any(String) });
      else expect(route!.Properties.AuthorizerId).toBeUndefined();

      const integrationId = (route!.Properties.Target['Fn::Join'][1] as unknown[]).find(
        (part): part is { Ref: string } => typeof part === 'object' && part !== null && 'Ref' in part,
      )!.Ref;
      const integration = s.template.toJSON().Resources[integrationId].Properties;
      expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [s.logicalId(s.stack.fn(functionId).fn), 'Arn'] });
      expect(integration.PayloadFormatVersion).toBe('2.0');
    },
  );
});

describe('functions', () => {
  it.each(specs.map((spec) => [spec.id, spec] as const))(
    '%s: Node 24 on arm64, traced, ESM bundle, memory and timeout from the manifest',
    (id, spec) => {
      const props = s.functionProps(id);
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        MemorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
        Timeout: spec.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: s.logicalId(s.stack.fn(id).logGroup) } },
      });
      expect(props.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: `clienteling-${spec.capability}`,
      });
      // Source maps cost every cold start 40-70 ms (npm run bench): the map ships, the flag does not.
      expect(props.Environment.Variables.NODE_OPTIONS).toBeUndefined();
    },
  );

  it('keeps every function log group for a bounded time', () => {
    const groups = Object.values(s.template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(specs.length);
    for (const group of groups) expect(group.Properties.RetentionInDays).toEqual(expect.any(Number));
  });

  it.each(specs.map((spec) => [spec.id, spec] as const))(
    '%s: one variable per `uses` key, and only those',
    (id, spec) => {
      const variables = s.functionProps(id).Environment.Variables as Record<string, unknown>;
      const { uses } = spec;
      const expected: Record<string, unknown> = {};
      if (uses.table) expected[ENV.table] = { Ref: ids.table };
      if (uses.uploads) expected[ENV.uploads] = { Ref: ids.uploads };
      if (uses.images) expected[ENV.images] = { Ref: ids.images };
      if (uses.importQueue) expected[ENV.importQueue] = { Ref: ids.queue };
      if (uses.inboundQueue) expected[ENV.inboundQueue] = { Ref: ids.inbound };
      if (uses.mediaQueue) expected[ENV.mediaQueue] = { Ref: s.logicalId(s.stack.storage.queues.media.queue) };
      if (uses.attributionQueue)
        expected[ENV.attributionQueue] = { Ref: s.logicalId(s.stack.storage.queues.attribution.queue) };
      if (uses.erasureQueue) expected[ENV.erasureQueue] = { Ref: s.logicalId(s.stack.storage.queues.erasure.queue) };
      if (uses.senderQueue) expected[ENV.senderQueue] = { Ref: s.logicalId(s.stack.storage.queues.send.queue) };
      if (uses.bulkSenderQueue)
        expected[ENV.bulkSenderQueue] = { Ref: s.logicalId(s.stack.storage.queues['send-bulk'].queue) };
      if (uses.secrets?.includes('twilio')) expected[ENV.twilioSecret] = { Ref: ids.twilio };
      if (uses.secrets?.includes('payment')) expected[ENV.paymentSecret] = { Ref: ids.payment };
      if (uses.secrets?.includes('suppression')) expected[ENV.suppressionSecret] = { Ref: ids.suppression };
      if (uses.secrets?.includes('cursor')) expected[ENV.cursorSecret] = { Ref: ids.cursor };
      if (uses.publicBaseUrl) expected[ENV.publicBaseUrl] = { 'Fn::Join': ['', Match.arrayWith([{ Ref: ids.api }])] };
      if (uses.zoneSchedules) {
        const zones = s.stack.zoneSchedules;
        expected[ENV.zoneScheduleGroup] = s.stack.resolve(zones.group.scheduleGroupName);
        expected[ENV.zoneScheduleRole] = { 'Fn::GetAtt': [s.logicalId(zones.role), 'Arn'] };
        const target = specs.find((other) => other.zoneMidnights)!;
        expected[ENV.zoneScheduleTarget] = { 'Fn::GetAtt': [s.logicalId(s.stack.fn(target.id).fn), 'Arn'] };
      }
      if (uses.eventBus) expected[ENV.eventBus] = { Ref: s.logicalId(s.stack.liveEvents.bus) };
      if (uses.webSocketConnections)
        expected[ENV.webSocketCallbackUrl] = {
          'Fn::Join': ['', Match.arrayWith([{ Ref: s.logicalId(s.stack.liveEvents.webSocketApi) }])],
        };
      if (uses.userPool) {
        expected[ENV.userPoolId] = { Ref: s.logicalId(s.stack.api.userPool) };
        expected[ENV.userPoolClientId] = { Ref: s.logicalId(s.stack.api.appClient) };
      }
      const bindingVariables = Object.fromEntries(
        Object.entries(variables).filter(([name]) => (Object.values(ENV) as string[]).includes(name)),
      );
      expect(Object.keys(bindingVariables).sort()).toEqual(Object.keys(expected).sort());
      s.template.hasResourceProperties('AWS::Lambda::Function', {
        Description: spec.description,
        Environment: { Variables: Match.objectLike(expected) },
      });
    },
  );

  it.each(specs.map((spec) => [spec.id, spec] as const))('%s: grants follow `uses` exactly', (id, spec) => {
    const statements = s.statementsOf(id);
    const { uses } = spec;
    // A stream consumer also reads the table's stream (the event source mapping's own grant).
    const STREAM_READS = [
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ];
    const onTable = actionsOf(statementsOn(statements, ids.table)).filter(
      (action) => !(spec.stream && STREAM_READS.includes(action)),
    );
    if (uses.table) expect(onTable.sort()).toEqual(tableActions(tableGrantOf(uses.table).operations));
    else expect(onTable).toEqual([]);
    expect(onTable).not.toContain('dynamodb:Scan');

    for (const which of ['uploads', 'images'] as const) {
      const onBucket = actionsOf(statementsOn(statements, ids[which]));
      if (!uses[which]) expect(onBucket).toEqual([]);
      else {
        expect(onBucket).toContain('s3:GetObject');
        expect(onBucket.includes('s3:PutObject')).toBe(uses[which] !== 'read');
        expect(onBucket.includes('s3:DeleteObjectVersion')).toBe(uses[which] === 'rewrite');
        expect(onBucket.includes('s3:ListBucketVersions')).toBe(uses[which] === 'rewrite');
      }
    }

    const sendsToQueue = actionsOf(statementsOn(statements, ids.queue)).includes('sqs:SendMessage');
    expect(sendsToQueue).toBe(uses.importQueue === 'send');
    for (const secret of ['twilio', 'payment', 'suppression', 'cursor'] as const) {
      const readsSecret = actionsOf(statementsOn(statements, ids[secret])).includes('secretsmanager:GetSecretValue');
      expect(readsSecret).toBe(uses.secrets?.includes(secret) ?? false);
    }
    expect(actionsOf(statements).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('CartPage reads share links, carts and stores only: GetItem under those partition keys', () => {
    const onTable = statementsOn(s.statementsOf('CartPage'), ids.table);
    expect(onTable).toHaveLength(1);
    expect(onTable[0]).toMatchObject({
      Action: 'dynamodb:GetItem',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...CART_PAGE_KEYS] } },
    });
    // The prefixes cannot reach another capability's partitions (CUSTOMER#, CONV#, CAMPAIGN#, CARTPAYMENT#, STOREPHONE#…).
    const matches = (key: string) => CART_PAGE_KEYS.some((p) => new RegExp(`^${p.replace('*', '.*')}$`).test(key));
    expect(['CARTLINK#ab12', 'CART#c1', 'STORE#nyc'].every(matches)).toBe(true);
    expect(
      ['CUSTOMER#1', 'CUSTEMAIL#a@b.co', 'CONV#1', 'CAMPAIGN#1', 'CARTPAYMENT#p1', 'STOREPHONE#+1212'].some(matches),
    ).toBe(false);
  });

  it.each(
    specs
      .filter((spec) => typeof spec.uses.table === 'object' && spec.uses.table.leadingKeys)
      .map((spec) => [spec.id, spec] as const),
  )('%s: its table statement is limited to the partitions the manifest names', (id, spec) => {
    const onTable = statementsOn(s.statementsOf(id), ids.table);
    expect(onTable).toHaveLength(1);
    expect((onTable[0] as unknown as { Condition: unknown }).Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...tableGrantOf(spec.uses.table!).leadingKeys!] },
    });
  });

  it('TwilioWebhook cannot touch the uploads bucket', () => {
    expect(statementsOn(s.statementsOf('TwilioWebhook'), ids.uploads)).toEqual([]);
  });

  it('CampaignImport can send to the import queue and only read uploads', () => {
    const statements = s.statementsOf('CampaignImport');
    expect(actionsOf(statementsOn(statements, ids.queue))).toContain('sqs:SendMessage');
    expect(actionsOf(statementsOn(statements, ids.uploads))).not.toContain('s3:PutObject');
  });
});

describe('bundles', () => {
  const assetDir = (id: string) =>
    join(s.app.outdir, `asset.${String(s.functionProps(id).Code.S3Key).replace(/\.zip$/, '')}`);

  it.each(specs.filter((spec) => sideBundlesOf(spec).length > 0).map((spec) => [spec.id, spec] as const))(
    '%s ships the side bundles it declares beside its handler, and its handler inlines neither twilio nor S3',
    (id, spec) => {
      for (const side of sideBundlesOf(spec)) expect(existsSync(join(assetDir(id), side.outfile))).toBe(true);
      const handler = readFileSync(join(assetDir(id), 'index.mjs'), 'utf8');
      expect(handler).not.toContain('api.twilio.com');
      expect(handler).not.toContain('AmazonS3');
    },
  );

  it.each(specs.filter((spec) => spec.uses.table).map((spec) => [spec.id, spec] as const))(
    '%s: the table grant names exactly the DynamoDB operations its bundle calls',
    (id, spec) => {
      const used = [...sdkOperationsIn(readFileSync(join(assetDir(id), 'index.mjs'), 'utf8'))]
        .filter((op) => DYNAMODB_OPERATIONS.has(op))
        .sort();
      expect(used).not.toContain('Scan');
      expect(used).toEqual([...tableGrantOf(spec.uses.table!).operations].sort());
    },
  );

  it.each(specs.map((spec) => [spec.id, spec] as const))(
    '%s traces through the light X-Ray client, not the X-Ray SDK (functions/shared/xray.ts)',
    (id) => {
      const code = readFileSync(join(assetDir(id), 'index.mjs'), 'utf8');
      expect(code).toContain('AWS_XRAY_DAEMON_ADDRESS');
      expect(code).toContain('{"format":"json","version":1}');
      expect(code).not.toContain('aws-xray-sdk');
      expect(code).not.toContain('XRaySDKInstrumentation');
    },
  );

  it('keeps every handler bundle under 1 MB', () => {
    for (const spec of specs)
      expect(readFileSync(join(assetDir(spec.id), 'index.mjs')).length).toBeLessThan(1024 * 1024);
  });
});

describe('triggers and schedules', () => {
  it('invokes each S3-triggered function (CampaignImport, ExportWriter) for objects created under each of its prefixes', () => {
    const notifications = Object.values(s.template.findResources('Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    expect(notifications[0]!.Properties.BucketName).toEqual({ Ref: ids.uploads });
    const configs = notifications[0]!.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Array<
      Record<string, any>
    >;
    const triggered = specs.filter((spec) => spec.s3);
    expect(triggered.map((spec) => spec.id).sort()).toEqual(['CampaignImport', 'ExportWriter']);
    const allPrefixes = triggered.flatMap((spec) => spec.s3!.prefixes);
    expect(configs).toHaveLength(allPrefixes.length);
    for (const spec of triggered) {
      const arn = { 'Fn::GetAtt': [s.logicalId(s.stack.fn(spec.id).fn), 'Arn'] };
      for (const prefix of spec.s3!.prefixes) {
        expect(configs).toContainEqual({
          Events: ['s3:ObjectCreated:*'],
          Filter: {
            Key: {
              FilterRules: [
                { Name: 'suffix', Value: spec.s3!.suffix },
                { Name: 'prefix', Value: prefix },
              ],
            },
          },
          LambdaFunctionArn: arn,
        });
      }
    }
    // Every watched prefix expires: the uploads' rules, or the exports' one.
    expect([...UPLOAD_PREFIXES, EXPORTS_PREFIX].sort()).toEqual(
      [...allPrefixes.filter((prefix) => !prefix.startsWith(EXPORTS_PREFIX)), EXPORTS_PREFIX].sort(),
    );
  });

  it('feeds OutreachWriter from the import queue with partial batch failures, at most WRITER_MAX_CONCURRENCY at once', () => {
    const writer = specs.find((spec) => spec.id === 'OutreachWriter')!;
    s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [ids.queue, 'Arn'] },
      FunctionName: { Ref: s.logicalId(s.stack.fn('OutreachWriter').fn) },
      BatchSize: writer.sqs!.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: WRITER_MAX_CONCURRENCY },
    });
    expect(WRITER_MAX_CONCURRENCY).toBeGreaterThanOrEqual(2);
  });

  it('leaves the dead-letter queue unconsumed, so its messages wait for a redrive', () => {
    const mappings = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings.filter((m) => JSON.stringify(m.Properties.EventSourceArn).includes(`"${ids.dlq}"`))).toEqual([]);
    expect(IMPORT_QUEUE_MAX_RECEIVES).toBeGreaterThanOrEqual(5);
  });

  it('retries the S3-triggered import twice, then sends the event to the async-failures queue', () => {
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: s.logicalId(s.stack.fn('CampaignImport').fn) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [s.logicalId(s.stack.storage.asyncFailures), 'Arn'] } },
      },
    });
    const sends = s
      .statementsOf('CampaignImport')
      .filter((st) => JSON.stringify(st.Resource).includes(`"${s.logicalId(s.stack.storage.asyncFailures)}"`));
    expect(actionsOf(sends)).toEqual(expect.arrayContaining(['sqs:SendMessage']));
  });

  it.each([
    ['CartSweeper', 'rate(15 minutes)'],
    ['ConversationArchiver', 'rate(15 minutes)'],
    ['ImportWatchdog', 'rate(15 minutes)'],
    ['WhatsAppTemplateRefresh', 'rate(1 hour)'],
  ])('runs %s on %s', (functionId, expression) => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: expression,
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [s.logicalId(s.stack.fn(functionId).fn), 'Arn'] } })],
    });
  });

  it('has one rule per manifest schedule', () => {
    expect(Object.keys(s.template.findResources('AWS::Events::Rule'))).toHaveLength(
      specs.filter((spec) => spec.schedule).length,
    );
  });
});

describe('zone schedules', () => {
  const groupId = () => s.logicalId(s.stack.zoneSchedules.group);
  const groupName = () => s.stack.resolve(s.stack.zoneSchedules.group.scheduleGroupName) as string;
  const roleId = () => s.logicalId(s.stack.zoneSchedules.role);
  const sweeperId = () => s.logicalId(s.stack.fn('CartSweeper').fn);
  const policiesOfRole = (id: string) =>
    Object.values(s.template.findResources('AWS::IAM::Policy')).filter(
      (p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: id }]),
    );

  it('has one schedule group, deleted with the stack (and its schedules with it)', () => {
    const groups = s.template.findResources('AWS::Scheduler::ScheduleGroup');
    expect(Object.keys(groups)).toEqual([groupId()]);
    expect(groups[groupId()]!.DeletionPolicy).toBe('Delete');
    expect(groups[groupId()]!.Properties.Name).toBe(groupName());
  });

  it('has a role only EventBridge Scheduler of this account can assume, allowed to invoke the cart sweeper and nothing else', () => {
    s.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const role = s.template.toJSON().Resources[roleId()];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: 'scheduler.amazonaws.com',
    });
    const statements = policiesOfRole(roleId()).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [sweeperId(), 'Arn'] } },
    ]);
  });

  it('lets the stores function create and read schedules in that group only, and pass that role to Scheduler only', () => {
    const statements = s.statementsOf('StoresApi');
    const scheduling = statements.filter((st) => actionsOf([st]).some((a) => a.startsWith('scheduler:')));
    expect(scheduling).toHaveLength(1);
    expect(actionsOf(scheduling).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:GetSchedule']);
    expect(scheduling[0]!.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':scheduler:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:schedule/${groupName()}/*`,
        ],
      ],
    });

    const passing = statements.filter((st) => actionsOf([st]).includes('iam:PassRole'));
    expect(passing).toEqual([
      {
        Action: 'iam:PassRole',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [roleId(), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('gives no other function any Scheduler action or PassRole', () => {
    for (const spec of specs.filter((other) => other.uses.zoneSchedules === undefined)) {
      const actions = actionsOf(s.statementsOf(spec.id));
      expect(actions.filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')).toEqual([]);
    }
  });

  it('keeps the 15-minute rule on the sweeper as the safety net', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [sweeperId(), 'Arn'] } })],
    });
  });
});

describe('outputs', () => {
  it('names the API URL, the user pool and client, the uploads bucket and both secrets', () => {
    const outputs = s.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    s.template.hasOutput('ApiUrl', { Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: ids.api }])] } });
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: s.logicalId(s.stack.api.userPool) });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: s.logicalId(s.stack.api.appClient) });
    expect(outputs.UploadsBucketName?.Value).toEqual({ Ref: ids.uploads });
    expect(outputs.TwilioSecretArn?.Value).toEqual({ Ref: ids.twilio });
    expect(outputs.PaymentWebhookSecretArn?.Value).toEqual({ Ref: ids.payment });
  });
});
