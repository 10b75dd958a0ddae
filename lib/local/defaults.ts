/** The local stack's fixed defaults (docs/architecture.md, "The local stack"), in a module light enough for `npm run token` to import. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const LOCAL_DEFAULTS = {
  port: 3000,
  dynamodbPort: 8000,
  s3Port: 4569,
  dataDir: join(REPO_ROOT, '.data'),
  dropDir: join(REPO_ROOT, 'drop'),
  tableName: 'clienteling',
  buckets: { uploads: 'clienteling-uploads', images: 'clienteling-images' },
} as const;

/** Where a command finds the running local stack when not told (`--url`): this machine, on `$PORT` or the default port. */
export const localStackUrl = (env: NodeJS.ProcessEnv = process.env): string =>
  `http://127.0.0.1:${env.PORT || LOCAL_DEFAULTS.port}`;
