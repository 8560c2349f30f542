import { createHash } from 'node:crypto';
import { normaliseColumn, readCsvTable } from './csv-read.js';

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

export { type Decoded, decodeCsv, decodeWindows1252, detectDelimiter } from './csv-read.js';

/** One data row as the form would post it (strings kept when they are not numbers: the schema says what is wrong). */
export interface CsvInjectionRow {
  line: number;
  reference: string;
  input: Record<string, unknown>;
}

export type CsvOutcome =
  | { ok: true; rows: CsvInjectionRow[]; delimiter: ',' | ';' | '\t' }
  | { ok: false; code: 'too_large' | 'too_many_rows' | 'header' | 'syntax'; message: string };

const norm = (h: string) => normaliseColumn(h, ALIASES);

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
  const read = readCsvTable(text, {
    required: REQUIRED_COLUMNS,
    optional: OPTIONAL_COLUMNS,
    aliases: ALIASES,
    maxRows: MAX_INJECTION_CSV_ROWS,
    rowsNoun: 'injections',
  });
  if (!read.ok) return read;
  const { table } = read;
  const at = (row: string[], name: string) => table.at(row, name);
  const out: CsvInjectionRow[] = table.rows.map(({ line, cells: row }) => {
    const valeur = at(row, 'valeur_faciale');
    return {
      line,
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
  return { ok: true, rows: out, delimiter: table.delimiter };
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
