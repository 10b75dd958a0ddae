/**
 * Streams a campaign CSV through csv-parser and yields its data rows, classified, with the
 * physical line each starts on. The file is never held in memory: the byte stream flows through
 * a text check (no NUL byte, valid UTF-8) into the parser, and rows come out one at a time with
 * back-pressure. The header is checked before the first data row is yielded, so a bad header
 * fails the import before anything is written.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import csvParser from 'csv-parser';
import { isBlankRow, physicalLinesOf } from '../shared/csv-lines';
import { CsvFormatError, checkHeader, classifyRow, type ClassifiedRow } from './rules';

/** A longer "row" means the file is not the CSV we expect (or a quote was never closed). */
export const MAX_ROW_BYTES = 64 * 1024;

/** Refuses bytes that are not UTF-8 text, as the file streams past. */
class TextOnly extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (chunk.includes(0)) {
      callback(new CsvFormatError('The file is not text (it contains NUL bytes); upload a UTF-8 CSV.'));
      return;
    }
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(new CsvFormatError('The file is not text (it is not valid UTF-8); upload a UTF-8 CSV.'));
      return;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      callback(new CsvFormatError('The file is not text (it ends inside a UTF-8 character); upload a UTF-8 CSV.'));
      return;
    }
    callback();
  }
}

export interface CsvSummary {
  /** Data rows seen (blank lines excluded). */
  rows: number;
  /** Physical lines read, the header included. */
  lines: number;
}

/**
 * Yields every data row of the file in order. Throws CsvFormatError for a file that is empty,
 * has only a header, is not text, or whose header is not `customer email,store id`.
 * The generator's return value summarises the file.
 */
export async function* readCampaignRows(body: Readable): AsyncGenerator<ClassifiedRow, CsvSummary> {
  const text = new TextOnly();
  const parser = csvParser({ headers: false, maxRowBytes: MAX_ROW_BYTES });
  // pipe() does not forward errors: each stage's failure is rethrown from the parser we iterate.
  body.on('error', (error) => parser.destroy(error));
  text.on('error', (error) => parser.destroy(error));
  body.pipe(text).pipe(parser);

  let line = 1;
  let headerSeen = false;
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const cells = Object.values(record);
      const rowLine = line;
      line += physicalLinesOf(cells);
      if (isBlankRow(cells)) continue;
      if (!headerSeen) {
        checkHeader(cells);
        headerSeen = true;
        continue;
      }
      rows++;
      yield classifyRow(rowLine, cells);
    }
  } catch (error) {
    if (error instanceof CsvFormatError) throw error;
    if (error instanceof Error && /maximum size/.test(error.message)) {
      throw new CsvFormatError(
        `A row starting near line ${line} is longer than ${MAX_ROW_BYTES / 1024} KB: the file is not a campaign CSV (or a quote is never closed).`,
      );
    }
    throw error;
  } finally {
    body.unpipe(text);
    text.unpipe(parser);
    if (!body.destroyed) body.destroy();
  }
  if (!headerSeen)
    throw new CsvFormatError(
      text.bytes === 0 ? 'The file is empty.' : 'The file has no header row (only blank lines).',
    );
  if (rows === 0) throw new CsvFormatError('The file has a header but no data rows.');
  return { rows, lines: line - 1 };
}
