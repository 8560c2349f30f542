import { parse } from 'csv-parse/sync';
import { resolveCommune } from '../../domain/geography.js';
import { validateSiret } from '../../domain/siret.js';

/**
 * CSV import of a network's members (docs/console.md, "Import CSV"). Validated row by row: good rows are imported,
 * bad rows come back in a report with the line number and the reasons. Whole-file refusals: not UTF-8, too big, too
 * many rows, no usable header.
 */
export const MAX_CSV_BYTES = 60 * 1024;
export const MAX_CSV_ROWS = 1000;

export const REQUIRED_COLUMNS = ['siret', 'nom', 'code_postal', 'commune'] as const;
export const OPTIONAL_COLUMNS = ['adresse', 'courriel_structure'] as const;

export interface MemberRow {
  siret: string;
  name: string;
  data: {
    code_postal: string;
    commune: string;
    code_insee: string;
    departement: string;
    adresse?: string;
    /** The structure's address, where the network invitation goes (docs/console.md « A network's page »). */
    courriel?: string;
  };
}

export interface RejectedRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  siret: string | null;
  errors: string[];
}

export type CsvParseOutcome =
  | { ok: true; accepted: MemberRow[]; rejected: RejectedRow[]; delimiter: ',' | ';' }
  | { ok: false; code: 'encoding' | 'too_large' | 'too_many_rows' | 'header' | 'syntax'; message: string };

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\s-]+/g, '_');

export function parseMembersCsv(text: string): CsvParseOutcome {
  // The HTTP layer decodes bodies as UTF-8: bytes that are not UTF-8 (a Windows-1252 export from Excel) become U+FFFD.
  if (text.includes('\uFFFD')) {
    return {
      ok: false,
      code: 'encoding',
      message:
        "Le fichier n'est pas encodé en UTF-8 (accents illisibles). Dans votre tableur, enregistrez-le au format « CSV UTF-8 », puis recommencez.",
    };
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_CSV_BYTES) {
    return {
      ok: false,
      code: 'too_large',
      message: `Le fichier est trop volumineux (${MAX_CSV_BYTES / 1024} Ko au plus) : découpez-le.`,
    };
  }
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0] ?? '';
  const delimiter: ',' | ';' = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch (err) {
    return {
      ok: false,
      code: 'syntax',
      message: `Le fichier CSV est mal formé : ${(err as Error).message.slice(0, 200)}`,
    };
  }
  const [header, ...rows] = records;
  if (!header) return { ok: false, code: 'header', message: 'Le fichier est vide.' };
  const columns = header.map(norm);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return {
      ok: false,
      code: 'header',
      message: `Colonnes manquantes dans l'en-tête : ${missing.join(', ')}. En-tête attendu : ${[...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].join(',')}.`,
    };
  }
  if (rows.length > MAX_CSV_ROWS) {
    return {
      ok: false,
      code: 'too_many_rows',
      message: `Trop de lignes (${rows.length}) : ${MAX_CSV_ROWS} membres au plus par import. Découpez le fichier.`,
    };
  }
  const at = (row: string[], name: string) => {
    const i = columns.indexOf(name);
    return i >= 0 ? (row[i] ?? '').trim() : '';
  };
  const accepted: MemberRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const line = i + 2;
    const errors: string[] = [];
    const rawSiret = at(row, 'siret');
    const s = validateSiret(rawSiret);
    const siret = s.ok ? s.siret : null;
    if (!s.ok) errors.push(rawSiret ? `SIRET invalide : ${s.message}` : 'SIRET manquant.');
    if (siret && seen.has(siret)) errors.push(`SIRET en double (déjà à la ligne ${seen.get(siret)}).`);
    const name = at(row, 'nom');
    if (!name) errors.push('Nom manquant.');
    else if (name.length > 150) errors.push('Nom trop long (150 caractères au plus).');
    const cp = at(row, 'code_postal');
    const communeName = at(row, 'commune');
    let commune: { nom: string; codeInsee: string; departement: string } | null = null;
    if (!cp || !communeName) errors.push('Code postal et commune obligatoires.');
    else {
      const r = resolveCommune(cp, communeName);
      if (r.ok) commune = r.commune;
      else errors.push(`Commune inconnue : ${r.message}`);
    }
    const adresse = at(row, 'adresse');
    if (adresse.length > 250) errors.push('Adresse trop longue (250 caractères au plus).');
    const courriel = at(row, 'courriel_structure');
    if (courriel && (courriel.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(courriel))) {
      errors.push('Courriel de la structure invalide.');
    }
    if (errors.length > 0 || !siret || !commune) {
      rejected.push({ line, siret: siret ?? (rawSiret.slice(0, 20) || null), errors });
      return;
    }
    seen.set(siret, line);
    accepted.push({
      siret,
      name: name,
      data: {
        code_postal: cp,
        commune: commune.nom,
        code_insee: commune.codeInsee,
        departement: commune.departement,
        ...(adresse ? { adresse } : {}),
        ...(courriel ? { courriel } : {}),
      },
    });
  });
  return { ok: true, accepted, rejected, delimiter };
}
