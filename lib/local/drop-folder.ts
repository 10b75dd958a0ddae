/**
 * The drop folder: a file copied into it is uploaded to `incoming/<file name>` in the uploads
 * bucket (which starts the import through the S3 trigger), then moved to `imported/` so that a
 * restart does not import it again. The folder is polled rather than watched: fs.watch misses
 * events on some file systems, and polling also sees files copied in while the stack was down.
 * A file is uploaded only once its size and modification time stopped changing, so a large CSV
 * still being copied is not imported half-written. A file the import's trigger would not take
 * (its name does not end in the trigger's suffix, `.csv`) is not uploaded: it stays where it is
 * and one log line says why (again only once it changes). An upload that fails (the local S3
 * busy or restarting) is tried again, after 1 s, then 2, 4… up to a minute, and at once when the
 * file changes: a dropped file is never left behind until the next start.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createReadStream, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const DROP_PREFIX = 'incoming/';
const IMPORTED_DIR = 'imported';

export interface DropFolderOptions {
  readonly dir: string;
  readonly bucket: string;
  readonly s3: S3Client;
  /** The end of the names the import's S3 trigger takes (lib/functions.ts, CampaignImport `s3.suffix`). */
  readonly suffix: string;
  readonly pollMs?: number;
  /** The wait before the first retry of a failed upload (doubled each time, at most MAX_RETRY_MS). */
  readonly retryMs?: number;
  readonly log: (line: string) => void;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

export class DropFolder {
  /** Files seen but not uploaded yet, with what they looked like at the last poll. */
  private readonly pending = new Map<string, { size: number; mtimeMs: number; stableSince?: number }>();
  private readonly uploading = new Set<string>();
  /** Files whose upload failed, as they were then: tried again at `retryAt`, or at once when they change. */
  private readonly failed = new Map<string, { size: number; mtimeMs: number; retryAt: number; waitMs: number }>();
  /** Files not uploaded because the import would ignore them, as they were when that was said. */
  private readonly ignored = new Map<string, { size: number; mtimeMs: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DropFolderOptions) {
    mkdirSync(options.dir, { recursive: true });
    mkdirSync(join(options.dir, IMPORTED_DIR), { recursive: true });
  }

  start(): void {
    const poll = () => {
      this.poll();
      this.timer = setTimeout(poll, this.options.pollMs ?? 500);
    };
    poll();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** True while a file waits to settle or is being uploaded. */
  busy(): boolean {
    return this.pending.size > 0 || this.uploading.size > 0;
  }

  private poll(): void {
    let names: string[];
    try {
      names = readdirSync(this.options.dir);
    } catch {
      return;
    }
    const present = new Set<string>();
    for (const name of names) {
      if (name.startsWith('.') || name === IMPORTED_DIR || this.uploading.has(name)) continue;
      let stats;
      try {
        stats = statSync(join(this.options.dir, name));
      } catch {
        continue;
      }
      if (!stats.isFile()) continue;
      if (!name.endsWith(this.options.suffix)) {
        this.ignore(name, stats);
        continue;
      }
      const failure = this.failed.get(name);
      const sameAsFailed = failure !== undefined && failure.size === stats.size && failure.mtimeMs === stats.mtimeMs;
      if (sameAsFailed && Date.now() < failure.retryAt) continue;
      present.add(name);
      if (!sameAsFailed) {
        this.failed.delete(name);
        const seen = this.pending.get(name);
        const unchanged = seen && seen.size === stats.size && seen.mtimeMs === stats.mtimeMs;
        if (!unchanged) {
          this.pending.set(name, { size: stats.size, mtimeMs: stats.mtimeMs });
          continue;
        }
        // Two polls in a row with the same size and mtime: the copy has finished.
        this.pending.delete(name);
      }
      // Settled, or a failed upload's retry is due (the file was settled when it was first tried).
      this.uploading.add(name);
      void this.options.track(this.upload(name, stats.size, stats.mtimeMs)).finally(() => this.uploading.delete(name));
    }
    for (const name of this.pending.keys()) if (!present.has(name)) this.pending.delete(name);
  }

  /** Says once (per content) why a file is left in the folder: the import takes only names ending in the suffix. */
  private ignore(name: string, stats: { size: number; mtimeMs: number }): void {
    const said = this.ignored.get(name);
    if (said && said.size === stats.size && said.mtimeMs === stats.mtimeMs) return;
    this.ignored.set(name, { size: stats.size, mtimeMs: stats.mtimeMs });
    this.options.log(
      `drop: ${name} ignored: the import takes only files ending in ${this.options.suffix} (s3://${this.options.bucket}/${DROP_PREFIX}<name>${this.options.suffix}); left in the drop folder`,
    );
  }

  private async upload(name: string, size: number, mtimeMs: number): Promise<void> {
    const path = join(this.options.dir, name);
    const key = DROP_PREFIX + name;
    try {
      await this.options.s3.send(
        new PutObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Body: createReadStream(path),
          ContentLength: size,
          ContentType: name.toLowerCase().endsWith('.csv') ? 'text/csv' : 'application/octet-stream',
        }),
      );
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      renameSync(path, join(this.options.dir, IMPORTED_DIR, `${stamp}-${name}`));
      this.options.log(
        `drop: ${name} (${size} bytes) uploaded to s3://${this.options.bucket}/${key}, moved to ${IMPORTED_DIR}/`,
      );
    } catch (error) {
      const last = this.failed.get(name);
      const waitMs = last ? Math.min(last.waitMs * 2, MAX_RETRY_MS) : (this.options.retryMs ?? FIRST_RETRY_MS);
      this.failed.set(name, { size, mtimeMs, retryAt: Date.now() + waitMs, waitMs });
      this.options.log(`drop: uploading ${name} failed: ${(error as Error).message}; trying again in ${waitMs} ms`);
    }
  }
}
