/**
 * CSV as spreadsheets open it safely (RFC 4180 quoting, CRLF rows, a UTF-8 byte order mark so
 * Excel reads the encoding), with text that a spreadsheet would run as a formula neutralized:
 * a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so
 * "=HYPERLINK(...)" in a client's note stays text.
 */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One cell: text is neutralized and quoted as needed; numbers are written as they are. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, ended with CRLF. */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
