// Reach (territory.md): the share of a territory's injected passes whose commune has a qualified place within the
// radius. Pure functions; the caller supplies the points (places' own coordinates, else their commune's centre).
import { communeCentres, distanceKm, type GeoPoint } from './commune-centres.js';
import { communeByCode, communesOfDepartement, epciMembers } from './geography.js';
import type { TerritoryLevel } from './territory.js';

const rad = (d: number) => (d * Math.PI) / 180;

/** A point from a place row's `latitude`/`longitude` (numbers or numeric strings), or null when absent or invalid. */
export function pointOf(row: Record<string, unknown>): GeoPoint | null {
  const latitude = Number(row.latitude);
  const longitude = Number(row.longitude);
  if (row.latitude === undefined || row.longitude === undefined || row.latitude === '' || row.longitude === '') {
    return null;
  }
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}

/**
 * Places bucketed in cells about `radiusKm` wide, so « is there a place within the radius » looks at 9 cells instead
 * of every place. Cells are `radiusKm` of latitude tall and wide enough in longitude at 55° N (further north than any
 * French commune), so the 3 × 3 block around a point always covers the radius.
 */
export class PlaceGrid {
  private readonly cells = new Map<string, GeoPoint[]>();
  private readonly dLat: number;
  private readonly dLon: number;

  constructor(
    points: GeoPoint[],
    private readonly radiusKm: number,
  ) {
    this.dLat = radiusKm / 111;
    this.dLon = radiusKm / (111 * Math.cos(rad(55)));
    for (const p of points) {
      const k = this.key(Math.floor(p.latitude / this.dLat), Math.floor(p.longitude / this.dLon));
      const list = this.cells.get(k) ?? [];
      this.cells.set(k, list);
      list.push(p);
    }
  }

  private key(i: number, j: number): string {
    return `${i}:${j}`;
  }

  /** True when a place lies within the radius of `p`. */
  hasPlaceNear(p: GeoPoint): boolean {
    const i = Math.floor(p.latitude / this.dLat);
    const j = Math.floor(p.longitude / this.dLon);
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (const q of this.cells.get(this.key(i + di, j + dj)) ?? []) {
          if (distanceKm(p, q) <= this.radiusKm) return true;
        }
      }
    }
    return false;
  }
}

/** Passes by commune (INSEE code); fractions are fine (a share spread by population). */
export type PassesByCommune = Map<string, number>;

/**
 * Where one département's share of an injection goes, commune by commune: all of it to the commune when the
 * injection names one; spread over the communes of the EPCI (in this département) or of the whole département, in
 * proportion to their population (passes are handed to people, who live there), otherwise.
 */
export function spreadOverCommunes(
  territoire: { niveau: TerritoryLevel; code: string },
  departement: string,
  passes: number,
  into: PassesByCommune = new Map(),
): PassesByCommune {
  if (passes <= 0) return into;
  if (territoire.niveau === 'commune') {
    into.set(territoire.code, (into.get(territoire.code) ?? 0) + passes);
    return into;
  }
  const communes =
    territoire.niveau === 'epci'
      ? epciMembers(territoire.code).filter((m) => m.departement === departement)
      : communesOfDepartement(departement);
  const total = communes.reduce((s, c) => s + Math.max(0, c.population), 0);
  for (const c of communes) {
    const weight = total > 0 ? Math.max(0, c.population) / total : 1 / communes.length;
    if (weight > 0) into.set(c.code, (into.get(c.code) ?? 0) + passes * weight);
  }
  return into;
}

/**
 * The share (0–1, rounded to 3 decimals) of the passes whose commune has a place within the radius. Passes of a
 * commune whose centre is unknown are left out of both sides; null when no pass has a known commune centre (reach
 * is unknown, not zero).
 */
export function reachShare(
  passes: PassesByCommune,
  grid: PlaceGrid,
  centreOf: (code: string) => GeoPoint | null,
): number | null {
  let known = 0;
  let reached = 0;
  for (const [code, n] of passes) {
    const centre = centreOf(code);
    if (!centre) continue;
    known += n;
    if (grid.hasPlaceNear(centre)) reached += n;
  }
  if (known <= 0) return null;
  return Math.round((reached / known) * 1000) / 1000;
}

/** The smallest latitude/longitude rectangle holding some points: [minLat, minLon, maxLat, maxLon]. */
export type Box = [number, number, number, number];

export function boxOf(points: Iterable<GeoPoint>): Box | null {
  let box: Box | null = null;
  for (const p of points) {
    if (!box) box = [p.latitude, p.longitude, p.latitude, p.longitude];
    else {
      box[0] = Math.min(box[0], p.latitude);
      box[1] = Math.min(box[1], p.longitude);
      box[2] = Math.max(box[2], p.latitude);
      box[3] = Math.max(box[3], p.longitude);
    }
  }
  return box;
}

// The rectangle of each département's commune centres (arrondissements included: their passes are theirs).
let departementBoxes: Map<string, Box> | undefined;

function boxesOfDepartements(): Map<string, Box> {
  if (departementBoxes) return departementBoxes;
  const points = new Map<string, GeoPoint[]>();
  for (const [code, point] of communeCentres()) {
    const d = communeByCode(code)?.departement;
    if (!d) continue;
    const list = points.get(d) ?? [];
    points.set(d, list);
    list.push(point);
  }
  departementBoxes = new Map();
  for (const [d, list] of points) departementBoxes.set(d, boxOf(list) as Box);
  return departementBoxes;
}

/**
 * The départements whose reach a place inside `box` may change: those with a commune centre possibly within
 * `radiusKm` of the box (a superset: rectangles widened by the radius, with 1° of latitude taken as 110 km and the
 * longitude degrees at the rectangle's far latitude). The territory view recomputes their reach after a change of
 * places there; a département outside cannot have a commune within the radius of those places.
 */
export function departementsNear(box: Box, radiusKm: number): string[] {
  const out: string[] = [];
  const dLat = radiusKm / 110;
  for (const [d, b] of boxesOfDepartements()) {
    const farLat = Math.min(89, Math.max(Math.abs(b[0]), Math.abs(b[2]), Math.abs(box[0]), Math.abs(box[2])) + dLat);
    const dLon = radiusKm / (110 * Math.cos(rad(farLat)));
    if (b[0] - dLat > box[2] || b[2] + dLat < box[0]) continue;
    if (b[1] - dLon > box[3] || b[3] + dLon < box[1]) continue;
    out.push(d);
  }
  return out;
}
