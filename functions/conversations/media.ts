/**
 * Conversation images in the images bucket: presigned uploads for associates (keys scoped by
 * store, so one store cannot send another's), the size/type check before an MMS goes out,
 * short-lived download URLs (Twilio's MediaUrl and the app), and copies of inbound MMS media.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '../shared/clients';
import { loadConfig } from '../shared/config';
import { RuleViolationError, ValidationError } from '../shared/errors';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, type ImageType } from './rules';

const bucket = () => loadConfig('images').images;

export const UPLOAD_URL_SECONDS = 15 * 60;
/** Long enough for Twilio to fetch an MMS image, short enough not to become a public link. */
export const DOWNLOAD_URL_SECONDS = 60 * 60;

const uploadPrefix = (storeId: string) => `outbound/${storeId}/`;

export async function createUpload(storeId: string, contentType: ImageType): Promise<{ mediaKey: string; upload: { url: string; method: 'PUT'; headers: Record<string, string> }; maxBytes: number; expiresInSeconds: number }> {
  const mediaKey = `${uploadPrefix(storeId)}${randomUUID()}.${IMAGE_TYPES[contentType]}`;
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket(), Key: mediaKey, ContentType: contentType }), { expiresIn: UPLOAD_URL_SECONDS });
  return { mediaKey, upload: { url, method: 'PUT', headers: { 'content-type': contentType } }, maxBytes: MAX_IMAGE_BYTES, expiresInSeconds: UPLOAD_URL_SECONDS };
}

/**
 * A presigned PUT cannot cap the size, so the send checks the uploaded object: it must belong
 * to the sending store, exist, be at most 5 MB and be one of the image types.
 */
export async function checkUploadedImage(storeId: string, mediaKey: string): Promise<{ mediaKey: string; contentType: ImageType }> {
  const notYours = () => new ValidationError(`mediaKey ${mediaKey} is not an upload of this store.`, [{ in: 'body', field: 'mediaKey', detail: 'unknown media' }]);
  if (!mediaKey.startsWith(uploadPrefix(storeId)) || mediaKey.includes('..')) throw notYours();
  let head;
  try {
    head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: mediaKey }));
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      throw new RuleViolationError(`Nothing was uploaded under mediaKey ${mediaKey}; PUT the image to the upload URL first.`, 'media-missing');
    }
    throw error;
  }
  const size = head.ContentLength ?? 0;
  if (size > MAX_IMAGE_BYTES) throw new RuleViolationError(`The image is ${size} bytes; images can be at most ${MAX_IMAGE_BYTES} bytes (5 MB).`, 'media-too-large');
  const contentType = (head.ContentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(contentType in IMAGE_TYPES)) throw new RuleViolationError(`The upload is ${contentType || 'of no content type'}; only image/jpeg, image/png and image/gif can be sent.`, 'media-type');
  const expectedExtension = mediaKey.slice(mediaKey.lastIndexOf('.') + 1);
  if (IMAGE_TYPES[contentType as ImageType] !== expectedExtension) {
    throw new RuleViolationError(`The upload's content type ${contentType} does not match the type it was requested for (.${expectedExtension}).`, 'media-type');
  }
  return { mediaKey, contentType: contentType as ImageType };
}

export function mediaDownloadUrl(mediaKey: string): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket(), Key: mediaKey }), { expiresIn: DOWNLOAD_URL_SECONDS });
}

export function mediaUrlsFor(mediaKeys: readonly string[]): Promise<string[]> {
  return Promise.all(mediaKeys.map(mediaDownloadUrl));
}

/**
 * Copies one inbound MMS item into the bucket so associates never depend on Twilio's URL.
 * Live Twilio media needs the account's basic auth; `auth` is omitted for local URLs.
 */
export async function copyInboundMedia(input: { storeId: string; messageSid: string; index: number; url: string; contentType: string; auth?: { username: string; password: string } }): Promise<{ mediaKey: string; contentType: string }> {
  const headers: Record<string, string> = {};
  if (input.auth) headers.authorization = `Basic ${Buffer.from(`${input.auth.username}:${input.auth.password}`).toString('base64')}`;
  const response = await fetch(input.url, { headers, redirect: 'follow' });
  if (!response.ok) throw new Error(`Fetching inbound media ${input.url} answered ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const contentType = input.contentType || response.headers.get('content-type') || 'application/octet-stream';
  const mediaKey = `inbound/${input.storeId}/${input.messageSid}/${input.index}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: mediaKey, Body: body, ContentType: contentType }));
  return { mediaKey, contentType };
}
