// Reach (territory.md): the share of a territory's injected passes whose commune has a qualified place within the
// radius. Pure functions; the caller supplies the points (places' own coordinates, else their commune's centre).
import type { GeoPoint } from './commune-centres.js';
import { communesOfDepartement, epciMembers } from './geography.js';
import type { TerritoryLevel } from './territory.js';

const EARTH_RADIUS_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

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
