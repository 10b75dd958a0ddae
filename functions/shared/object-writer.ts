/**
 * Writes an S3 object from a stream of lines without holding it: bytes gather into 5 MiB parts of
 * a multipart upload (S3's smallest part but the last), so memory stays at about one part
 * whatever the object's size. An object that never fills a part is one PutObject. Used by the
 * campaign export and by an erasure's rewrite of a stored CSV.
 */
import { loadS3 } from './s3';

const PART_BYTES = 5 * 1024 * 1024;

export interface ObjectTarget {
  bucket: string;
  key: string;
  contentType: string;
  /** User metadata (`x-amz-meta-*`) of the new object. */
  metadata?: Record<string, string>;
}

export class ObjectWriter {
  private uploadId: string | undefined;
  private readonly parts: { ETag: string; PartNumber: number }[] = [];
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly target: ObjectTarget) {}

  async write(bytes: Buffer | string): Promise<void> {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    if (this.pendingBytes >= PART_BYTES) await this.flushPart();
  }

  /** Stores the object: the last part and the upload's completion, or a single PutObject. */
  async complete(): Promise<void> {
    const { bucket: Bucket, key: Key, contentType: ContentType, metadata: Metadata } = this.target;
    const { client, sdk } = await loadS3();
    if (this.uploadId === undefined) {
      await client.send(new sdk.PutObjectCommand({ Bucket, Key, ContentType, Metadata, Body: this.takePending() }));
      return;
    }
    if (this.pendingBytes > 0) await this.flushPart();
    await client.send(
      new sdk.CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: this.parts },
      }),
    );
  }

  /** Drops what was written: the upload's parts are discarded (best effort: the bucket's lifecycle aborts what is left after a day). */
  async abort(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    if (this.uploadId === undefined) return;
    const { client, sdk } = await loadS3();
    await client
      .send(
        new sdk.AbortMultipartUploadCommand({
          Bucket: this.target.bucket,
          Key: this.target.key,
          UploadId: this.uploadId,
        }),
      )
      .catch(() => undefined);
  }

  private takePending(): Buffer {
    const body = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return body;
  }

  private async flushPart(): Promise<void> {
    const { bucket: Bucket, key: Key, contentType: ContentType, metadata: Metadata } = this.target;
    const { client, sdk } = await loadS3();
    this.uploadId ??= (await client.send(new sdk.CreateMultipartUploadCommand({ Bucket, Key, ContentType, Metadata })))
      .UploadId!;
    const PartNumber = this.parts.length + 1;
    const out = await client.send(
      new sdk.UploadPartCommand({ Bucket, Key, UploadId: this.uploadId, PartNumber, Body: this.takePending() }),
    );
    this.parts.push({ ETag: out.ETag!, PartNumber });
  }
}
