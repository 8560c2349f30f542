import { createHash } from 'node:crypto';
import { fromSchemaLieuDeMediationNumerique } from '@gouvfr-anct/lieux-de-mediation-numerique';
import { communeByCode, resolveCommune } from '../../domain/geography.js';
import { REQUIRED_FIELDS } from '../../domain/national-schema.js';
import { normaliseName } from '../../domain/prospect-match.js';
import { validateSiret } from '../../domain/siret.js';
import type { Prospect } from '../../store/entities/prospects.js';
import { type CsvTable, readCsvTable } from './csv-read.js';

/**
 * A CSV of the national schema of places of digital mediation (shared/data/lieux-mediation-numerique.schema.json,
 * the open data of other operators and of the national map) read into prospects. The file is read by the one console
 * CSV reader (csv-read.ts); each row is validated by the field's own library, @gouvfr-anct/lieux-de-mediation-numerique
 * (the national map's model: SIRET/RNA pivot, postal code, the enumerations, coordinates), then by our geography
 * (the commune must exist: the département comes from it) and by a few plausibility checks of our own.
 */

/** Columns of the schema a prospect keeps; the others are read by the library's validation and dropped. */
export const OPTIONAL_PROSPECT_COLUMNS = [
  'code_insee',
  'latitude',
  'longitude',
  'typologie',
  'structure_parente',
  'services',
  'courriels',
  'site_web',
  'telephone',
  'source',
] as const;

const FIELD_LABELS: Record<string, string> = {
  id: 'id',
  pivot: 'pivot (SIRET)',
  nom: 'nom',
  code_postal: 'code postal',
  commune: 'commune',
  adresse: 'adresse',
  latitude: 'latitude',
  longitude: 'longitude',
  services: 'services',
  date_maj: 'date de mise à jour',
};

export interface ProspectRow {
  line: number;
  prospect: Omit<Prospect, 'importedAt' | 'importedBy' | 'updatedAt'>;
  sortName: string;
}

export type ProspectRowsOutcome =
  | {
      ok: true;
      rows: ProspectRow[];
      rejected: { line: number; errors: string[] }[];
      total: number;
      delimiter: CsvTable['delimiter'];
    }
  | { ok: false; message: string };

/** `JJ/MM/AAAA` → `AAAA-MM-JJ`; an ISO date-time keeps its date. */
function isoDay(raw: string): string | null {
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  const s = fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}` : raw.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? null : s;
}

const num = (raw: string): number | string => {
  const s = raw.replace(/[\s\u00A0]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : raw;
};

const EMAIL = /^[^\s@|;,]+@[^\s@|;,]+\.[a-z]{2,}$/i;

export const prospectId = (source: string | null, sourceId: string) =>
  `p-${createHash('sha256')
    .update(`${(source ?? '').trim().toLowerCase()}\u0000${sourceId.trim()}`)
    .digest('hex')
    .slice(0, 24)}`;

/** Reads and checks every row; the file as a whole is refused (nothing imported) only for what csv-read refuses. */
export function parseProspectsCsv(text: string, options: { maxRows: number; today: string }): ProspectRowsOutcome {
  const read = readCsvTable(text, {
    required: REQUIRED_FIELDS,
    optional: OPTIONAL_PROSPECT_COLUMNS,
    maxRows: options.maxRows,
    rowsNoun: 'lieux',
  });
  if (!read.ok) return read;
  const { table } = read;
  const rows: ProspectRow[] = [];
  const rejected: { line: number; errors: string[] }[] = [];
  const seen = new Map<string, number>();
  const maxDay = new Date(Date.parse(`${options.today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  for (const { line, cells } of table.rows) {
    const r = checkRow(table, cells, options.today, maxDay);
    if (!r.ok) {
      rejected.push({ line, errors: r.errors });
      continue;
    }
    const first = seen.get(r.prospect.id);
    if (first !== undefined) {
      rejected.push({ line, errors: [`Même lieu (même id et même source) qu’à la ligne ${first}.`] });
      continue;
    }
    seen.set(r.prospect.id, line);
    rows.push({ line, prospect: r.prospect, sortName: normaliseName(r.prospect.nom).slice(0, 80) });
  }
  return { ok: true, rows, rejected, total: table.rows.length, delimiter: table.delimiter };
}

function checkRow(
  table: CsvTable,
  cells: string[],
  today: string,
  maxDay: string,
): { ok: true; prospect: ProspectRow['prospect'] } | { ok: false; errors: string[] } {
  const at = (name: string) => table.at(cells, name);
  const errors: string[] = [];
  const raw: Record<string, string | number> = {};
  for (const name of [...REQUIRED_FIELDS, ...OPTIONAL_PROSPECT_COLUMNS]) {
    const v = at(name);
    if (v !== '') raw[name] = name === 'latitude' || name === 'longitude' ? num(v) : v;
  }
  for (const name of REQUIRED_FIELDS)
    if (raw[name] === undefined) errors.push(`${FIELD_LABELS[name] ?? name} : obligatoire.`);
  if (errors.length) return { ok: false, errors };

  for (const [name, max] of [
    ['nom', 250],
    ['adresse', 250],
    ['id', 200],
  ] as const) {
    if (String(raw[name]).length > max) errors.push(`${FIELD_LABELS[name]} : trop long (${max} caractères au plus).`);
  }
  const day = isoDay(String(raw.date_maj));
  if (!day) errors.push('date de mise à jour : date attendue au format AAAA-MM-JJ (ou JJ/MM/AAAA).');
  else if (day < '2000-01-01' || day > maxDay) errors.push(`date de mise à jour invraisemblable (${day}).`);
  for (const c of ['latitude', 'longitude'] as const) {
    if (raw[c] !== undefined && typeof raw[c] !== 'number') errors.push(`${c} : un nombre est attendu.`);
  }

  // The library's model: it throws the first invalid field (French message, `key` = the field).
  let lieu: ReturnType<typeof fromSchemaLieuDeMediationNumerique> | null = null;
  if (errors.length === 0) {
    try {
      lieu = fromSchemaLieuDeMediationNumerique({ ...raw, date_maj: day ?? today } as never);
    } catch (err) {
      const key = (err as { key?: string }).key;
      const label = key ? (FIELD_LABELS[key] ?? key) : 'ligne';
      errors.push(`${label} : ${(err as Error).message}.`);
    }
  }

  // The commune must exist: the département is derived from it (never from the postal code's digits).
  const cp = String(raw.code_postal);
  const insee = String(raw.code_insee ?? '');
  let commune: { nom: string; codeInsee: string; departement: string } | null = null;
  const byCode = insee ? communeByCode(insee.toUpperCase()) : null;
  if (byCode) commune = { nom: byCode.nom, codeInsee: insee.toUpperCase(), departement: byCode.departement };
  else {
    const r = resolveCommune(cp, String(raw.commune));
    if (r.ok) commune = r.commune;
    else errors.push(`commune : ${r.message}`);
  }
  if (errors.length || !lieu || !commune) return { ok: false, errors };

  const siret = validateSiret(String(raw.pivot));
  const courriel = (lieu.contact?.courriels ?? []).find((c) => EMAIL.test(c)) ?? null;
  const source = raw.source === undefined ? null : String(raw.source).slice(0, 120);
  const data = {
    id: prospectId(source, String(raw.id)),
    sourceId: String(raw.id),
    source,
    pivot: String(raw.pivot),
    siret: siret.ok ? siret.siret : null,
    nom: String(raw.nom),
    adresse: String(raw.adresse),
    code_postal: cp,
    commune: String(raw.commune),
    code_insee: commune.codeInsee,
    departement: commune.departement,
    typologie: raw.typologie === undefined ? null : String(raw.typologie).slice(0, 200),
    structure_parente: raw.structure_parente === undefined ? null : String(raw.structure_parente).slice(0, 250),
    services: [...(lieu.services ?? [])],
    courriel: courriel?.toLowerCase() ?? null,
    site_web: lieu.contact?.site_web?.[0] ?? null,
    telephone: lieu.contact?.telephone ?? null,
    date_maj: day!,
  };
  const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 24);
  return { ok: true, prospect: { ...data, hash } };
}
