// The centre of each commune (INSEE code → WGS84 point), from shared/data/commune-centres.csv: the fallback position of
// a place when no pin was confirmed and the address could not be geocoded, and the origin of a « near me » search.
// No npm package ships commune centres (@etalab/decoupage-administratif has none), so the project keeps this derived
// file (infra/cli/commune-centres.ts says where it comes from). Loaded lazily once; on Lambda from the geography layer.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { communesForPostalCode } from './geography.js';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** How a place's coordinates were found: the actor's confirmed pin, the geocoded address, or its commune's centre. */
export const GEO_PRECISIONS = ['pin', 'address', 'commune'] as const;
export type GeoPrecision = (typeof GEO_PRECISIONS)[number];

const FILE = 'commune-centres.csv';
const LAYER_PATH = `/opt/geo/${FILE}`;

let centres: Map<string, GeoPoint> | undefined;

function load(): Map<string, GeoPoint> {
  const local = fileURLToPath(new URL(`../data/${FILE}`, import.meta.url));
  const path = existsSync(LAYER_PATH) ? LAYER_PATH : existsSync(local) ? local : null;
  const map = new Map<string, GeoPoint>();
  // A bundle run without the geography layer (the bundle tests, a Lambda deployed without it): no centre is known,
  // so places fall back to « position unknown » rather than the turn failing.
  if (!path) return map;
  const text = readFileSync(path, 'utf8');
  let start = text.indexOf('\n') + 1;
  while (start > 0 && start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? undefined : end);
    const [code, lat, lon] = line.split(',');
    if (code && lat && lon) map.set(code, { latitude: Number(lat), longitude: Number(lon) });
    start = end < 0 ? text.length : end + 1;
  }
  return map;
}

/** The centre of a commune (INSEE code, Paris/Lyon/Marseille whole or by arrondissement), or null. */
export function communeCentre(code: string): GeoPoint | null {
  centres ??= load();
  return centres.get(code) ?? null;
}

/** Every known commune centre, by INSEE code (arrondissements included). */
export function communeCentres(): ReadonlyMap<string, GeoPoint> {
  centres ??= load();
  return centres;
}

/**
 * A place's commune centre: its INSEE code first, else a commune of the same postal code (a commune created after the
 * data file was made shares the postal code of its former communes).
 */
export function centreFor(codeInsee: string | undefined, codePostal: string | undefined): GeoPoint | null {
  const own = codeInsee ? communeCentre(codeInsee) : null;
  if (own) return own;
  for (const c of codePostal ? communesForPostalCode(codePostal) : []) {
    const p = communeCentre(c.codeInsee);
    if (p) return p;
  }
  return null;
}

/** A WGS84 point the national schema accepts (numbers in range). */
export function isGeoPoint(p: unknown): p is GeoPoint {
  if (!p || typeof p !== 'object') return false;
  const { latitude, longitude } = p as Record<string, unknown>;
  return (
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180
  );
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine): enough for « the nearest places first ». */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance as people read it: « 800 m », « 3,2 km », « 27 km ». */
export function formatDistanceFr(km: number): string {
  if (km < 1) return `${Math.max(100, Math.round((km * 1000) / 100) * 100)} m`;
  if (km < 10) return `${km.toFixed(1).replace('.', ',')} km`;
  return `${Math.round(km)} km`;
}
