import * as z from 'zod';
import type { AppConfig } from '../../config/config.js';
import { allEpci, DepartementCodeSchema, epciOfCommune, resolveCommune } from '../../domain/geography.js';
import { territoryFigures, windowStart } from '../../domain/territory.js';
import type { TerritoryCounters, TerritorySnapshot } from '../../store/entities/territory-snapshot.js';
import type { Store } from '../../store/store.js';
import type { Deps } from '../ports.js';
import {
  type ActiveCopy,
  computeDepartementsFully,
  type DepartementsData,
  gridOf,
  PassSpread,
  type PlacesCopy,
  row,
  type TerritoryRow,
  updateDepartements,
} from './territory-departements.js';

export type { TerritoryRow } from './territory-departements.js';

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
 * Performance (docs/territory.md): the départements' view is a snapshot, in the table and in this process, keyed by
 * the change counters that every write it depends on bumps (entities/territory-snapshot.ts), the day and the
 * configuration. A request costs one GetItem (the counters) while nothing changed; after a change, only what moved is
 * read again (territory-departements.ts); in full when the day, the configuration or the age limit says so.
 */
export async function getTerritories(
  deps: Deps,
  query: z.output<typeof TerritoriesQuerySchema>,
): Promise<TerritoriesView> {
  const config = await deps.config();
  const now = deps.clock();
  const departement = query.niveau === 'epci' ? (query.departement as string) : undefined;
  const snapshot: TerritorySnapshot<Computed> = departement
    ? await epciView(deps, config, now, departement)
    : await departementsView(deps, config, now);
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

// Per store (tests and benchmarks run several apps in one process).
const departementsMemo = new WeakMap<Store, TerritorySnapshot<DepartementsData>>();
// The places an in-memory snapshot was computed from (not stored in the table: thousands of points).
const placesOf = new WeakMap<TerritorySnapshot<DepartementsData>, PlacesCopy>();
// The active applications this process last read (with the counter they are as of), per store.
const activeMemo = new WeakMap<Store, ActiveCopy>();
const epciMemo = new WeakMap<Store, Map<string, TerritorySnapshot<Computed>>>();

const configKeyOf = (config: AppConfig) =>
  JSON.stringify([config.territory.ratioTargetEur, config.territory.reachRadiusKm]);

const sameCounters = (a: TerritoryCounters, b: TerritoryCounters) => JSON.stringify(a) === JSON.stringify(b);

/** Normalised (sorted keys) so two readings of the same counters compare equal as strings. */
function normalised(c: TerritoryCounters): TerritoryCounters {
  const sort = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
  return { all: c.all, applications: c.applications, injections: sort(c.injections), places: sort(c.places) };
}

/**
 * The départements' view: the snapshot as it is while no counter moved; brought up to date from it when some did (the
 * départements that moved); computed in full without a usable snapshot (none, another day or configuration, `all`
 * moved, or its last full computation older than `territory.snapshotMaxAgeSeconds`, the bound on a lost bump).
 */
export async function departementsView(
  deps: Deps,
  config: AppConfig,
  now: Date,
): Promise<TerritorySnapshot<DepartementsData>> {
  const store = deps.store;
  const day = now.toISOString().slice(0, 10);
  const configKey = configKeyOf(config);
  const usable = (s: TerritorySnapshot<DepartementsData> | null | undefined, counters: TerritoryCounters) =>
    s &&
    s.day === day &&
    s.config === configKey &&
    s.counters.all === counters.all &&
    now.getTime() - Date.parse(s.fullAt) <= config.territory.snapshotMaxAgeSeconds * 1000
      ? s
      : null;
  // The counters first: whatever is written after this read bumps one past the value the snapshot is stored with.
  const counters = normalised(await store.territorySnapshot.counters());
  const inMemory = usable(departementsMemo.get(store), counters);
  if (inMemory && sameCounters(inMemory.counters, counters)) return inMemory;
  // The view is also kept in the table, so a new process (a cold Lambda) need not compute it.
  const stored = usable(await store.territorySnapshot.get<DepartementsData>(), counters);
  if (stored && sameCounters(stored.counters, counters)) {
    departementsMemo.set(store, stored);
    return stored;
  }
  // This process's own snapshot when the table holds the same one: its places tell what changed exactly.
  const base =
    inMemory && (!stored || sameCounters(stored.counters, inMemory.counters)) ? inMemory : (stored ?? inMemory);
  const builtAt = now.toISOString();
  const key = { counters, day, config: configKey, builtAt };
  const held = departementsMemo.get(store);
  const computed = base
    ? await updateDepartements(
        deps,
        config,
        now,
        {
          base: base.data,
          before: base.counters,
          basePlaces: placesOf.get(base) ?? null,
          otherPlaces: (held && placesOf.get(held)) ?? null,
          active: activeMemo.get(store) ?? null,
        },
        counters,
      )
    : await computeDepartementsFully(deps, config, now, counters);
  const snapshot: TerritorySnapshot<DepartementsData> = {
    ...key,
    fullAt: base ? base.fullAt : builtAt,
    data: computed.data,
  };
  if (computed.places) placesOf.set(snapshot, computed.places);
  if (computed.active) activeMemo.set(store, computed.active);
  await store.territorySnapshot.put(snapshot);
  departementsMemo.set(store, snapshot);
  return snapshot;
}

/** One département's EPCI view, kept in this process only, recomputed whenever any counter moved. */
async function epciView(
  deps: Deps,
  config: AppConfig,
  now: Date,
  departement: string,
): Promise<TerritorySnapshot<Computed>> {
  const store = deps.store;
  const day = now.toISOString().slice(0, 10);
  const configKey = configKeyOf(config);
  const counters = normalised(await store.territorySnapshot.counters());
  const mine = epciMemo.get(store) ?? new Map<string, TerritorySnapshot<Computed>>();
  epciMemo.set(store, mine);
  const s = mine.get(departement);
  if (
    s &&
    sameCounters(s.counters, counters) &&
    s.day === day &&
    s.config === configKey &&
    now.getTime() - Date.parse(s.fullAt) <= config.territory.snapshotMaxAgeSeconds * 1000
  ) {
    return s;
  }
  const builtAt = now.toISOString();
  const data = await computeEpci(deps, config, now, departement);
  const snapshot = { counters, day, config: configKey, builtAt, fullAt: builtAt, data };
  mine.set(departement, snapshot);
  return snapshot;
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
