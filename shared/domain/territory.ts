// The territorial mesh (docs/territory.md, handbook territory.md): where passes are injected, how many actors they can
// sustain at the ratio consolidateur, and the status of a territory. Pure functions; the figures come from the store.
import { communeByCode, departementName, epciByCode } from './geography.js';

export const TERRITORY_LEVELS = ['commune', 'epci', 'departement'] as const;
export type TerritoryLevel = (typeof TERRITORY_LEVELS)[number];

export const TERRITORY_STATUSES = ['to_stimulate', 'balanced', 'saturated', 'no_passes'] as const;
export type TerritoryStatus = (typeof TERRITORY_STATUSES)[number];

/** A département's part of an injection: all of it for a commune or a département, a population share for an EPCI. */
export interface DepartementShare {
  code: string;
  passes: number;
}

export type ResolvedTerritory =
  | { ok: true; nom: string; departements: { code: string; weight: number }[] }
  | { ok: false; message: string };

/** Checks a territory code against the official geography and says which département(s) it rolls up to. */
export function resolveTerritory(niveau: TerritoryLevel, code: string): ResolvedTerritory {
  const c = code.trim().toUpperCase();
  if (niveau === 'departement') {
    const nom = departementName(c);
    return nom
      ? { ok: true, nom, departements: [{ code: c, weight: 1 }] }
      : { ok: false, message: `Département inconnu : « ${code} » (ex. 87, 2A, 974).` };
  }
  if (niveau === 'commune') {
    const commune = /^[0-9][0-9AB][0-9]{3}$/.test(c) ? communeByCode(c) : null;
    return commune
      ? { ok: true, nom: commune.nom, departements: [{ code: commune.departement, weight: 1 }] }
      : { ok: false, message: `Commune inconnue : « ${code} » n'est pas un code INSEE de commune (ex. 87085).` };
  }
  const epci = /^\d{9}$/.test(c) ? epciByCode(c) : null;
  if (!epci || epci.departements.length === 0) {
    return {
      ok: false,
      message: `EPCI inconnu : « ${code} » n'est pas le SIREN d'un EPCI (9 chiffres, ex. 248719312).`,
    };
  }
  return {
    ok: true,
    nom: epci.nom,
    // A border-straddling EPCI splits by population; an EPCI without population figures splits evenly.
    departements: epci.departements.map((d) => ({ code: d.code, weight: Math.max(d.population, 0) || 1 })),
  };
}

/**
 * Splits `passes` across départements in proportion to `weights`, whole passes only, summing exactly to `passes`
 * (largest remainder; ties go to the first code). A département that would get 0 is kept, with 0.
 */
export function splitPasses(passes: number, weights: { code: string; weight: number }[]): DepartementShare[] {
  if (weights.length === 0) return [];
  if (weights.length === 1) return [{ code: weights[0]!.code, passes }];
  const total = weights.reduce((s, w) => s + w.weight, 0);
  const raw = weights.map((w) => (passes * w.weight) / total);
  const shares = raw.map((r, i) => ({ code: weights[i]!.code, passes: Math.floor(r), rest: r - Math.floor(r), i }));
  let left = passes - shares.reduce((s, x) => s + x.passes, 0);
  for (const x of [...shares].sort((a, b) => b.rest - a.rest || a.i - b.i)) {
    if (left <= 0) break;
    x.passes++;
    left--;
  }
  return shares.map(({ code, passes: p }) => ({ code, passes: p }));
}

/** The first day of the 12-month window ending today (ISO dates, UTC): an injection dated on or after it counts. */
export function windowStart(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate() + 1));
  return d.toISOString().slice(0, 10);
}

export interface TerritoryParams {
  /** The ratio consolidateur target: yearly pass revenue that sustains one actor (configuration, default 15,000 €). */
  ratioTargetEur: number;
  now: Date;
}

export interface TerritoryInput {
  /** This territory's share of each injection. */
  injections: { date: string; passes: number; valeurFaciale: number }[];
  qualifiedActors: number;
  inProgress: number;
  waitlisted: number;
  /** Share (0–1) of injected passes whose commune has a qualified place within the radius; null when unknown. */
  reach: number | null;
}

export interface TerritoryFigures {
  passesInjected12m: number;
  valueInjected12m: number;
  sustainableActors: number;
  qualifiedActors: number;
  inProgress: number;
  waitlisted: number;
  /** Projected yearly pass revenue per qualified actor (€, rounded); null without qualified actors. */
  revenuePerActor: number | null;
  status: TerritoryStatus;
  reach: number | null;
}

/**
 * The figures of one territory, as territory.md defines them. Status:
 * - `no_passes`: nothing injected in the last 12 months;
 * - `to_stimulate`: passes injected and fewer qualified actors than sustainable, or no qualified actor within reach
 *   of the passes (no qualified actor at all, or a known reach of 0);
 * - `saturated`: more qualified actors than the passes sustain;
 * - `balanced`: otherwise.
 */
export function territoryFigures(input: TerritoryInput, params: TerritoryParams): TerritoryFigures {
  const { passes, value } = valueInjected12m(input.injections, params.now);
  return figuresFromTotals({ ...input, passes, value }, params.ratioTargetEur);
}

/**
 * The same figures from a territory's totals in the window (passes, value in € unrounded): what the territory view
 * recomputes when only the actors or the reach of a territory changed, without reading its injections again.
 */
export function figuresFromTotals(
  input: Omit<TerritoryInput, 'injections'> & { passes: number; value: number },
  ratioTargetEur: number,
): TerritoryFigures {
  const { passes, value } = input;
  const sustainableActors = Math.floor(value / ratioTargetEur);
  const q = input.qualifiedActors;
  let status: TerritoryStatus;
  if (passes === 0) status = 'no_passes';
  else if (q < sustainableActors || q === 0 || input.reach === 0) status = 'to_stimulate';
  else if (q > sustainableActors) status = 'saturated';
  else status = 'balanced';
  return {
    passesInjected12m: passes,
    valueInjected12m: round2(value),
    sustainableActors,
    qualifiedActors: q,
    inProgress: input.inProgress,
    waitlisted: input.waitlisted,
    revenuePerActor: q > 0 ? Math.round(value / q) : null,
    status,
    reach: input.reach,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** The value (€) of a territory's share of injections dated in the 12-month window ending `now`. */
export function valueInjected12m(
  injections: { date: string; passes: number; valeurFaciale: number }[],
  now: Date,
): { passes: number; value: number } {
  const today = now.toISOString().slice(0, 10);
  const since = windowStart(now);
  let passes = 0;
  let value = 0;
  for (const i of injections) {
    if (i.date < since || i.date > today) continue;
    passes += i.passes;
    value += i.passes * i.valeurFaciale;
  }
  return { passes, value };
}

export interface VolumeCap {
  /** Applications the département may admit (slots: in progress and qualified). */
  cap: number;
  /** `configured`: an admin's cap (`volumeCaps`); `passes`: the sustainable actors of the passes injected there. */
  source: 'configured' | 'passes';
}

/**
 * A département's volume cap (territory.md): an admin's cap wins (the override is kept); else, when derived caps
 * apply and passes were injected there in the last 12 months, the number of sustainable actors (at least 1); else
 * none (null: where no pass was injected, qualification is not limited by passes).
 */
export function volumeCap(input: {
  configured: number | undefined;
  derivedCaps: boolean;
  passes12m: number;
  value12m: number;
  ratioTargetEur: number;
}): VolumeCap | null {
  if (input.configured !== undefined) return { cap: input.configured, source: 'configured' };
  if (!input.derivedCaps || input.passes12m <= 0) return null;
  // At least one: passes injected somewhere need a place where they can be used (territory.md: « none within
  // reach » is a territory to stimulate, not one to close).
  return { cap: Math.max(1, Math.floor(input.value12m / input.ratioTargetEur)), source: 'passes' };
}
