// Writing CSV cells: the one place every CSV the project writes goes through (open data today; staff exports must
// use it too), so formula injection is neutralised everywhere the same way. Pure.

/**
 * A cell a spreadsheet (Excel, LibreOffice, Google Sheets) would read as a formula or a DDE call: it starts with `=`,
 * `+`, `-`, `@`, a tab or a carriage return (OWASP "CSV Injection"), or their full-width forms (U+FF1D, U+FF0B,
 * U+FF0D, U+FF20), which some spreadsheets fold to the ASCII ones.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * A plain number written as text (`+33555000000`, `-1.25`): a spreadsheet reads it as a number at worst, never as a
 * call, and data schemas type such cells (the national schema's `telephone` is `+33…` digits, coordinates are
 * numbers), so these stay exact.
 */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

/** True when a text cell would be neutralised by `csvCell` (it could run as a formula in a spreadsheet). */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/**
 * One CSV cell, RFC 4180 quoting (only cells with a comma, a quote, a line break or edge spaces are quoted, quotes
 * doubled), with formula injection neutralised as OWASP recommends: a formula-like text cell gets a leading single
 * quote and is quoted (`=1+1` → `"'=1+1"`). Numbers are written as numbers.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (isFormulaLike(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A whole CSV text: header line then one line per row (cells in header order), CRLF line ends, no BOM. */
export function toCsvText(
  header: readonly string[],
  rows: readonly Record<string, string | number | null | undefined>[],
) {
  const lines = [header.map((h) => csvCell(h)).join(',')];
  for (const r of rows) lines.push(header.map((h) => csvCell(r[h])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
