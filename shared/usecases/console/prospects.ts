import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import { isProducer, resolvePlaces } from '../../domain/application.js';
import { DepartementCodeSchema } from '../../domain/geography.js';
import { type ApplicationMatchable, buildMatchIndex, type Match, matchProspect } from '../../domain/prospect-match.js';
import type { Prospect } from '../../store/entities/prospects.js';
import type { Deps } from '../ports.js';
import type { StaffPrincipal } from '../principal.js';
import { decodeCsv } from './csv-read.js';
import { ConsoleValidationError, ImportInterruptedError, PayloadTooLargeError } from './errors.js';
import { parseProspectsCsv } from './prospects-csv.js';

/**
 * Prospects (docs/territory.md « Prospects »): places of the national open data imported from a CSV of the national
 * schema, matched to applications by SIRET (`pivot`) and by name + commune, listed per département with whether
 * they applied. Only organisation data as published openly is kept (prospects-csv.ts says which fields).
 */

/**
 * The transport's ceiling for one file (the route's body limit, routes.ts): a Lambda takes 6 MB of request, and API
 * Gateway may base64-encode the body (4/3), so 4 MiB of CSV is the largest that passes on both hosts.
 */
export const MAX_PROSPECT_CSV_BYTES = 4 * 1024 * 1024;
/**
 * A file may come gzip-compressed (`Content-Encoding: gzip`; the console page compresses it): 20,000 rows of the
 * national schema are 5 to 20 MB of text but under 2 MB compressed. Decompressed, 48 MiB at most.
 */
export const MAX_PROSPECT_CSV_TEXT_BYTES = 48 * 1024 * 1024;

export interface ProspectImportReport {
  /** New prospects. */
  imported: number;
  /** Prospects already known whose published data changed (rewritten). */
  updated: number;
  /** Prospects already known, identical: nothing written. */
  unchanged: number;
  rejected: { line: number; errors: string[] }[];
  delimiter: ',' | ';' | '\t';
  encoding: 'utf-8' | 'windows-1252';
  message: string;
}

const WRITE_CHUNK = 500;
// Batches in flight at once: DynamoDB takes them in parallel; dynalite gains little beyond this on two cores.
const WRITE_CONCURRENCY = 8;

/** POST /api/console/prospects/import: valid rows written, invalid ones reported by line; a refused file writes nothing. */
export async function importProspects(
  deps: Deps,
  staff: StaffPrincipal,
  file: { text: string; bytes?: Uint8Array; gzip?: boolean },
): Promise<ProspectImportReport> {
  const size = file.bytes?.byteLength ?? Buffer.byteLength(file.text, 'utf8');
  const config = await deps.config();
  const maxRows = config.prospects.maxImportRows;
  const tooLarge = `Le fichier est trop volumineux (${MAX_PROSPECT_CSV_BYTES / 1024 / 1024} Mo au plus tel qu’envoyé, ${maxRows.toLocaleString('fr-FR')} lignes au plus) : découpez-le, par exemple par département. Rien n'a été importé.`;
  if (size > MAX_PROSPECT_CSV_BYTES) throw new PayloadTooLargeError(tooLarge);
  let bytes = file.bytes;
  if (file.gzip) {
    if (!bytes)
      throw new ConsoleValidationError('Fichier compressé illisible.', [
        { path: 'file', message: 'Fichier compressé illisible.' },
      ]);
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_PROSPECT_CSV_TEXT_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        throw new PayloadTooLargeError(tooLarge);
      }
      const message = "Le fichier compressé (gzip) est illisible. Rien n'a été importé.";
      throw new ConsoleValidationError(message, [{ path: 'file', message }]);
    }
  }
  const decoded = decodeCsv(bytes, file.text);
  if (!decoded.ok) throw new ConsoleValidationError(decoded.message, [{ path: 'file', message: decoded.message }]);
  const now = deps.clock().toISOString();
  const parsed = parseProspectsCsv(decoded.text, { maxRows, today: now.slice(0, 10) });
  if (!parsed.ok) throw new ConsoleValidationError(parsed.message, [{ path: 'file', message: parsed.message }]);

  // What is stored already, read as a projection (hash and first import): the unchanged rows are not written.
  const existing = new Map<string, Pick<Prospect, 'hash' | 'importedAt' | 'importedBy'>>();
  const ids = parsed.rows.map((r) => r.prospect.id);
  await inParallel(chunks(ids, WRITE_CHUNK), WRITE_CONCURRENCY, async (part) => {
    for (const p of await deps.store.prospects.getImportState(part)) existing.set(p.id, p);
  });
  let imported = 0;
  let updated = 0;
  let unchanged = 0;
  const toWrite: (Prospect & { sortName: string })[] = [];
  for (const { prospect, sortName } of parsed.rows) {
    const before = existing.get(prospect.id);
    if (before && before.hash === prospect.hash) {
      unchanged++;
      continue;
    }
    if (before) updated++;
    else imported++;
    toWrite.push({
      ...prospect,
      sortName,
      importedAt: before?.importedAt ?? now,
      importedBy: before?.importedBy ?? staff.email,
      updatedAt: now,
    });
  }
  let written = 0;
  try {
    await inParallel(chunks(toWrite, WRITE_CHUNK), WRITE_CONCURRENCY, async (part) => {
      await deps.store.prospects.putMany(part);
      written += part.length;
    });
  } catch (err) {
    deps.logger.error({ err, written, total: toWrite.length }, 'prospect import interrupted');
    throw new ImportInterruptedError(
      `L'import s'est interrompu : ${written} lieu(x) sur ${toWrite.length} enregistré(s). Renvoyez le même fichier : les lieux déjà enregistrés ne seront pas dupliqués.`,
      { written, total: toWrite.length },
    );
  }
  await deps.store.audit.record({
    who: staff.email,
    what: 'prospects.import',
    entity: 'prospects',
    data: { imported, updated, unchanged, rejected: parsed.rejected.length, encoding: decoded.encoding },
  });
  const counts = `${imported} lieu(x) importé(s), ${updated} mis à jour${unchanged ? `, ${unchanged} inchangé(s)` : ''} sur ${parsed.total} ligne(s)`;
  const message =
    parsed.rejected.length === 0
      ? `${counts}.`
      : `${counts} ; ${parsed.rejected.length} ligne(s) refusée(s) et non importée(s) (détail ci-dessous). Corrigez-les puis réimportez le fichier : les lignes déjà importées ne seront pas dupliquées.`;
  return {
    imported,
    updated,
    unchanged,
    rejected: parsed.rejected,
    delimiter: parsed.delimiter,
    encoding: decoded.encoding,
    message,
  };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function inParallel<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export const ProspectsQuerySchema = z.strictObject({
  departement: DepartementCodeSchema,
  applied: z.enum(['true', 'false'], { error: 'applied : true ou false.' }).optional(),
});

export type ListedProspect = Prospect & { applied: boolean; match: Match };

/**
 * What the département's applications offer to be matched on: running applications with a place or their seat there
 * (structure and place names, communes), and the published places of qualified actors (the places index).
 */
async function matchIndexFor(deps: Deps, departement: string) {
  const [active, places] = await Promise.all([
    deps.store.applications.listActive(),
    deps.store.places.list({ departement }),
  ]);
  const matchables: ApplicationMatchable[] = [];
  for (const a of active) {
    const doc = a.document;
    if (!a.departements.includes(departement) || !isProducer(doc)) continue;
    const resolved = resolvePlaces(doc).filter((p) => p.commune);
    const names = resolved.flatMap((p) => [
      { nom: p.nom, codeInsee: p.commune!.codeInsee },
      { nom: doc.structure.nom, codeInsee: p.commune!.codeInsee },
    ]);
    matchables.push({ id: a.id, siret: a.siret, names });
  }
  for (const p of places) {
    const row = p.place as Record<string, unknown>;
    const insee = typeof row.code_insee === 'string' ? row.code_insee : '';
    const names = [row.nom, row.structure_parente]
      .filter((n): n is string => typeof n === 'string' && n !== '')
      .map((nom) => ({ nom, codeInsee: insee }));
    matchables.push({ id: p.applicationId, siret: typeof row.pivot === 'string' ? row.pivot : null, names });
  }
  return buildMatchIndex(matchables);
}

/** GET /api/console/prospects?departement=&applied=: by name, each with whether (and how) it matched an application. */
export async function listProspects(
  deps: Deps,
  query: z.output<typeof ProspectsQuerySchema>,
): Promise<{ prospects: ListedProspect[]; total: number; applied: number }> {
  const [prospects, index] = await Promise.all([
    deps.store.prospects.listByDepartement(query.departement),
    matchIndexFor(deps, query.departement),
  ]);
  const all = prospects.map((p) => {
    const match = matchProspect({ siret: p.siret, nom: p.nom, codeInsee: p.code_insee }, index);
    return { ...p, applied: match !== null, match };
  });
  const applied = all.filter((p) => p.applied).length;
  const wanted = query.applied === undefined ? null : query.applied === 'true';
  return {
    prospects: wanted === null ? all : all.filter((p) => p.applied === wanted),
    total: all.length,
    applied,
  };
}
