import * as z from 'zod';
import { departementCodes, departementName } from '../../domain/geography.js';
import { type TerritoryFigures, territoryFigures, windowStart } from '../../domain/territory.js';
import type { Deps } from '../ports.js';
import { ConsoleValidationError } from './errors.js';

export const TerritoriesQuerySchema = z.strictObject({
  niveau: z.enum(['departement', 'epci'], { error: 'Niveau : departement (ou epci).' }).default('departement'),
});

export interface TerritoryRow extends TerritoryFigures {
  code: string;
  nom: string;
}

/**
 * GET /api/console/territories: the figures of territory.md for every département of the official geography.
 * Three Queries whatever the size (injections of the last 12 months, published places, active applications), then
 * pure arithmetic (shared/domain/territory.ts). `reach` is null: published places have no coordinates yet.
 */
export async function getTerritories(
  deps: Deps,
  query: z.output<typeof TerritoriesQuerySchema>,
): Promise<{ territories: TerritoryRow[]; ratioTargetEur: number; ratioBandEur: [number, number] }> {
  if (query.niveau === 'epci') {
    // Places and applications are known by département only; EPCI figures need the places' communes (issue 11).
    throw new ConsoleValidationError('La vue par EPCI n’est pas encore disponible : utilisez niveau=departement.', [
      { path: 'niveau', message: 'La vue par EPCI n’est pas encore disponible.' },
    ]);
  }
  const now = deps.clock();
  const [injections, places, active, config] = await Promise.all([
    deps.store.passInjections.listFigures(windowStart(now)),
    deps.store.places.list(),
    deps.store.applications.listActive(),
    deps.config(),
  ]);
  const shares = new Map<string, { date: string; passes: number; valeurFaciale: number }[]>();
  for (const i of injections) {
    for (const d of i.departements) {
      const list = shares.get(d.code) ?? [];
      shares.set(d.code, list);
      list.push({ date: i.date, passes: d.passes, valeurFaciale: i.valeurFaciale });
    }
  }
  const qualified = new Map<string, Set<string>>();
  for (const p of places) {
    const set = qualified.get(p.departement) ?? new Set<string>();
    qualified.set(p.departement, set);
    set.add(p.applicationId);
  }
  const inProgress = new Map<string, number>();
  const waitlisted = new Map<string, number>();
  for (const a of active) {
    const target = a.stage === 'waitlisted' ? waitlisted : inProgress;
    for (const d of new Set(a.departements ?? [])) target.set(d, (target.get(d) ?? 0) + 1);
  }
  const params = { ratioTargetEur: config.territory.ratioTargetEur, now };
  const territories = departementCodes().map((code) => ({
    code,
    nom: departementName(code) ?? code,
    ...territoryFigures(
      {
        injections: shares.get(code) ?? [],
        qualifiedActors: qualified.get(code)?.size ?? 0,
        inProgress: inProgress.get(code) ?? 0,
        waitlisted: waitlisted.get(code) ?? 0,
        reach: null,
      },
      params,
    ),
  }));
  return {
    territories,
    ratioTargetEur: config.territory.ratioTargetEur,
    ratioBandEur: [...config.territory.ratioBandEur] as [number, number],
  };
}
