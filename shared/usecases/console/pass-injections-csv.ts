import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';

/**
 * CSV files of pass injections (docs/territory.md, "Import CSV"): decoding, separator, header, and each row turned
 * into the JSON shape the console form posts, which the use case then validates like a form (one set of rules).
 * Whole-file refusals (nothing imported, said so): too big, too many rows, not CSV, missing columns.
 */
export const MAX_INJECTION_CSV_BYTES = 60 * 1024;
export const MAX_INJECTION_CSV_ROWS = 500;

export const REQUIRED_COLUMNS = [
  'financeur',
  'financeur_type',
  'niveau',
  'code_territoire',
  'passes',
  'date',
  'fin_validite',
] as const;
export const OPTIONAL_COLUMNS = ['valeur_faciale', 'reference'] as const;

/** Other spellings people use for a column, after normalisation (lower case, no accents, `_` for spaces). */
const ALIASES: Record<string, string> = {
  type_financeur: 'financeur_type',
  type: 'financeur_type',
  territoire_niveau: 'niveau',
  niveau_territoire: 'niveau',
  code: 'code_territoire',
  territoire_code: 'code_territoire',
  territoire: 'code_territoire',
  nombre_de_passes: 'passes',
  nb_passes: 'passes',
  valeur: 'valeur_faciale',
  date_injection: 'date',
  fin_de_validite: 'fin_validite',
  validite: 'fin_validite',
};

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
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

/** One data row as the form would post it (strings kept when they are not numbers: the schema says what is wrong). */
export interface CsvInjectionRow {
  line: number;
  reference: string;
  input: Record<string, unknown>;
}

export type CsvOutcome =
  | { ok: true; rows: CsvInjectionRow[]; delimiter: ',' | ';' | '\t' }
  | { ok: false; code: 'too_large' | 'too_many_rows' | 'header' | 'syntax'; message: string };

const norm = (h: string) => {
  const k = h
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s-]+/g, '_');
  return ALIASES[k] ?? k;
};

/** The separator of the header line: the most frequent of `;`, `,` and tab (a French spreadsheet writes `;`). */
export function detectDelimiter(firstLine: string): ',' | ';' | '\t' {
  const count = (c: string) => firstLine.split(c).length - 1;
  const candidates: (',' | ';' | '\t')[] = [';', ',', '\t'];
  return candidates.reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}

/** A number as people type it in a French spreadsheet: `1 000`, `1 000,50`, `10,00 €`. Kept as a string if not one. */
export function frenchNumber(raw: string): number | string {
  const s = raw.replace(/[\s\u00A0\u202F€]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : raw;
}

/** `JJ/MM/AAAA` (a spreadsheet's French date) → `AAAA-MM-JJ`; anything else is kept for the schema to judge. */
export function frenchDate(raw: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw.trim());
  return m ? `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}` : raw.trim();
}

export function parseInjectionsCsv(text: string): CsvOutcome {
  if (Buffer.byteLength(text, 'utf8') > MAX_INJECTION_CSV_BYTES) {
    return {
      ok: false,
      code: 'too_large',
      message: `Le fichier est trop volumineux (${MAX_INJECTION_CSV_BYTES / 1024} Ko au plus, soit environ ${MAX_INJECTION_CSV_ROWS} lignes) : découpez-le. Rien n'a été importé.`,
    };
  }
  const body = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(body.split(/\r?\n/, 1)[0] ?? '');
  let records: string[][];
  try {
    records = parse(body, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    return {
      ok: false,
      code: 'syntax',
      message: `Le fichier CSV est mal formé (${(err as Error).message.slice(0, 160)}). Rien n'a été importé.`,
    };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, code: 'header', message: "Le fichier est vide. Rien n'a été importé." };
  const columns = header.map(norm);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    const oneColumn = header.length === 1;
    return {
      ok: false,
      code: 'header',
      message:
        (oneColumn
          ? "L'en-tête n'a qu'une colonne : le séparateur n'est pas reconnu (utilisez « ; » ou « , »). "
          : `Colonnes manquantes dans l'en-tête : ${missing.join(', ')}. `) +
        `En-tête attendu : ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(';')}. Rien n'a été importé.`,
    };
  }
  if (rows.length > MAX_INJECTION_CSV_ROWS) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `Trop de lignes (${rows.length}) : ${MAX_INJECTION_CSV_ROWS} injections au plus par import. Découpez le fichier. Rien n'a été importé.`,
    };
  }
  const at = (row: string[], name: string) => {
    const i = columns.indexOf(name);
    return i >= 0 ? (row[i] ?? '').trim() : '';
  };
  const out: CsvInjectionRow[] = rows.map((row, i) => {
    const valeur = at(row, 'valeur_faciale');
    return {
      line: i + 2,
      reference: at(row, 'reference'),
      input: {
        financeur: at(row, 'financeur'),
        financeurType: financeurType(at(row, 'financeur_type')),
        territoire: { niveau: norm(at(row, 'niveau')), code: at(row, 'code_territoire') },
        passes: frenchNumber(at(row, 'passes')),
        ...(valeur ? { valeurFaciale: frenchNumber(valeur) } : {}),
        date: frenchDate(at(row, 'date')),
        finValidite: frenchDate(at(row, 'fin_validite')),
      },
    };
  });
  return { ok: true, rows: out, delimiter };
}

/** `Région`, `Conseil départemental`, `Entreprise` → the enumerated value when it is recognisable. */
function financeurType(raw: string): string {
  const k = norm(raw);
  if (k.startsWith('conseil_departemental') || k === 'departement') return 'departement';
  if (k.startsWith('conseil_regional') || k === 'region') return 'region';
  if (k === 'operateur' || k === 'fondation' || k === 'entreprise' || k === 'ccas' || k === 'commune') return k;
  if (k === 'epci' || k.startsWith('communaute')) return 'epci';
  return k;
}

/**
 * The deterministic id of an imported row: the same row imported twice is the same injection (an import can be
 * repeated safely). Two real orders with identical figures are told apart by the optional `reference` column.
 */
export function importedInjectionId(v: {
  financeur: string;
  financeurType: string;
  territoire: { niveau: string; code: string };
  passes: number;
  valeurFaciale: number;
  date: string;
  finValidite: string;
  reference: string;
}): string {
  const key = [
    v.financeur.trim().toLowerCase(),
    v.financeurType,
    v.territoire.niveau,
    v.territoire.code.toUpperCase(),
    v.passes,
    v.valeurFaciale,
    v.date,
    v.finValidite,
    v.reference.trim().toLowerCase(),
  ].join('\u0000');
  return `imp-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}
