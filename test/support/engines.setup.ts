/**
 * Runs in each integration worker before the test file is imported: points the SDK's default
 * clients (functions/shared/clients.ts) at the local engines, so handlers run unchanged.
 */
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lib/local/engines';
import { TEST_BUCKETS } from './buckets';
import { startSenderQueues } from './sender-queue';

process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamoEndpoint');
process.env.AWS_ENDPOINT_URL_S3 = inject('s3Endpoint');
process.env.AWS_REGION = LOCAL_REGION;
process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
process.env.UPLOADS_BUCKET = TEST_BUCKETS.uploads;
process.env.IMAGES_BUCKET = TEST_BUCKETS.images;
process.env.PUBLIC_BASE_URL ??= 'http://127.0.0.1:3000';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_DEV ??= 'true';

// Every send a handler records goes through the sender queues and the real sender worker.
await startSenderQueues();
