/**
 * All state of the system: the single DynamoDB table (shape from functions/shared/table.ts), the
 * uploads and conversation-images buckets, the queues of lib/queues.ts with their dead-letter queues, and the
 * Secrets Manager secrets for Twilio and the payment provider. Functions reach these only
 * through ClientelingFunction.bind, which sets the variable and the grant together.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXPORT_EXPIRY_DAYS } from '../../functions/reports/rules';
import { TABLE } from '../../functions/shared/table';
import type { FunctionSpec, SecretName } from '../function-spec';
import { FUNCTIONS } from '../functions';
import type { QueueName } from '../queues';
import { buildQueues, type BuiltQueue } from './queues';

export interface StorageProps {
  /** Throwaway stages delete their data with the stack; everything else keeps it. */
  readonly throwaway: boolean;
  /** Browser origins that may PUT to presigned URLs and GET images; none by default. */
  readonly corsOrigins?: readonly string[];
  /** The table's warm throughput (units/s it takes at once); either may be unset, both unset: none configured. */
  readonly warmThroughput?: { readonly readUnitsPerSecond?: number; readonly writeUnitsPerSecond?: number };
}

/** Campaign CSVs are read once by the import; after that they are only an audit copy. */
export const UPLOAD_EXPIRY_DAYS = 30;
/** Conversation images stay readable in the chat history, on cheaper storage as they age. */
export const IMAGES_INFREQUENT_ACCESS_DAYS = 90;
export const IMAGES_GLACIER_IR_DAYS = 365;
export const ACCESS_LOG_EXPIRY_DAYS = 365;
/** Campaign exports and their requests (functions/reports/export-campaign.ts): one rule expires them all. */
export const EXPORTS_PREFIX = 'exports/';
/** Uploads land under the prefixes the manifest's S3 triggers watch (presigned PUT, drop prefix); exports have their own rule. */
export const UPLOAD_PREFIXES: readonly string[] = [
  ...new Set((FUNCTIONS as readonly FunctionSpec[]).flatMap((spec) => spec.s3?.prefixes ?? [])),
].filter((prefix) => !prefix.startsWith(EXPORTS_PREFIX));

/** The table's `warmThroughput` prop with only the values given, or nothing when none is. */
function warmThroughputOf(warm: StorageProps['warmThroughput']): Pick<dynamodb.TableProps, 'warmThroughput'> {
  const given = Object.fromEntries(Object.entries(warm ?? {}).filter(([, units]) => units !== undefined));
  return Object.keys(given).length === 0 ? {} : { warmThroughput: given };
}

export class Storage extends Construct {
  readonly table: dynamodb.Table;
  readonly accessLogs: s3.Bucket;
  readonly uploads: s3.Bucket;
  readonly images: s3.Bucket;
  /** The declared queues (lib/queues.ts), each with its dead-letter queue. */
  readonly queues: Readonly<Record<QueueName, BuiltQueue>>;
  readonly importQueue: sqs.Queue;
  readonly importDeadLetters: sqs.Queue;
  /** Twilio's inbound messages between the webhook and the worker; FIFO, one message group per conversation. */
  readonly inboundQueue: sqs.Queue;
  readonly inboundDeadLetters: sqs.Queue;
  /** Asynchronous invocations (S3 triggers) that failed every retry: their events, for a look and a replay. */
  readonly asyncFailures: sqs.Queue;
  /**
   * The table stream consumer's on-failure destination: for each batch it gave up on (retries or
   * record age spent), Lambda puts the batch's shard, sequence numbers and times here, not the
   * records themselves (README, "Operations").
   */
  readonly streamFailures: sqs.Queue;
  readonly secrets: Readonly<Record<SecretName, secretsmanager.Secret>>;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const removalPolicy = props.throwaway ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const origins = props.corsOrigins ?? [];
    const browserCors = (allowedMethods: s3.HttpMethods[]): Pick<s3.BucketProps, 'cors'> =>
      origins.length === 0
        ? {}
        : { cors: [{ allowedMethods, allowedOrigins: [...origins], allowedHeaders: ['content-type'], maxAge: 3000 }] };

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      stream: dynamodb.StreamViewType[TABLE.streamView],
      deletionProtection: !props.throwaway,
      removalPolicy,
      ...warmThroughputOf(props.warmThroughput),
    });
    for (const [indexName, keys] of Object.entries(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType[keys.projection.type],
        ...(keys.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...keys.projection.attributes] } : {}),
      });
    }

    const bucketDefaults = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy,
      autoDeleteObjects: props.throwaway,
    } satisfies s3.BucketProps;
    const abortIncompleteUploads: s3.LifecycleRule = {
      id: 'abort-incomplete-multipart-uploads',
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    };

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...bucketDefaults,
      lifecycleRules: [
        abortIncompleteUploads,
        { id: 'expire-access-logs', expiration: Duration.days(ACCESS_LOG_EXPIRY_DAYS) },
      ],
    });

    this.uploads = new s3.Bucket(this, 'Uploads', {
      ...bucketDefaults,
      // An upload over an existing key (a retried PUT, a second drop of the same name) keeps the
      // first object: the import reads the version its event names.
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      // Browsers of the named origins PUT campaign CSVs straight to the presigned URL.
      ...browserCors([s3.HttpMethods.PUT]),
      lifecycleRules: [
        abortIncompleteUploads,
        ...UPLOAD_PREFIXES.map((prefix) => ({
          id: `expire-${prefix.replace(/\/$/, '')}`,
          prefix,
          expiration: Duration.days(UPLOAD_EXPIRY_DAYS),
          noncurrentVersionExpiration: Duration.days(UPLOAD_EXPIRY_DAYS),
        })),
        // An export is a download of personal data, not an archive (docs/reports.md, "Export").
        // Older versions exist only where an erasure rewrote one (and deleted them itself).
        {
          id: 'expire-exports',
          prefix: EXPORTS_PREFIX,
          expiration: Duration.days(EXPORT_EXPIRY_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });

    this.images = new s3.Bucket(this, 'ConversationImages', {
      ...bucketDefaults,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'conversation-images/',
      ...browserCors([s3.HttpMethods.PUT, s3.HttpMethods.GET]),
      lifecycleRules: [
        abortIncompleteUploads,
        {
          id: 'age-images',
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(IMAGES_INFREQUENT_ACCESS_DAYS),
            },
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(IMAGES_GLACIER_IR_DAYS),
            },
          ],
        },
      ],
    });

    this.queues = buildQueues(this);
    this.importQueue = this.queues.import.queue;
    this.importDeadLetters = this.queues.import.deadLetters;
    this.inboundQueue = this.queues.inbound.queue;
    this.inboundDeadLetters = this.queues.inbound.deadLetters;
    this.asyncFailures = new sqs.Queue(this, 'AsyncFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.asyncFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'The on-failure destination of asynchronous invocations is itself the last stop: it is alarmed on its depth and read by an operator, a queue behind it would never be.',
    });
    this.streamFailures = new sqs.Queue(this, 'StreamFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.streamFailures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "The table stream's on-failure destination is itself the last stop: it is alarmed on its depth and read by an operator, a queue behind it would never be.",
    });

    const twilio = new secretsmanager.Secret(this, 'TwilioSecret', {
      description: 'Twilio credentials as JSON {accountSid, authToken}; set the real values after the first deploy.',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountSid: 'set-me' }),
        generateStringKey: 'authToken',
        excludePunctuation: true,
      },
      removalPolicy,
    });
    const payment = new secretsmanager.Secret(this, 'PaymentWebhookSecret', {
      description: "HMAC-SHA256 signing secret of the payment provider's webhook (plain string).",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy,
    });
    for (const secret of [twilio, payment]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'Issued by a third party (Twilio, the payment provider); rotation happens at the issuer and is pasted in, a rotation Lambda cannot do it.',
      });
    }
    // The key of the erased numbers' suppression records (HMAC of the phone): a new key could no
    // longer find them, so it is generated once and kept.
    const suppression = new secretsmanager.Secret(this, 'SuppressionKey', {
      description:
        "HMAC key of erased customers' phone numbers in suppression records (plain string). Never rotate: records are found by it.",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(suppression).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Suppression records are looked up by the HMAC under this key; rotating it would let erased, opted-out numbers be texted again.',
    });
    // The HMAC key of list cursors: a rotation (put-secret-value) leaves the old key as AWSPREVIOUS,
    // which still verifies, so a cursor given out just before it keeps working (docs/architecture.md).
    const cursor = new secretsmanager.Secret(this, 'CursorKey', {
      description:
        'HMAC-SHA256 key of list cursors (plain string). Rotate with put-secret-value; the previous key still verifies.',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(cursor).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by an operator putting a new random value (README, "Rotating the cursor key"); no rotation Lambda is needed for a key only this stack reads.',
    });
    this.secrets = { twilio, payment, suppression, cursor };
  }
}
