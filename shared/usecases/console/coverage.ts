import { departementName } from '../../domain/geography.js';
import type { Deps } from '../ports.js';

export interface CoverageRow {
  departement: string;
  nom: string | null;
  /** Qualified actors with at least one published place in the département. */
  qualified: number;
  /** Applications on their way (submitted, in review, at the actor's step, awaiting final approval). */
  inProgress: number;
  waitlisted: number;
  /** The département's volume cap (configuration) and the slots taken, when a cap is set. */
  cap: number | null;
  admitted: number | null;
  activeDeployment: boolean;
}

/**
 * Coverage per département, for staff. Reads two indexes (active applications, published places), never a Scan.
 * An actor with places in several départements counts in each. Qualified actors who refused publication are not
 * in the places index and therefore not counted here (the page says so).
 */
export async function getCoverage(deps: Deps) {
  const [active, places, config] = await Promise.all([
    deps.store.applications.listActive(),
    deps.store.places.list(),
    deps.config(),
  ]);
  const rows = new Map<string, { qualified: Set<string>; inProgress: number; waitlisted: number }>();
  const row = (d: string) => {
    let r = rows.get(d);
    if (!r) {
      r = { qualified: new Set(), inProgress: 0, waitlisted: 0 };
      rows.set(d, r);
    }
    return r;
  };
  for (const p of places) row(p.departement).qualified.add(p.applicationId);
  for (const a of active) {
    for (const d of new Set(a.departements ?? [])) {
      if (a.stage === 'waitlisted') row(d).waitlisted++;
      else row(d).inProgress++;
    }
  }
  for (const d of Object.keys(config.volumeCaps)) row(d);
  for (const d of config.territoriesWithActiveDeployment) row(d);
  const codes = [...rows.keys()].sort();
  const out: CoverageRow[] = await Promise.all(
    codes.map(async (d) => {
      const r = rows.get(d) ?? { qualified: new Set<string>(), inProgress: 0, waitlisted: 0 };
      const cap = config.volumeCaps[d];
      return {
        departement: d,
        nom: safeName(d),
        qualified: r.qualified.size,
        inProgress: r.inProgress,
        waitlisted: r.waitlisted,
        cap: cap ?? null,
        admitted: cap === undefined ? null : await deps.store.counters.get(d),
        activeDeployment: config.territoriesWithActiveDeployment.includes(d),
      };
    }),
  );
  const totals = out.reduce(
    (t, r) => ({
      qualified: t.qualified + r.qualified,
      inProgress: t.inProgress + r.inProgress,
      waitlisted: t.waitlisted + r.waitlisted,
    }),
    { qualified: 0, inProgress: 0, waitlisted: 0 },
  );
  return { departements: out, totals };
}

function safeName(code: string): string | null {
  try {
    return departementName(code);
  } catch {
    return null;
  }
}
