import type { ResolvedPlace } from '../domain/application.js';
import { centreFor, type GeoPrecision, isGeoPoint } from '../domain/commune-centres.js';
import type { ApplicationItem, PlaceInput } from '../store/store.js';
import { toPublishedPlaces } from './places.js';
import type { Deps, GeocodeHit } from './ports.js';

/**
 * Coordinates for every published place (docs/places-geo.md), in this order:
 * 1. the pin the actor confirmed (`lieux[n].position`, already on the row: precision `pin`);
 * 2. the coordinates published before for the same address (no second call for an unchanged place);
 * 3. the national address API (AWS only, `deps.geocoder`), trusted above `geocoding.minScore` (precision `address`);
 * 4. the commune's centre from the packaged data (one machine, or when the API fails or times out: `commune`).
 * A place with none of these (a commune missing from the data) is published without coordinates: still listed.
 */
const addressKey = (place: Record<string, unknown>): string =>
  [place.adresse, place.code_postal, place.code_insee ?? place.commune].map((v) => String(v ?? '')).join('|');

/** How many geocoding calls run at once for one application (the address API allows a few dozen per second). */
const CONCURRENCY = 4;

export async function locatePlaces(deps: Deps, applicationId: string, rows: PlaceInput[]): Promise<PlaceInput[]> {
  const todo = rows.filter((r) => r.precision !== 'pin');
  if (todo.length === 0) return rows;
  const config = await deps.config();
  const before = new Map<string, { latitude: number; longitude: number; precision: GeoPrecision }>();
  for (const p of await deps.store.places.listFor(applicationId)) {
    const point = { latitude: p.place.latitude, longitude: p.place.longitude };
    // Only a geocoded address is worth keeping: a commune centre is recomputed (free), a pin comes from the document.
    if (p.precision === 'address' && isGeoPoint(point))
      before.set(addressKey(p.place), { ...point, precision: 'address' });
  }
  const located = new Map<PlaceInput, { latitude: number; longitude: number; precision: GeoPrecision } | null>();
  const queue = [...todo];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const p = row.place;
      const kept = before.get(addressKey(p));
      if (kept) {
        located.set(row, kept);
        continue;
      }
      let hit: GeocodeHit | null = null;
      if (deps.geocoder) {
        hit = await deps.geocoder.geocode(
          {
            adresse: String(p.adresse ?? ''),
            codePostal: String(p.code_postal ?? ''),
            commune: String(p.commune ?? ''),
            ...(p.code_insee ? { codeInsee: String(p.code_insee) } : {}),
          },
          { timeoutMs: config.geocoding.timeoutMs },
        );
      }
      if (hit && hit.precision === 'address' && hit.score >= config.geocoding.minScore && isGeoPoint(hit)) {
        located.set(row, { latitude: hit.latitude, longitude: hit.longitude, precision: 'address' });
        continue;
      }
      const centre = centreFor(p.code_insee ? String(p.code_insee) : undefined, String(p.code_postal ?? ''));
      located.set(row, centre ? { ...centre, precision: 'commune' } : null);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  return rows.map((r) => {
    const at = located.get(r);
    if (!at) return r;
    return {
      ...r,
      precision: at.precision,
      place: { ...r.place, latitude: round6(at.latitude), longitude: round6(at.longitude) },
    };
  });
}

/** Six decimals (≈ 0.1 m): what the address API gives, and short in the CSV. */
export const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A row published before coordinates existed: its commune's centre, computed when read (nothing written). */
export function withCentreIfMissing(place: Record<string, unknown>): Record<string, unknown> {
  if (isGeoPoint({ latitude: place.latitude, longitude: place.longitude })) return place;
  const centre = centreFor(place.code_insee ? String(place.code_insee) : undefined, String(place.code_postal ?? ''));
  return centre ? { ...place, latitude: centre.latitude, longitude: centre.longitude } : place;
}

/** The rows to publish for an application, with their coordinates: what Qualify, a places edit and a reinstatement write. */
export async function publishedPlacesWithCoordinates(
  deps: Deps,
  app: ApplicationItem,
  places: ResolvedPlace[],
  date: Date,
): Promise<PlaceInput[]> {
  return locatePlaces(deps, app.id, toPublishedPlaces(app, places, date));
}
