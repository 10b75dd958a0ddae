/**
 * Removes records from a stored CSV (an erasure, docs/rules.md "Compliance"): the object is
 * streamed through the record splitter and written again without the records the caller drops,
 * every other byte as it was. Memory stays at about one 5 MiB part whatever the file's size.
 * Idempotent: a file that holds no such record is left as it is, so a retried erasure only reads.
 *
 * In a versioned bucket (the uploads bucket on AWS) a rewrite leaves the old version behind, so
 * afterwards every older version of the key that still holds such a record is deleted too.
 * Where S3 answers no version id (an unversioned bucket, s3rver locally), there are none.
 */
import type { Readable } from 'node:stream';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { loadS3 } from './s3';
import { CsvRecordSplitter } from './csv-records';
import { ObjectWriter } from './object-writer';

/**
 * User metadata (`x-amz-meta-…`) on an object an erasure wrote: the time of the rewrite. The
 * campaign import skips such an object, so a rewrite never starts an import.
 */
export const ERASURE_REWRITE_METADATA = 'clienteling-erasure-rewrite';

export interface CsvRewrite {
  /** `missing`: no such object; `unchanged`: it held no such record; `rewritten`: written again without them. */
  outcome: 'missing' | 'unchanged' | 'rewritten';
  /** Records taken out of the current object. */
  removed: number;
  /** Older versions of the key that held such records, deleted. */
  versionsDeleted: number;
}

type Drops = (record: Buffer) => boolean;

export async function rewriteCsvWithout(bucket: string, key: string, drops: Drops, at: Date): Promise<CsvRewrite> {
  const current = await openObject(bucket, key);
  if (!current) return { outcome: 'missing', removed: 0, versionsDeleted: 0 };
  const removed = await writeKept(bucket, key, current, drops, at);
  // A version id means a versioned bucket: the version just read (or one an interrupted run rewrote) is still there.
  const versionsDeleted = current.VersionId ? await deleteVersionsHolding(bucket, key, drops) : 0;
  return { outcome: removed > 0 ? 'rewritten' : 'unchanged', removed, versionsDeleted };
}

async function openObject(
  bucket: string,
  key: string,
  versionId?: string,
): Promise<GetObjectCommandOutput | undefined> {
  const { client, sdk } = await loadS3();
  try {
    return await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  } catch (error) {
    if (error instanceof sdk.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** Streams the object into a new one without the dropped records; writes nothing when none is dropped. */
async function writeKept(
  bucket: string,
  key: string,
  object: GetObjectCommandOutput,
  drops: Drops,
  at: Date,
): Promise<number> {
  const out = new ObjectWriter({
    bucket,
    key,
    contentType: object.ContentType ?? 'text/csv',
    metadata: { ...object.Metadata, [ERASURE_REWRITE_METADATA]: at.toISOString() },
  });
  let removed = 0;
  try {
    for await (const record of recordsOf(object.Body as Readable)) {
      if (drops(record)) removed++;
      else await out.write(record);
    }
  } catch (error) {
    await out.abort();
    throw error;
  }
  if (removed === 0) await out.abort();
  else await out.complete();
  return removed;
}

async function* recordsOf(body: Readable): AsyncGenerator<Buffer> {
  const splitter = new CsvRecordSplitter();
  for await (const chunk of body) yield* splitter.push(chunk as Buffer);
  const last = splitter.end();
  if (last) yield last;
}

async function holds(body: Readable, drops: Drops): Promise<boolean> {
  for await (const record of recordsOf(body)) {
    if (drops(record)) {
      body.destroy();
      return true;
    }
  }
  return false;
}

/** Deletes each older version of the key that holds a dropped record; returns how many. */
async function deleteVersionsHolding(bucket: string, key: string, drops: Drops): Promise<number> {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  const { client, sdk } = await loadS3();
  do {
    const page = await client.send(
      new sdk.ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const version of page.Versions ?? []) {
      if (version.Key !== key || version.IsLatest || !version.VersionId) continue;
      const old = await openObject(bucket, key, version.VersionId);
      if (!old || !(await holds(old.Body as Readable, drops))) continue;
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }));
      deleted++;
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return deleted;
}
