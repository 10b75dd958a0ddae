/**
 * The S3 client, loaded and built on first use. The SDK lives in a side bundle of its own
 * (s3-sdk.mts, README "Measured"): `loadS3()` imports it on the first call, builds the one client
 * of the container (traced, xray.ts) and hands
 * back both, so a request that never touches a bucket (an inbox page, a cart edit) never loads it.
 *
 * The local stack sets AWS_ENDPOINT_URL_S3; s3rver needs path-style addressing and no aws-chunked
 * checksums (the engine quirks in docs/architecture.md, "The local stack").
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { onFirstUse } from './first-use';
import { traced } from './xray';

/** The side bundle's exports: the S3 commands, `NoSuchKey` and the presigner's `getSignedUrl`. */
export type S3Sdk = typeof import('./s3-sdk.mjs');

export interface S3 {
  readonly client: S3Client;
  readonly sdk: S3Sdk;
}

async function load(): Promise<S3> {
  const sdk = await import('./s3-sdk.mjs');
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3);
  const client = new sdk.S3Client(
    local
      ? {
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {},
  );
  return { client: traced(client), sdk };
}

/** The container's S3 client and the SDK it came with; the first call loads them, later calls share them. */
export const loadS3: () => Promise<S3> = /* @__PURE__ */ onFirstUse(load);
