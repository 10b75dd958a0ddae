/**
 * Streams a customers CSV (the bulk loader's input: README, "Loading customers") through
 * csv-parser and yields each data row as a POST /customers/batch entry, with the physical line
 * it starts on. The header names the columns (`email` required; `phone`, `firstName`, `lastName`
 * optional, in any order); empty cells are left out, so an empty phone is no phone.
 */
import type { Readable } from 'node:stream';
import csvParser from 'csv-parser';
import { isBlankRow, physicalLinesOf } from '../shared/csv-lines';

export const CUSTOMER_COLUMNS = ['email', 'phone', 'firstName', 'lastName'] as const;
type Column = (typeof CUSTOMER_COLUMNS)[number];

/** A longer "row" means the file is not a customers CSV (or a quote was never closed). */
const MAX_ROW_BYTES = 64 * 1024;

export interface CustomerRow {
  /** The physical line the row starts on (the header is line 1). */
  readonly line: number;
  readonly entry: Partial<Record<Column, string>>;
}

export class CustomerCsvError extends Error {}

/** The columns of a header row, by position; throws for a missing `email` or a column it does not know. */
function columnsOf(cells: readonly string[]): Array<Column | undefined> {
  const known = new Map(CUSTOMER_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns = cells.map((cell) => {
    const name = cell.trim().replace(/^\uFEFF/, '');
    const column = known.get(name.toLowerCase());
    if (!column && name !== '')
      throw new CustomerCsvError(`Unknown column "${name}": the columns are ${CUSTOMER_COLUMNS.join(', ')}.`);
    return column;
  });
  if (!columns.includes('email')) throw new CustomerCsvError('The header has no email column.');
  return columns;
}

/** Every data row of the file, in order; blank lines are skipped. */
export async function* readCustomerRows(body: Readable): AsyncGenerator<CustomerRow> {
  const parser = csvParser({ headers: false, maxRowBytes: MAX_ROW_BYTES });
  body.on('error', (error) => parser.destroy(error));
  body.pipe(parser);
  let line = 1;
  let columns: Array<Column | undefined> | undefined;
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const cells = Object.values(record);
      const rowLine = line;
      line += physicalLinesOf(cells);
      if (isBlankRow(cells)) continue;
      if (!columns) {
        columns = columnsOf(cells);
        continue;
      }
      const entry: Partial<Record<Column, string>> = {};
      for (const [i, cell] of cells.entries()) {
        const column = columns[i];
        if (column && cell.trim() !== '') entry[column] = cell;
      }
      yield { line: rowLine, entry };
    }
  } finally {
    body.unpipe(parser);
    if (!body.destroyed) body.destroy();
  }
  if (!columns) throw new CustomerCsvError('The file has no header row.');
}
