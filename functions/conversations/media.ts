/**
 * Conversation images in the images bucket: presigned uploads for associates (keys scoped by
 * store, so one store cannot send another's), the size/type check before an MMS goes out,
 * short-lived download URLs (Twilio's MediaUrl and the app), and copies of inbound MMS media.
 */
import { randomUUID } from 'node:crypto';
import { backoff, forEachConcurrently } from '../shared/concurrency';
import { loadS3 } from '../shared/s3';
import { loadConfig } from '../shared/config';
import { RuleViolationError, ValidationError } from '../shared/errors';
import type { Message } from './model';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, mediaStatusOf, type ImageType } from './rules';

const bucket = () => loadConfig('images').images;

export const UPLOAD_URL_SECONDS = 15 * 60;
/** Long enough for Twilio to fetch an MMS image, short enough not to become a public link. */
export const DOWNLOAD_URL_SECONDS = 60 * 60;

const uploadPrefix = (storeId: string) => `outbound/${storeId}/`;

export async function createUpload(
  storeId: string,
  contentType: ImageType,
): Promise<{
  mediaKey: string;
  upload: { url: string; method: 'PUT'; headers: Record<string, string> };
  maxBytes: number;
  expiresInSeconds: number;
}> {
  const mediaKey = `${uploadPrefix(storeId)}${randomUUID()}.${IMAGE_TYPES[contentType]}`;
  const { client, sdk } = await loadS3();
  const url = await sdk.getSignedUrl(
    client,
    new sdk.PutObjectCommand({ Bucket: bucket(), Key: mediaKey, ContentType: contentType }),
    { expiresIn: UPLOAD_URL_SECONDS },
  );
  return {
    mediaKey,
    upload: { url, method: 'PUT', headers: { 'content-type': contentType } },
    maxBytes: MAX_IMAGE_BYTES,
    expiresInSeconds: UPLOAD_URL_SECONDS,
  };
}

/**
 * A presigned PUT cannot cap the size, so the send checks the uploaded object: it must belong
 * to the sending store, exist, be at most 5 MB and be one of the image types.
 */
export async function checkUploadedImage(
  storeId: string,
  mediaKey: string,
): Promise<{ mediaKey: string; contentType: ImageType }> {
  const notYours = () =>
    new ValidationError(`mediaKey ${mediaKey} is not an upload of this store.`, [
      { in: 'body', field: 'mediaKey', detail: 'unknown media' },
    ]);
  if (!mediaKey.startsWith(uploadPrefix(storeId)) || mediaKey.includes('..')) throw notYours();
  const { client, sdk } = await loadS3();
  let head;
  try {
    head = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket(), Key: mediaKey }));
  } catch (error) {
    if (
      (error as { name?: string }).name === 'NotFound' ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
    ) {
      throw new RuleViolationError(
        `Nothing was uploaded under mediaKey ${mediaKey}; PUT the image to the upload URL first.`,
        'media-missing',
      );
    }
    throw error;
  }
  const size = head.ContentLength ?? 0;
  if (size > MAX_IMAGE_BYTES)
    throw new RuleViolationError(
      `The image is ${size} bytes; images can be at most ${MAX_IMAGE_BYTES} bytes (5 MB).`,
      'media-too-large',
    );
  const contentType = (head.ContentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(contentType in IMAGE_TYPES))
    throw new RuleViolationError(
      `The upload is ${contentType || 'of no content type'}; only ${Object.keys(IMAGE_TYPES).join(', ')} can be sent.`,
      'media-type',
    );
  const expectedExtension = mediaKey.slice(mediaKey.lastIndexOf('.') + 1);
  if (IMAGE_TYPES[contentType as ImageType] !== expectedExtension) {
    throw new RuleViolationError(
      `The upload's content type ${contentType} does not match the type it was requested for (.${expectedExtension}).`,
      'media-type',
    );
  }
  return { mediaKey, contentType: contentType as ImageType };
}

export async function mediaDownloadUrl(mediaKey: string): Promise<string> {
  const { client, sdk } = await loadS3();
  return sdk.getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: bucket(), Key: mediaKey }), {
    expiresIn: DOWNLOAD_URL_SECONDS,
  });
}

export function mediaUrlsFor(mediaKeys: readonly string[]): Promise<string[]> {
  return Promise.all(mediaKeys.map(mediaDownloadUrl));
}

/** Twilio's own cap on an MMS media item: anything larger is not an MMS we would have been sent. */
export const MAX_INBOUND_MEDIA_BYTES = 5 * 1024 * 1024;
/** One fetch of a media item may take this long (the whole download, headers to last byte). */
export const MEDIA_FETCH_TIMEOUT_MS = 8_000;
export const MEDIA_FETCH_ATTEMPTS = 3;
/** A try that would have less time than this before the caller's deadline is not started. */
const MIN_TRY_MS = 500;

/** Where inbound item `index` of a message is copied: derived, so a second copy overwrites the first. */
export const inboundMediaKey = (storeId: string, messageSid: string, index: number): string =>
  `inbound/${storeId}/${messageSid}/${index}`;

class MediaTooLargeError extends Error {}

/** Reads a response body up to `cap` bytes; one byte more aborts the download. */
async function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      throw new MediaTooLargeError(`larger than ${cap} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/**
 * Copies one inbound MMS item into the bucket so associates never depend on Twilio's URL. Each
 * try is bounded in time (the whole download) and the body in size (Twilio's 5 MB): a declared
 * length is checked first, and the body is read up to the cap (refused beyond it) and put in the
 * bucket. Failed tries are retried with a short backoff while `deadline` leaves time for
 * another; an item that cannot be had is answered `unavailable` with the reason. Live Twilio
 * media needs the account's basic auth; `auth` is omitted for local URLs.
 */
export async function copyInboundMedia(input: {
  mediaKey: string;
  url: string;
  contentType: string;
  auth?: { username: string; password: string };
  timeoutMs?: number;
  attempts?: number;
  /** Epoch ms: no try runs past it (the caller's share of its function's time). */
  deadline?: number;
}): Promise<{ status: 'available'; contentType: string } | { status: 'unavailable'; reason: string }> {
  const headers: Record<string, string> = {};
  if (input.auth)
    headers.authorization = `Basic ${Buffer.from(`${input.auth.username}:${input.auth.password}`).toString('base64')}`;
  let reason = 'not fetched';
  const attempts = input.attempts ?? MEDIA_FETCH_ATTEMPTS;
  const deadline = input.deadline ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const timeoutMs = Math.min(input.timeoutMs ?? MEDIA_FETCH_TIMEOUT_MS, deadline - Date.now());
    if (timeoutMs < MIN_TRY_MS) {
      reason = attempt === 1 ? 'out of time before the first try' : `${reason} (out of time for another try)`;
      break;
    }
    try {
      const response = await fetch(input.url, { headers, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok || !response.body) throw new Error(`answered HTTP ${response.status}`);
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > MAX_INBOUND_MEDIA_BYTES) {
        await response.body.cancel();
        throw new MediaTooLargeError(`declares ${declared} bytes, more than ${MAX_INBOUND_MEDIA_BYTES}`);
      }
      const contentType = input.contentType || response.headers.get('content-type') || 'application/octet-stream';
      // At most 5 MB in memory: a streamed upload of unknown checksum goes out aws-chunked, which
      // some S3-compatible stores (s3rver) keep as framing inside the object.
      const body = await readCapped(response.body, MAX_INBOUND_MEDIA_BYTES);
      const { client, sdk } = await loadS3();
      await client.send(
        new sdk.PutObjectCommand({ Bucket: bucket(), Key: input.mediaKey, ContentType: contentType, Body: body }),
      );
      return { status: 'available', contentType };
    } catch (error) {
      reason =
        error instanceof MediaTooLargeError
          ? `too large: ${error.message}`
          : (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError'
            ? 'timed out'
            : (error as Error).message;
      if (error instanceof MediaTooLargeError) break; // the same file again will not be smaller
      if (attempt < attempts) await backoff(attempt, 100, 1_000);
    }
  }
  return { status: 'unavailable', reason };
}

/** Deletes images of the bucket (an erased customer's conversation); keys already gone are fine. */
export async function deleteMedia(mediaKeys: readonly string[]): Promise<void> {
  // One DeleteObject each: a conversation holds few images, and a single delete needs no
  // Content-MD5 (which the local S3 engine and the SDK's checksum settings disagree on).
  if (mediaKeys.length === 0) return;
  const { client, sdk } = await loadS3();
  await forEachConcurrently(mediaKeys, 8, async (Key) => {
    await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket(), Key }));
  });
}

/** The API shape: each media item with a fresh short-lived download URL. */
export async function withUrls(message: Message): Promise<Message> {
  if (message.media.length === 0) return message;
  return {
    ...message,
    media: await Promise.all(
      message.media.map(async (m) => {
        const status = mediaStatusOf(m);
        return status === 'available' ? { ...m, status, url: await mediaDownloadUrl(m.mediaKey) } : { ...m, status };
      }),
    ),
  };
}
