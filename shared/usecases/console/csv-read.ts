import { parse } from 'csv-parse/sync';

/**
 * Reading a CSV file a person sends to the console (pass injections, prospects): decoding (UTF-8, or Windows-1252 as
 * a French spreadsheet saves it), the separator, the header (normalised names and aliases, required columns) and the
 * row limit. One reader for every import, so every file is refused the same way, in French, with « Rien n'a été
 * importé » when it is refused as a whole.
 */

export type Decoded = { ok: true; text: string; encoding: 'utf-8' | 'windows-1252' } | { ok: false; message: string };

/**
 * The file's text: UTF-8 when it is valid UTF-8, else Windows-1252 (what a spreadsheet saves as « CSV » in France;
 * a superset of Latin-1 for printable characters). With only a decoded string (no bytes), U+FFFD means the bytes
 * were not UTF-8 and are lost: the file is refused with how to save it.
 */
export function decodeCsv(bytes: Uint8Array | undefined, text: string): Decoded {
  if (bytes) {
    try {
      return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
    } catch {
      return { ok: true, text: decodeWindows1252(bytes), encoding: 'windows-1252' };
    }
  }
  if (text.includes('\uFFFD')) {
    return {
      ok: false,
      message:
        "Le fichier n'est pas lisible en UTF-8 (accents illisibles). Dans votre tableur, enregistrez-le au format « CSV UTF-8 », puis recommencez.",
    };
  }
  return { ok: true, text, encoding: 'utf-8' };
}

// 0x80–0x9F of Windows-1252 (€, ’, œ, …; 0x81, 0x8D, 0x8F, 0x90, 0x9D unassigned). Written out because Node's
// TextDecoder('windows-1252') decodes as ISO-8859-1 on its fast path (control characters instead of € and ’).
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

export function decodeWindows1252(bytes: Uint8Array): string {
  // Chunks of decoded characters joined once: a 4 MB file decoded byte by byte into one string would be quadratic.
  const parts: string[] = [];
  let chunk = '';
  for (const b of bytes) {
    chunk += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** The separator of the header line: the most frequent of `;`, `,` and tab (a French spreadsheet writes `;`). */
export function detectDelimiter(firstLine: string): ',' | ';' | '\t' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: (',' | ';' | '\t')[] = [';', ',', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}

/** A header name as people write it, compared without case, accents or spaces (`Code postal` = `code_postal`). */
export function normaliseColumn(h: string, aliases: Record<string, string> = {}): string {
  const k = h
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s-]+/g, '_');
  return aliases[k] ?? k;
}

export interface CsvTableSpec {
  required: readonly string[];
  optional: readonly string[];
  aliases?: Record<string, string>;
  maxRows: number;
  /** What one row is, plural, for the messages (« injections », « lieux »). */
  rowsNoun: string;
}

export interface CsvTable {
  delimiter: ',' | ';' | '\t';
  /** Normalised header names, in file order. */
  columns: string[];
  /** Data rows with their line number in the file (the header is line 1). */
  rows: { line: number; cells: string[] }[];
  /** The cell of a named column (normalised name), trimmed; '' when the column is absent. */
  at(cells: string[], name: string): string;
}

export type CsvTableOutcome =
  | { ok: true; table: CsvTable }
  | { ok: false; code: 'too_many_rows' | 'header' | 'syntax'; message: string };

/** Separator, parsing, header check, row limit: a file refused here imports nothing, and the message says so. */
export function readCsvTable(text: string, spec: CsvTableSpec): CsvTableOutcome {
  const body = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(body.split(/\r?\n/, 1)[0] ?? '');
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as string[][];
  } catch (err) {
    return {
      ok: false,
      code: 'syntax',
      message: `Le fichier CSV est mal formé (${(err as Error).message.slice(0, 160)}). Rien n'a été importé.`,
    };
  }
  const [header, ...rest] = records;
  if (!header) return { ok: false, code: 'header', message: "Le fichier est vide. Rien n'a été importé." };
  const columns = header.map((h) => normaliseColumn(h, spec.aliases));
  const missing = spec.required.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const oneColumn = header.length === 1;
    return {
      ok: false,
      code: 'header',
      message:
        (oneColumn
          ? "L'en-tête n'a qu'une colonne : le séparateur n'est pas reconnu (utilisez « ; » ou « , »). "
          : `Colonnes manquantes dans l'en-tête : ${missing.join(', ')}. `) +
        `En-tête attendu : ${[...spec.required, ...spec.optional].join(';')}. Rien n'a été importé.`,
    };
  }
  if (rest.length > spec.maxRows) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `Trop de lignes (${rest.length.toLocaleString('fr-FR')}) : ${spec.maxRows.toLocaleString('fr-FR')} ${spec.rowsNoun} au plus par import. Découpez le fichier. Rien n'a été importé.`,
    };
  }
  const index = new Map(columns.map((c, i) => [c, i] as const));
  return {
    ok: true,
    table: {
      delimiter,
      columns,
      // Line numbers count skipped empty lines too rarely to matter; records are numbered after the header.
      rows: rest.map((cells, i) => ({ line: i + 2, cells })),
      at(cells, name) {
        const i = index.get(name);
        return i === undefined ? '' : (cells[i] ?? '').trim();
      },
    },
  };
}
