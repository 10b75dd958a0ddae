/** Integration runs: one DynamoDB Local and one s3rver for the whole run, on free ports, stopped afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startS3rver } from '../../lib/local/engines';
import { TEST_BUCKETS } from './buckets';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const s3Dir = mkdtempSync(join(tmpdir(), 'clienteling-s3-'));
  const [dynamo, s3] = await Promise.all([
    startDynamoLocal(),
    startS3rver({ dataDir: s3Dir, buckets: Object.values(TEST_BUCKETS) }),
  ]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), s3.stop()]);
    rmSync(s3Dir, { recursive: true, force: true });
  };
}
