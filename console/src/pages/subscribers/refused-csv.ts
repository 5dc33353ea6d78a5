/**
 * The refused rows of an import as a CSV file the operator can fix and import again, made in the browser
 * from the import's response. Opened in a spreadsheet, a cell that begins with = + - @ (or a tab or
 * carriage return) would run as a formula, so such a cell is prefixed with ' (OWASP's advice on CSV
 * injection): a reason quoting the bad value from the file must never become a formula.
 */
export interface RefusedRow {
  line: number;
  reason: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell, safe for spreadsheets and quoted as RFC 4180 asks. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows under a header (the column names in the operator's language), CRLF line ends. */
export function refusedRowsToCsv(rows: readonly RefusedRow[], header: { line: string; reason: string }): string {
  return [[header.line, header.reason], ...rows.map((row) => [row.line, row.reason])]
    .map((cells) => cells.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}
