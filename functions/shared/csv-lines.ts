/**
 * Lines of a parsed CSV (csv-parser's rows of cells): which rows are blank and how many physical
 * lines a row spans, so a reader can name each row by the line it starts on. Every CSV reader uses
 * them (a campaign file, a customers file), so they live here and not in one capability.
 */

/** A row that is nothing but an empty line (or spaces): skipped, but its line still counts. */
export const isBlankRow = (cells: readonly string[]): boolean =>
  cells.length === 0 || (cells.length === 1 && cells[0]!.trim() === '');

/**
 * How many physical lines a parsed row spans: one, plus the line breaks inside its quoted
 * fields (a `\r\n` inside a field is one break). The next row starts that many lines later.
 */
export function physicalLinesOf(cells: readonly string[]): number {
  let lines = 1;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) lines++;
  }
  return lines;
}
