/**
 * The local drop folder leaves a file the import would ignore (its name does not end in the
 * trigger's suffix) where it is, and says why once, again only when the file changes. No upload
 * is attempted: the S3 client points nowhere, so an upload would log its failure.
 */
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { DropFolder } from '../../lib/local/drop-folder';

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A started drop folder over a fresh directory, and the lines it logged. */
function dropFolder(retryMs?: number): { dir: string; lines: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'drop-'));
  const lines: string[] = [];
  const s3 = new S3Client({ endpoint: 'http://127.0.0.1:1', region: 'us-east-1', maxAttempts: 1 });
  const drop = new DropFolder({
    dir,
    bucket: 'uploads',
    s3,
    suffix: '.csv',
    pollMs: 10,
    retryMs,
    log: (line) => lines.push(line),
    track: (work) => work,
  });
  drop.start();
  stops.push(() => {
    drop.stop();
    s3.destroy();
  });
  return { dir, lines };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the local drop folder', () => {
  it('leaves a file that is not a .csv in place and says why, once, and again once it changes', async () => {
    // Arrange
    const { dir, lines } = dropFolder();

    // Act
    writeFileSync(join(dir, 'customers.xlsx'), 'not a csv');
    await pause(150);
    const afterPolls = [...lines];
    utimesSync(join(dir, 'customers.xlsx'), new Date(), new Date(Date.now() + 5_000));
    await pause(150);

    // Assert
    expect(afterPolls).toEqual([
      'drop: customers.xlsx ignored: the import takes only files ending in .csv (s3://uploads/incoming/<name>.csv); left in the drop folder',
    ]);
    expect(lines).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['customers.xlsx', 'imported']);
  });

  it('tries a failed upload again, waiting twice as long each time, and leaves the file in place meanwhile', async () => {
    // Arrange: the S3 client points nowhere, so every upload fails.
    const { dir, lines } = dropFolder(20);

    // Act
    writeFileSync(join(dir, 'customers.csv'), 'customer email,store id\n');
    const failures = () => lines.filter((line) => line.startsWith('drop: uploading customers.csv failed'));
    for (let waited = 0; failures().length < 3 && waited < 10_000; waited += 50) await pause(50);

    // Assert
    expect(failures().length).toBeGreaterThanOrEqual(3);
    expect(
      failures()
        .slice(0, 3)
        .map((line) => / trying again in (\d+) ms$/.exec(line)?.[1]),
    ).toEqual(['20', '40', '80']);
    expect(readdirSync(dir).sort()).toEqual(['customers.csv', 'imported']);
  });
});
