import * as z from 'zod';
import type { AppConfig } from '../../config/config.js';
import { communeCentre, type GeoPoint } from '../../domain/commune-centres.js';
import {
  allEpci,
  DepartementCodeSchema,
  departementCodes,
  departementName,
  epciOfCommune,
  resolveCommune,
} from '../../domain/geography.js';
import { PlaceGrid, pointOf, reachShare, spreadOverCommunes } from '../../domain/reach.js';
import { type TerritoryFigures, type TerritoryLevel, territoryFigures, windowStart } from '../../domain/territory.js';
import type { PlaceFigures } from '../../store/entities/places.js';
import type { TerritorySnapshot } from '../../store/entities/territory-snapshot.js';
import type { Store } from '../../store/store.js';
import type { Deps } from '../ports.js';

export const TerritoriesQuerySchema = z
  .strictObject({
    niveau: z.enum(['departement', 'epci'], { error: 'Niveau : departement ou epci.' }).default('departement'),
    /** With `niveau=epci`: the département whose EPCI are listed (an EPCI across a border is in each). */
    departement: DepartementCodeSchema.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.niveau === 'epci' && !q.departement) {
      ctx.addIssue({
        code: 'custom',
        path: ['departement'],
        message: 'Vue par EPCI : précisez le département (ex. ?niveau=epci&departement=87).',
      });
    }
  });

/** One territory of the view: exactly the contract's fields (docs/territory.md). */
export interface TerritoryRow extends TerritoryFigures {
  code: string;
  nom: string;
}

export interface TerritoriesView {
  niveau: 'departement' | 'epci';
  /** With `niveau=epci`: the département asked for. */
  departement?: string;
  territories: TerritoryRow[];
  /**
   * With `niveau=epci`: the département's passes injected on the whole département, which belong to no EPCI (they
   * count in the département's row, not in any EPCI's).
   */
  unattributed?: { passesInjected12m: number; valueInjected12m: number };
  ratioTargetEur: number;
  ratioBandEur: [number, number];
  reachRadiusKm: number;
  /** When these figures were computed (the view is cached until something it depends on changes). */
  computedAt: string;
}

type Share = { date: string; passes: number; valeurFaciale: number };
type Computed = { rows: TerritoryRow[]; unattributed?: TerritoriesView['unattributed'] };

/**
 * GET /api/console/territories: the figures of territory.md, per département (every code of the official geography)
 * or, with `niveau=epci&departement=…`, per EPCI of one département.
 *
 * Performance (docs/territory.md): the figures are computed from three Queries (injections of the last 12 months,
 * published places, active applications: projections, never a Scan) and then cached as a snapshot, in the table and
 * in this process, keyed by the change counter that every write they depend on bumps (entities/territory-snapshot.ts),
 * the day and the configuration. A request then costs one GetItem (the counter) while nothing changed.
 */
export async function getTerritories(
  deps: Deps,
  query: z.output<typeof TerritoriesQuerySchema>,
): Promise<TerritoriesView> {
  const config = await deps.config();
  const now = deps.clock();
  const departement = query.niveau === 'epci' ? (query.departement as string) : undefined;
  const snapshot = await cached(deps, config, now, departement, () =>
    departement ? computeEpci(deps, config, now, departement) : computeDepartements(deps, config, now),
  );
  return {
    niveau: query.niveau,
    ...(departement ? { departement, unattributed: snapshot.data.unattributed } : {}),
    territories: snapshot.data.rows,
    ratioTargetEur: config.territory.ratioTargetEur,
    ratioBandEur: [...config.territory.ratioBandEur] as [number, number],
    reachRadiusKm: config.territory.reachRadiusKm,
    computedAt: snapshot.builtAt,
  };
}

// Per store (tests and benchmarks run several apps in one process), per view ('' = départements, else a code).
const memo = new WeakMap<Store, Map<string, TerritorySnapshot<Computed>>>();

async function cached(
  deps: Deps,
  config: AppConfig,
  now: Date,
  departement: string | undefined,
  compute: () => Promise<Computed>,
): Promise<TerritorySnapshot<Computed>> {
  const t = config.territory;
  const day = now.toISOString().slice(0, 10);
  const configKey = JSON.stringify([t.ratioTargetEur, t.reachRadiusKm]);
  const fresh = (s: TerritorySnapshot<Computed> | null | undefined, generation: number) =>
    s &&
    s.generation === generation &&
    s.day === day &&
    s.config === configKey &&
    now.getTime() - Date.parse(s.builtAt) <= t.snapshotMaxAgeSeconds * 1000;
  const store = deps.store;
  const mine = memo.get(store) ?? new Map<string, TerritorySnapshot<Computed>>();
  memo.set(store, mine);
  const slot = departement ?? '';
  // The counter first: whatever is written after this read bumps it past the value the snapshot is stored with.
  const generation = await store.territorySnapshot.generation();
  const inMemory = mine.get(slot);
  if (fresh(inMemory, generation)) return inMemory as TerritorySnapshot<Computed>;
  if (!departement) {
    // The départements' view is also kept in the table, so a new process (a cold Lambda) need not compute it.
    const stored = await store.territorySnapshot.get<Computed>();
    if (fresh(stored, generation)) {
      mine.set(slot, stored as TerritorySnapshot<Computed>);
      return stored as TerritorySnapshot<Computed>;
    }
  }
  const data = await compute();
  const snapshot = { generation, day, config: configKey, builtAt: now.toISOString(), data };
  if (!departement) await store.territorySnapshot.put(snapshot);
  mine.set(slot, snapshot);
  return snapshot;
}

/** A place's point for reach: its own coordinates, else its commune's centre; null when neither is known. */
function placePoint(p: PlaceFigures): GeoPoint | null {
  const own = pointOf(p.place as Record<string, unknown>);
  if (own) return own;
  return typeof p.place.code_insee === 'string' ? communeCentre(p.place.code_insee) : null;
}

function gridOf(places: PlaceFigures[], radiusKm: number): PlaceGrid {
  const points: GeoPoint[] = [];
  for (const p of places) {
    const point = placePoint(p);
    if (point) points.push(point);
  }
  return new PlaceGrid(points, radiusKm);
}

/** Where a département's passes go by commune, each territory spread once (not once per injection). */
class PassSpread {
  private readonly byTerritory = new Map<string, { niveau: TerritoryLevel; code: string; passes: number }>();

  add(territoire: { niveau: TerritoryLevel; code: string }, passes: number): void {
    const k = `${territoire.niveau}:${territoire.code}`;
    const t = this.byTerritory.get(k) ?? { niveau: territoire.niveau, code: territoire.code, passes: 0 };
    this.byTerritory.set(k, t);
    t.passes += passes;
  }

  reach(departement: string, grid: PlaceGrid): number | null {
    if (this.byTerritory.size === 0) return null;
    const communes = new Map<string, number>();
    for (const t of this.byTerritory.values()) spreadOverCommunes(t, departement, t.passes, communes);
    return reachShare(communes, grid, communeCentre);
  }
}

async function computeDepartements(deps: Deps, config: AppConfig, now: Date): Promise<Computed> {
  const since = windowStart(now);
  const today = now.toISOString().slice(0, 10);
  const [injections, places, active] = await Promise.all([
    deps.store.passInjections.listFigures(since),
    deps.store.places.listFigures(),
    deps.store.applications.listActiveFigures(),
  ]);
  const shares = new Map<string, Share[]>();
  const spreads = new Map<string, PassSpread>();
  for (const i of injections) {
    for (const d of i.departements) {
      const list = shares.get(d.code) ?? [];
      shares.set(d.code, list);
      list.push({ date: i.date, passes: d.passes, valeurFaciale: i.valeurFaciale });
      if (i.date > today) continue; // reach, like the figures, counts what is injected by today
      const spread = spreads.get(d.code) ?? new PassSpread();
      spreads.set(d.code, spread);
      spread.add(i.territoire, d.passes);
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
  const grid = gridOf(places, config.territory.reachRadiusKm);
  const params = { ratioTargetEur: config.territory.ratioTargetEur, now };
  const rows = departementCodes().map((code) =>
    row(
      code,
      departementName(code) ?? code,
      territoryFigures(
        {
          injections: shares.get(code) ?? [],
          qualifiedActors: qualified.get(code)?.size ?? 0,
          inProgress: inProgress.get(code) ?? 0,
          waitlisted: waitlisted.get(code) ?? 0,
          reach: spreads.get(code)?.reach(code, grid) ?? null,
        },
        params,
      ),
    ),
  );
  return { rows };
}

/**
 * The EPCI of one département. An injection counts in an EPCI when it names the EPCI or one of its communes; one on
 * the whole département belongs to no EPCI (`unattributed`). Places and applications count where their commune is.
 */
async function computeEpci(deps: Deps, config: AppConfig, now: Date, departement: string): Promise<Computed> {
  const today = now.toISOString().slice(0, 10);
  const since = windowStart(now);
  const [injections, places, active] = await Promise.all([
    deps.store.passInjections.listByDepartement(departement),
    deps.store.places.listFigures(),
    deps.store.applications.listActiveFigures({ places: true }),
  ]);
  const epcis = allEpci().filter((e) => e.departements.some((d) => d.code === departement));
  const shares = new Map<string, Share[]>();
  const spreads = new Map<string, PassSpread>();
  const unattributed = { passesInjected12m: 0, valueInjected12m: 0 };
  for (const i of injections) {
    const passes = i.departements.find((d) => d.code === departement)?.passes ?? 0;
    const epci =
      i.territoire.niveau === 'epci'
        ? i.territoire.code
        : i.territoire.niveau === 'commune'
          ? epciOfCommune(i.territoire.code)
          : null;
    if (!epci) {
      if (i.date >= since && i.date <= today) {
        unattributed.passesInjected12m += passes;
        unattributed.valueInjected12m += passes * i.valeurFaciale;
      }
      continue;
    }
    const list = shares.get(epci) ?? [];
    shares.set(epci, list);
    list.push({ date: i.date, passes, valeurFaciale: i.valeurFaciale });
    if (i.date < since || i.date > today) continue;
    const spread = spreads.get(epci) ?? new PassSpread();
    spreads.set(epci, spread);
    spread.add(i.territoire, passes);
  }
  const qualified = new Map<string, Set<string>>();
  for (const p of places) {
    if (p.departement !== departement || typeof p.place.code_insee !== 'string') continue;
    const epci = epciOfCommune(p.place.code_insee);
    if (!epci) continue;
    const set = qualified.get(epci) ?? new Set<string>();
    qualified.set(epci, set);
    set.add(p.applicationId);
  }
  const inProgress = new Map<string, number>();
  const waitlisted = new Map<string, number>();
  for (const a of active) {
    if (!(a.departements ?? []).includes(departement)) continue;
    const here = new Set<string>();
    for (const l of a.lieux ?? []) {
      const r = resolveCommune(String(l.code_postal ?? ''), String(l.commune ?? ''));
      const epci = r.ok && r.commune.departement === departement ? epciOfCommune(r.commune.codeInsee) : null;
      if (epci) here.add(epci);
    }
    const target = a.stage === 'waitlisted' ? waitlisted : inProgress;
    for (const e of here) target.set(e, (target.get(e) ?? 0) + 1);
  }
  const grid = gridOf(places, config.territory.reachRadiusKm);
  const params = { ratioTargetEur: config.territory.ratioTargetEur, now };
  const rows = epcis
    .map((e) =>
      row(
        e.code,
        e.nom,
        territoryFigures(
          {
            injections: shares.get(e.code) ?? [],
            qualifiedActors: qualified.get(e.code)?.size ?? 0,
            inProgress: inProgress.get(e.code) ?? 0,
            waitlisted: waitlisted.get(e.code) ?? 0,
            reach: spreads.get(e.code)?.reach(departement, grid) ?? null,
          },
          params,
        ),
      ),
    )
    .sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
  unattributed.valueInjected12m = Math.round(unattributed.valueInjected12m * 100) / 100;
  return { rows, unattributed };
}

/** The contract's fields, in the contract's order, and nothing else. */
function row(code: string, nom: string, f: TerritoryFigures): TerritoryRow {
  return {
    code,
    nom,
    passesInjected12m: f.passesInjected12m,
    valueInjected12m: f.valueInjected12m,
    sustainableActors: f.sustainableActors,
    qualifiedActors: f.qualifiedActors,
    inProgress: f.inProgress,
    waitlisted: f.waitlisted,
    revenuePerActor: f.revenuePerActor,
    status: f.status,
    reach: f.reach,
  };
}
