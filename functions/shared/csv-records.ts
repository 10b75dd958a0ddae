/**
 * CSV records as raw bytes, for rewriting a stored CSV without some of its rows (an erasure,
 * docs/rules.md "Compliance"): a record ends at a line break outside quotes (RFC 4180, as
 * csv-parser reads it), and every record is given back byte for byte, so what is kept is exactly
 * what was stored. Pure: no I/O, fed chunk by chunk, holding at most one unfinished record.
 */

const QUOTE = 0x22;
const LF = 0x0a;

/** Splits a byte stream into records (each with its line break), one chunk at a time. */
export class CsvRecordSplitter {
  private partial: Buffer[] = [];
  private quoted = false;

  /** The records this chunk completes; the unfinished tail is kept for the next chunk. */
  push(chunk: Buffer): Buffer[] {
    const records: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      // A doubled quote inside a quoted cell toggles twice: it leaves the state as it was.
      if (byte === QUOTE) this.quoted = !this.quoted;
      else if (byte === LF && !this.quoted) {
        records.push(Buffer.concat([...this.partial, chunk.subarray(start, i + 1)]));
        this.partial = [];
        start = i + 1;
      }
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
    return records;
  }

  /** The last record, when the data does not end with a line break. */
  end(): Buffer | undefined {
    const rest = Buffer.concat(this.partial);
    this.partial = [];
    this.quoted = false;
    return rest.length > 0 ? rest : undefined;
  }
}

/** A record's first cell, unquoted (`"a""b"` is `a"b`); its line break and a leading BOM are not part of it. */
export function firstCell(record: Buffer): string {
  const text = record.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.startsWith('"')) {
    const comma = text.indexOf(',');
    return (comma === -1 ? text : text.slice(0, comma)).replace(/\r?\n$/, '');
  }
  let cell = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== '"') cell += text[i];
    else if (text[i + 1] === '"') {
      cell += '"';
      i++;
    } else break;
  }
  return cell;
}
