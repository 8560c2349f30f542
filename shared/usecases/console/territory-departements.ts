import type { AppConfig } from '../../config/config.js';
import { communeCentre, type GeoPoint } from '../../domain/commune-centres.js';
import { departementCodes, departementName } from '../../domain/geography.js';
import { isTerminal } from '../../domain/path.js';
import {
  type Box,
  boxOf,
  departementsNear,
  PlaceGrid,
  pointOf,
  reachShare,
  spreadOverCommunes,
} from '../../domain/reach.js';
import {
  figuresFromTotals,
  type TerritoryFigures,
  type TerritoryLevel,
  valueInjected12m,
  windowStart,
} from '../../domain/territory.js';
import type { PassInjection } from '../../store/entities/pass-injections.js';
import type { PlaceFigures } from '../../store/entities/places.js';
import type { TerritoryCounters } from '../../store/entities/territory-snapshot.js';
import type { Stage } from '../../store/types.js';
import type { Deps } from '../ports.js';

// The départements' view of GET /api/console/territories (docs/territory.md « Performance »): computed in full from
// three Queries, or brought up to date from the previous snapshot by recomputing only what the change counters say
// moved. Both paths go through `departementRow`, so they give the same figures (test/integration/console/
// territory-incremental.test.ts compares them after changes of each kind).

/** One territory of the view: exactly the contract's fields (docs/territory.md). */
export interface TerritoryRow extends TerritoryFigures {
  code: string;
  nom: string;
}

/** What a département's row is recomputed from without reading its injections again. */
export interface DepartementInputs {
  /** Value injected in the window, € unrounded (the row's figure is rounded; sustainable actors use this one). */
  value: number;
  /** The rectangle of its places' points: where a change of its places may change reach. */
  box: Box | null;
}

export interface DepartementsData {
  rows: TerritoryRow[];
  inputs: Record<string, DepartementInputs>;
}

type InjectionFigures = Pick<PassInjection, 'date' | 'valeurFaciale' | 'departements' | 'territoire'>;

/** The contract's fields, in the contract's order, and nothing else. */
export function row(code: string, nom: string, f: TerritoryFigures): TerritoryRow {
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

/** A place's point for reach: its own coordinates, else its commune's centre; null when neither is known. */
export function placePoint(p: PlaceFigures): GeoPoint | null {
  const own = pointOf(p.place as Record<string, unknown>);
  if (own) return own;
  return typeof p.place.code_insee === 'string' ? communeCentre(p.place.code_insee) : null;
}

export function gridOf(places: Iterable<PlaceFigures>, radiusKm: number): PlaceGrid {
  const points: GeoPoint[] = [];
  for (const p of places) {
    const point = placePoint(p);
    if (point) points.push(point);
  }
  return new PlaceGrid(points, radiusKm);
}

/** Where a territory's passes go by commune, each territory spread once (not once per injection). */
export class PassSpread {
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

/** A département's passes, value and reach from its injections dated in the window (oldest first). */
function injectionTotals(code: string, injections: InjectionFigures[], grid: PlaceGrid, now: Date) {
  const today = now.toISOString().slice(0, 10);
  const shares: { date: string; passes: number; valeurFaciale: number }[] = [];
  let spread: PassSpread | null = null;
  for (const i of injections) {
    for (const d of i.departements) {
      if (d.code !== code) continue;
      shares.push({ date: i.date, passes: d.passes, valeurFaciale: i.valeurFaciale });
      if (i.date > today) continue; // reach, like the figures, counts what is injected by today
      spread ??= new PassSpread();
      spread.add(i.territoire, d.passes);
    }
  }
  const { passes, value } = valueInjected12m(shares, now);
  return { passes, value, reach: spread?.reach(code, grid) ?? null };
}

interface Counts {
  inProgress: Map<string, number>;
  waitlisted: Map<string, number>;
}

/** The active applications (stage not terminal) as read at the applications counter `counter` (or a little later). */
export interface ActiveCopy {
  counter: number;
  byId: ReadonlyMap<string, { stage: Stage; departements: string[] }>;
}

function countsOf(active: ActiveCopy): Counts {
  const inProgress = new Map<string, number>();
  const waitlisted = new Map<string, number>();
  for (const a of active.byId.values()) {
    const target = a.stage === 'waitlisted' ? waitlisted : inProgress;
    for (const d of new Set(a.departements)) target.set(d, (target.get(d) ?? 0) + 1);
  }
  return { inProgress, waitlisted };
}

async function readActive(deps: Deps, counter: number): Promise<ActiveCopy> {
  const byId = new Map<string, { stage: Stage; departements: string[] }>();
  for (const a of await deps.store.applications.listActiveFigures()) {
    byId.set(a.id, { stage: a.stage, departements: a.departements ?? [] });
  }
  return { counter, byId };
}

/**
 * The active applications as of `counter`: `copy` with the applications written since (the log of application
 * changes) read again, or all of them (no copy, or the log misses an entry or holds too many).
 */
async function currentActive(deps: Deps, copy: ActiveCopy | null, counter: number): Promise<ActiveCopy> {
  if (!copy) return readActive(deps, counter);
  const ids = await deps.store.territorySnapshot.applicationsChanged(copy.counter, counter);
  if (!ids || ids.length > MAX_REREAD) return readActive(deps, counter);
  const byId = new Map(copy.byId);
  const found = new Map((await deps.store.applications.getMany(ids)).map((a) => [a.id, a]));
  for (const id of ids) {
    const a = found.get(id);
    // As the ACTIVE listing holds them: a stage that is not terminal, not erased.
    if (a && !isTerminal(a.stage) && !a.erasedAt) byId.set(id, { stage: a.stage, departements: a.departements ?? [] });
    else byId.delete(id);
  }
  return { counter, byId };
}

// Beyond this many applications written since the copy, one Query of them all costs less than their BatchGets.
const MAX_REREAD = 200;

function groupPlaces(places: PlaceFigures[]): Map<string, PlaceFigures[]> {
  const byDep = new Map<string, PlaceFigures[]>();
  for (const p of places) {
    const list = byDep.get(p.departement) ?? [];
    byDep.set(p.departement, list);
    list.push(p);
  }
  return byDep;
}

/** The keys whose counter differs between two readings. */
function moved(before: Record<string, number>, after: Record<string, number>): Set<string> {
  const out = new Set<string>();
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if ((before[k] ?? 0) !== (after[k] ?? 0)) out.add(k);
  }
  return out;
}

/**
 * The published places by département as read at `counters` (or a little later: read after the counters), kept with
 * the snapshot computed from them in this process, never changed once made (a new copy per computation).
 */
export interface PlacesCopy {
  counters: Record<string, number>;
  byDep: ReadonlyMap<string, PlaceFigures[]>;
}

/** The places as of `counters`: `copy` with the départements that moved since read again, or all of them. */
async function currentPlaces(
  deps: Deps,
  copy: PlacesCopy | null,
  counters: Record<string, number>,
): Promise<PlacesCopy> {
  if (!copy) return { counters: { ...counters }, byDep: groupPlaces(await deps.store.places.listFigures()) };
  const byDep = new Map(copy.byDep);
  await Promise.all(
    [...moved(copy.counters, counters)].map(async (d) => {
      byDep.set(d, await deps.store.places.listFigures({ departement: d }));
    }),
  );
  return { counters: { ...counters }, byDep };
}

/** The points in one list and not in the other (a place added, removed or moved), as a rectangle. */
function boxOfChanges(before: PlaceFigures[], after: PlaceFigures[]): Box | null {
  const key = (p: GeoPoint) => `${p.latitude},${p.longitude}`;
  const count = new Map<string, { point: GeoPoint; n: number }>();
  for (const [list, sign] of [
    [before, 1],
    [after, -1],
  ] as const) {
    for (const place of list) {
      const point = placePoint(place);
      if (!point) continue;
      const c = count.get(key(point)) ?? { point, n: 0 };
      count.set(key(point), c);
      c.n += sign;
    }
  }
  return boxOf([...count.values()].filter((c) => c.n !== 0).map((c) => c.point));
}

function* allOf<T>(groups: ReadonlyMap<string, T[]>): Iterable<T> {
  for (const list of groups.values()) yield* list;
}

function boxOfPlaces(places: PlaceFigures[] | undefined): Box | null {
  const points: GeoPoint[] = [];
  for (const p of places ?? []) {
    const point = placePoint(p);
    if (point) points.push(point);
  }
  return boxOf(points);
}

/** Every département from three Queries (injections of the window, published places, active applications). */
export async function computeDepartementsFully(
  deps: Deps,
  config: AppConfig,
  now: Date,
  counters: TerritoryCounters,
): Promise<{ data: DepartementsData; places: PlacesCopy; active: ActiveCopy }> {
  const [injections, places, active] = await Promise.all([
    deps.store.passInjections.listFigures(windowStart(now)),
    deps.store.places.listFigures(),
    readActive(deps, counters.applications),
  ]);
  const counts = countsOf(active);
  const byDep = groupPlaces(places);
  const injectionsByDep = new Map<string, InjectionFigures[]>();
  for (const i of injections) {
    for (const code of new Set(i.departements.map((d) => d.code))) {
      const list = injectionsByDep.get(code) ?? [];
      injectionsByDep.set(code, list);
      list.push(i);
    }
  }
  const grid = gridOf(places, config.territory.reachRadiusKm);
  const rows: TerritoryRow[] = [];
  const inputs: Record<string, DepartementInputs> = {};
  for (const code of departementCodes()) {
    const totals = injectionTotals(code, injectionsByDep.get(code) ?? [], grid, now);
    const qualified = new Set((byDep.get(code) ?? []).map((p) => p.applicationId)).size;
    rows.push(departementRow(code, { ...totals, qualified, counts }, config));
    inputs[code] = { value: totals.value, box: boxOfPlaces(byDep.get(code)) };
  }
  return { data: { rows, inputs }, places: { counters: { ...counters.places }, byDep }, active };
}

function departementRow(
  code: string,
  x: { passes: number; value: number; reach: number | null; qualified: number; counts: Counts },
  config: AppConfig,
): TerritoryRow {
  return row(
    code,
    departementName(code) ?? code,
    figuresFromTotals(
      {
        passes: x.passes,
        value: x.value,
        reach: x.reach,
        qualifiedActors: x.qualified,
        inProgress: x.counts.inProgress.get(code) ?? 0,
        waitlisted: x.counts.waitlisted.get(code) ?? 0,
      },
      config.territory.ratioTargetEur,
    ),
  );
}

/**
 * Brings `base` (computed at `before`, the same day and configuration) up to `after`, reading only what moved:
 * - a département whose injections moved: its injections (one Query of its links), for its passes, value and reach;
 * - a département whose places moved: its places (one Query, begins_with on the places index), for its qualified
 *   actors, and the reach of every département with a commune within the radius of the places that changed (added,
 *   removed or moved, when this process holds the places as they were; else of all its places before — the
 *   rectangle kept in the snapshot — and after): their injections are read again (those with passes);
 * - applications moved: the applications written since (the log of application changes, then one BatchGet) in this
 *   process's copy of the active applications, else all of them (one Query), for every département's in-progress
 *   and waitlisted counts (an application's write does not know the départements it left; the copy does).
 * The other figures are the base's. `after.all` moved → the caller computes in full instead.
 */
export async function updateDepartements(
  deps: Deps,
  config: AppConfig,
  now: Date,
  from: {
    base: DepartementsData;
    /** The counters `base` was computed at. */
    before: TerritoryCounters;
    /** The places `base` was computed from, when this process computed it: changes are found by comparison. */
    basePlaces: PlacesCopy | null;
    /** Else another copy this process holds (read again where it is behind), or none (all read). */
    otherPlaces: PlacesCopy | null;
    /** The active applications this process holds (any age: brought up to date from the log of changes). */
    active: ActiveCopy | null;
  },
  after: TerritoryCounters,
): Promise<{ data: DepartementsData; places: PlacesCopy | null; active: ActiveCopy | null }> {
  const { base, before, basePlaces } = from;
  const injectionsMoved = moved(before.injections, after.injections);
  const placesMoved = moved(before.places, after.places);
  const codes = departementCodes();
  const known = new Set(codes);
  const old = new Map(base.rows.map((r) => [r.code, r]));
  const needPlaces = injectionsMoved.size > 0 || placesMoved.size > 0;
  const [places, active] = await Promise.all([
    needPlaces ? currentPlaces(deps, basePlaces ?? from.otherPlaces, after.places) : null,
    before.applications !== after.applications ? currentActive(deps, from.active, after.applications) : null,
  ]);
  const counts = active ? countsOf(active) : null;
  const byDep = places?.byDep;
  const reachMoved = new Set(injectionsMoved);
  const boxes = new Map<string, Box | null>();
  for (const d of placesMoved) {
    const box = boxOfPlaces(byDep?.get(d));
    boxes.set(d, box);
    // What changed, when this process knew the places before; else all of them, before (the snapshot's rectangle)
    // and after.
    const changed = basePlaces
      ? [boxOfChanges(basePlaces.byDep.get(d) ?? [], byDep?.get(d) ?? [])]
      : [base.inputs[d]?.box, box];
    for (const b of changed) {
      if (b) for (const e of departementsNear(b, config.territory.reachRadiusKm)) reachMoved.add(e);
    }
  }
  // Without passes by today a département's reach is null whatever the places: nothing to read there.
  const reread = [...reachMoved].filter(
    (d) => known.has(d) && (injectionsMoved.has(d) || (old.get(d)?.passesInjected12m ?? 0) > 0),
  );
  const since = windowStart(now);
  const injections = new Map(
    await Promise.all(
      reread.map(async (d) => [d, await deps.store.passInjections.listFiguresByDepartement(d, since)] as const),
    ),
  );
  const grid = byDep && reread.length > 0 ? gridOf(allOf(byDep), config.territory.reachRadiusKm) : null;
  const rows: TerritoryRow[] = [];
  const inputs: Record<string, DepartementInputs> = {};
  for (const code of codes) {
    const was = old.get(code);
    const input = base.inputs[code] ?? { value: 0, box: null };
    const list = injections.get(code);
    const totals =
      list && grid
        ? injectionTotals(code, list, grid, now)
        : { passes: was?.passesInjected12m ?? 0, value: input.value, reach: was?.reach ?? null };
    const qualified =
      placesMoved.has(code) && byDep
        ? new Set((byDep.get(code) ?? []).map((p) => p.applicationId)).size
        : (was?.qualifiedActors ?? 0);
    const rowCounts = counts ?? {
      inProgress: new Map([[code, was?.inProgress ?? 0]]),
      waitlisted: new Map([[code, was?.waitlisted ?? 0]]),
    };
    rows.push(departementRow(code, { ...totals, qualified, counts: rowCounts }, config));
    inputs[code] = { value: totals.value, box: boxes.has(code) ? (boxes.get(code) ?? null) : input.box };
  }
  return {
    data: { rows, inputs },
    places: places ?? basePlaces,
    active: active ?? (from.active?.counter === after.applications ? from.active : null),
  };
}
