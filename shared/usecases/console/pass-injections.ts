import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DepartementCodeSchema } from '../../domain/geography.js';
import { resolveTerritory, splitPasses, TERRITORY_LEVELS } from '../../domain/territory.js';
import { FINANCEUR_TYPES, type PassInjection } from '../../store/entities/pass-injections.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { ConsoleConflictError, ConsoleValidationError, PayloadTooLargeError } from './errors.js';
import {
  decodeCsv,
  importedInjectionId,
  MAX_INJECTION_CSV_BYTES,
  MAX_INJECTION_CSV_ROWS,
  parseInjectionsCsv,
} from './pass-injections-csv.js';

/**
 * Pass injections (docs/territory.md): entered in the console or imported as CSV, versioned (each correction is a
 * new version, with who and when, also in the audit trail), checked against the official geography and rolled up to
 * their département(s).
 */

/** Absurd numbers are refused: 1,000,000 passes is 10 M€, the whole 2019 State programme for 48 authorities. */
export const MAX_PASSES = 1_000_000;
const FIRST_DATE = '2019-01-01';

const isoDate = (what: string) =>
  z.iso.date({ error: `${what} : date attendue au format AAAA-MM-JJ (ou JJ/MM/AAAA dans un CSV).` });

export const PassInjectionSchema = z
  .strictObject({
    /** A correction names the injection and the version it corrects (optimistic locking). */
    id: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/, { error: 'Identifiant invalide.' })
      .optional(),
    version: z.number().int().min(1).optional(),
    financeur: z
      .string({ error: 'Financeur obligatoire.' })
      .trim()
      .min(2, { error: 'Financeur obligatoire (nom du commanditaire).' })
      .max(150, { error: 'Nom du financeur trop long (150 caractères au plus).' }),
    financeurType: z.enum(FINANCEUR_TYPES, {
      error: `Type de financeur inconnu : valeurs possibles ${FINANCEUR_TYPES.join(', ')}.`,
    }),
    territoire: z.strictObject({
      niveau: z.enum(TERRITORY_LEVELS, { error: 'Niveau de territoire inconnu : commune, epci ou departement.' }),
      code: z
        .string({ error: 'Code du territoire obligatoire.' })
        .trim()
        .min(2, { error: 'Code du territoire obligatoire.' })
        .max(12, { error: 'Code du territoire trop long.' }),
    }),
    passes: z
      .number({ error: 'Nombre de passes : un nombre entier est attendu.' })
      .int({ error: 'Nombre de passes : un nombre entier est attendu.' })
      .min(1, { error: 'Nombre de passes : au moins 1 (un nombre négatif ou nul est refusé).' })
      .max(MAX_PASSES, { error: `Nombre de passes invraisemblable (${MAX_PASSES.toLocaleString('fr-FR')} au plus).` }),
    valeurFaciale: z
      .number({ error: 'Valeur faciale : un montant en euros est attendu.' })
      .positive({ error: 'Valeur faciale : un montant positif est attendu.' })
      .max(100, { error: 'Valeur faciale invraisemblable (100 € au plus ; un pass vaut 10 €).' })
      .default(10),
    date: isoDate('Date'),
    finValidite: isoDate('Fin de validité'),
  })
  .superRefine((v, ctx) => {
    // Zod still runs this when a field failed: compare only dates that are dates.
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    const dated = iso.test(String(v.date));
    if (dated && v.date < FIRST_DATE) {
      ctx.addIssue({ code: 'custom', path: ['date'], message: 'Date antérieure à 2019.' });
    }
    if (dated && iso.test(String(v.finValidite)) && v.finValidite < v.date) {
      ctx.addIssue({
        code: 'custom',
        path: ['finValidite'],
        message: 'La fin de validité précède la date de l’injection.',
      });
    }
    if ((v.id === undefined) !== (v.version === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['version'],
        message: 'Une correction donne l’identifiant et la version corrigée.',
      });
    }
  });
export type PassInjectionInput = z.input<typeof PassInjectionSchema>;

type Checked = {
  ok: true;
  value: z.output<typeof PassInjectionSchema> & { nom: string; shares: PassInjection['departements'] };
};

/** The form's rules and the geography, one row at a time: the value, or the French reasons with their fields. */
function check(input: unknown, today: string): Checked | { ok: false; issues: { path: string; message: string }[] } {
  const r = PassInjectionSchema.safeParse(input);
  if (!r.success) {
    return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  }
  const v = r.data;
  const issues: { path: string; message: string }[] = [];
  const maxDate = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  if (v.date > maxDate) issues.push({ path: 'date', message: 'Date à plus d’un an dans le futur.' });
  const t = resolveTerritory(v.territoire.niveau, v.territoire.code);
  if (!t.ok) issues.push({ path: 'territoire.code', message: t.message });
  if (!t.ok || issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      ...v,
      territoire: { ...v.territoire, code: v.territoire.code.toUpperCase() },
      nom: t.nom,
      shares: splitPasses(v.passes, t.departements),
    },
  };
}

function toInjection(
  v: Checked['value'],
  id: string,
  version: number,
  who: string,
  at: string,
  source: PassInjection['source'],
  created?: PassInjection,
): PassInjection {
  return {
    id,
    version,
    financeur: v.financeur,
    financeurType: v.financeurType,
    territoire: { niveau: v.territoire.niveau, code: v.territoire.code, nom: v.nom },
    passes: v.passes,
    valeurFaciale: v.valeurFaciale,
    date: v.date,
    finValidite: v.finValidite,
    departements: v.shares,
    source: created?.source ?? source,
    createdAt: created?.createdAt ?? at,
    createdBy: created?.createdBy ?? who,
    updatedAt: at,
    updatedBy: who,
  };
}

/** POST /api/console/pass-injections: a new injection (201), or a correction of one (new version). */
export async function savePassInjection(
  deps: Deps,
  admin: StaffPrincipal,
  input: unknown,
): Promise<{ injection: PassInjection; created: boolean }> {
  const at = deps.clock().toISOString();
  const c = check(input, at.slice(0, 10));
  if (!c.ok) throw new ConsoleValidationError(c.issues[0]?.message ?? 'Injection invalide.', c.issues);
  const v = c.value;
  if (v.id === undefined || v.version === undefined) {
    const injection = toInjection(v, randomUUID(), 1, admin.email, at, 'console');
    await deps.store.passInjections.create(injection);
    await deps.store.audit.record({
      who: admin.email,
      what: 'pass-injection.create',
      entity: `pass-injection:${injection.id}`,
      data: { ...injection },
    });
    return { injection, created: true };
  }
  const current = await deps.store.passInjections.get(v.id);
  if (!current)
    throw new ConsoleValidationError('Injection inconnue.', [{ path: 'id', message: 'Injection inconnue.' }]);
  const injection = toInjection(v, v.id, v.version + 1, admin.email, at, 'console', current);
  if (current.version !== v.version || !(await deps.store.passInjections.correct(injection, v.version))) {
    throw new ConsoleConflictError(
      'Cette injection a été modifiée entre-temps : rechargez-la, puis refaites votre correction.',
      { version: current.version },
    );
  }
  await deps.store.audit.record({
    who: admin.email,
    what: 'pass-injection.correct',
    entity: `pass-injection:${injection.id}`,
    data: { ...injection, previousVersion: v.version },
  });
  return { injection, created: false };
}

export interface ImportReport {
  /** Rows written by this import. */
  imported: number;
  /** Valid rows already imported before (same row, same id): not written again. */
  unchanged: number;
  rejected: { line: number; errors: string[] }[];
  delimiter: ',' | ';' | '\t';
  encoding: 'utf-8' | 'windows-1252';
  /** The outcome in one French sentence, for the page. */
  message: string;
}

/**
 * POST /api/console/pass-injections/import. Valid rows are imported and invalid ones reported with their line and
 * reasons (the message says so); a file refused as a whole imports nothing (400/413 with the reason). Each row has a
 * deterministic id, so importing the same file again (after fixing the rejected lines, or after a failure half way)
 * adds only what is missing, and never overwrites a correction made since.
 */
export async function importPassInjections(
  deps: Deps,
  admin: StaffPrincipal,
  file: { text: string; bytes?: Uint8Array },
): Promise<ImportReport> {
  const size = file.bytes?.byteLength ?? Buffer.byteLength(file.text, 'utf8');
  if (size > MAX_INJECTION_CSV_BYTES) {
    throw new PayloadTooLargeError(
      `Le fichier est trop volumineux (${MAX_INJECTION_CSV_BYTES / 1024} Ko au plus, soit environ ${MAX_INJECTION_CSV_ROWS} lignes) : découpez-le. Rien n'a été importé.`,
    );
  }
  const decoded = decodeCsv(file.bytes, file.text);
  if (!decoded.ok) throw new ConsoleValidationError(decoded.message, [{ path: 'file', message: decoded.message }]);
  const parsed = parseInjectionsCsv(decoded.text);
  if (!parsed.ok) throw new ConsoleValidationError(parsed.message, [{ path: 'file', message: parsed.message }]);

  const at = deps.clock().toISOString();
  const rejected: ImportReport['rejected'] = [];
  const seen = new Map<string, number>();
  const toWrite: PassInjection[] = [];
  for (const row of parsed.rows) {
    const c = check(row.input, at.slice(0, 10));
    if (!c.ok) {
      rejected.push({ line: row.line, errors: c.issues.map((i) => i.message) });
      continue;
    }
    const id = importedInjectionId({ ...c.value, reference: row.reference });
    const first = seen.get(id);
    if (first !== undefined) {
      rejected.push({
        line: row.line,
        errors: [
          `Ligne identique à la ligne ${first} : s'il s'agit de deux commandes distinctes, remplissez la colonne « reference ».`,
        ],
      });
      continue;
    }
    seen.set(id, row.line);
    toWrite.push(toInjection(c.value, id, 1, admin.email, at, 'import'));
  }
  let imported = 0;
  let unchanged = 0;
  // A few conditional puts at a time: each one is "create if absent", which batch writes cannot express.
  for (let i = 0; i < toWrite.length; i += 10) {
    const done = await Promise.all(toWrite.slice(i, i + 10).map((inj) => deps.store.passInjections.create(inj)));
    for (const written of done) written ? imported++ : unchanged++;
  }
  await deps.store.audit.record({
    who: admin.email,
    what: 'pass-injections.import',
    entity: 'pass-injections',
    data: { imported, unchanged, rejected: rejected.length, encoding: decoded.encoding },
  });
  const total = parsed.rows.length;
  const message =
    rejected.length === 0
      ? `${imported} injection(s) importée(s)${unchanged ? `, ${unchanged} déjà présente(s)` : ''} sur ${total} ligne(s).`
      : `${imported} injection(s) importée(s)${unchanged ? `, ${unchanged} déjà présente(s)` : ''} ; ${rejected.length} ligne(s) refusée(s) et non importée(s) (détail ci-dessous). Corrigez-les puis réimportez le fichier : les lignes déjà importées ne seront pas dupliquées.`;
  return { imported, unchanged, rejected, delimiter: parsed.delimiter, encoding: decoded.encoding, message };
}

export const PassInjectionsQuerySchema = z.strictObject({
  departement: DepartementCodeSchema.optional(),
});

/** GET /api/console/pass-injections[?departement=]: newest first. */
export async function listPassInjections(deps: Deps, query: z.output<typeof PassInjectionsQuerySchema>) {
  const list = query.departement
    ? await deps.store.passInjections.listByDepartement(query.departement)
    : await deps.store.passInjections.list();
  return { injections: list.reverse() };
}
