/**
 * The S3 SDK on its own: the client, the commands the functions send and the presigner. Deployed
 * bundles keep it out of the handler file (with its checksums, S3 middleware and XML parser it is
 * ~125 KB evaluated at load, README "Measured"): it is built into `s3-sdk.mjs` beside `index.mjs`
 * (lib/constructs/bundling.ts, SIDE_BUNDLES) and loaded by the first request that touches a
 * bucket (s3.ts), so a cold start of a function that mostly does not never parses it. Locally
 * and in tests the same import resolves to this file.
 */
export {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
export { getSignedUrl } from '@aws-sdk/s3-request-presigner';
