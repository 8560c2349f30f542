import { centreFor, distanceKm, type GeoPoint, isGeoPoint } from '../domain/commune-centres.js';
import { type Commune, communesForPostalCode, communesNamed, normalisePostalCode } from '../domain/geography.js';
import { osmToFrench } from '../domain/hours-fr.js';
import { listOpenDataRows, type OpenDataRow } from './console/open-data.js';
import type { Deps } from './ports.js';

/**
 * The map's list (GET /api/lieux/proches, docs/places-geo.md): the published places as people read them — hours in
 * plain French, a link to an itinerary on openstreetmap.org — and, when a pass holder or a distributor types a commune
 * or a postal code, the nearest first with their distance. The origin is the commune's centre (packaged data): no
 * address of a person is asked for, nothing is sent elsewhere.
 */
export interface MapPlace extends OpenDataRow {
  /** The OSM hours in words (« du lundi au vendredi de 9 h à 12 h »); absent when the place gave none. */
  horaires_texte: string;
  /** openstreetmap.org directions to the place (from the searched commune when there is one). */
  itineraire: string;
}
export interface NearPlace extends MapPlace {
  distance_km: number;
}

export type NearestResult =
  | { kind: 'all'; lieux: MapPlace[] }
  | { kind: 'near'; origine: { libelle: string } & GeoPoint; lieux: NearPlace[]; sansPosition: number }
  | { kind: 'ambiguous'; choix: { libelle: string; q: string }[] }
  | { kind: 'unknown' };

const OSM_DIRECTIONS = 'https://www.openstreetmap.org/directions';

/** openstreetmap.org's own directions page; the start is left blank for the visitor to fill when unknown. */
export function itineraryUrl(to: GeoPoint, from?: GeoPoint): string {
  const pt = (p: GeoPoint) => `${p.latitude},${p.longitude}`;
  return `${OSM_DIRECTIONS}?route=${encodeURIComponent(`${from ? pt(from) : ''};${pt(to)}`)}#map=14/${pt(to).replace(',', '/')}`;
}

/** Many places share the same hours: each distinct value is put into words once per process (bounded). */
const WORDS = new Map<string, string>();
function hoursInWords(osm: string): string {
  let w = WORDS.get(osm);
  if (w === undefined) {
    w = osmToFrench(osm);
    if (WORDS.size > 5000) WORDS.clear();
    WORDS.set(osm, w);
  }
  return w;
}

function forPeople(row: OpenDataRow, from?: GeoPoint): MapPlace {
  const at = { latitude: Number(row.latitude), longitude: Number(row.longitude) };
  const hours = typeof row.horaires === 'string' && row.horaires ? hoursInWords(row.horaires) : '';
  const address = `${row.adresse ?? ''}, ${row.code_postal ?? ''} ${row.commune ?? ''}`;
  return {
    ...row,
    horaires_texte: hours,
    itineraire: isGeoPoint(at)
      ? itineraryUrl(at, from)
      : `https://www.openstreetmap.org/search?query=${encodeURIComponent(address)}`,
  };
}

const label = (c: Commune) => `${c.nom} (${c.codePostal})`;

/** A commune (or a postal code) typed by a person → the commune(s) it names. */
export function communesFor(q: string): Commune[] {
  const text = q.trim();
  const cpMatch = /\b(\d{2})\s?(\d{3})\b/.exec(text);
  const cp = cpMatch ? normalisePostalCode(`${cpMatch[1]}${cpMatch[2]}`) : '';
  const name = (cpMatch ? text.replace(cpMatch[0], ' ') : text).replace(/[(),]/g, ' ').trim();
  if (cp) {
    const inCp = communesForPostalCode(cp);
    if (!name) return inCp;
    const named = communesNamed(name).filter((c) => inCp.some((i) => i.codeInsee === c.codeInsee));
    return named.length ? named.map((c) => ({ ...c, codePostal: cp })) : inCp;
  }
  return name.length >= 2 ? communesNamed(name) : [];
}

export async function nearestPlaces(deps: Deps, q: string | undefined): Promise<NearestResult> {
  if (!q || q.trim() === '') {
    const rows = await listOpenDataRows(deps);
    return { kind: 'all', lieux: rows.map((r) => forPeople(r)) };
  }
  const communes = communesFor(q);
  if (communes.length === 0) return { kind: 'unknown' };
  // One postal code for several communes (87160: 5 communes): their mean centre, close enough to rank places.
  const sameCp = communes.every((c) => c.codePostal === communes[0]!.codePostal);
  if (!sameCp) {
    return {
      kind: 'ambiguous',
      choix: communes.slice(0, 12).map((c) => ({ libelle: label(c), q: `${c.codePostal} ${c.nom}` })),
    };
  }
  const centres = communes.map((c) => centreFor(c.codeInsee, c.codePostal)).filter((p) => p !== null);
  if (centres.length === 0) return { kind: 'unknown' };
  const origin = {
    latitude: centres.reduce((s, p) => s + p.latitude, 0) / centres.length,
    longitude: centres.reduce((s, p) => s + p.longitude, 0) / centres.length,
  };
  const names = communes.map((c) => c.nom);
  const libelle =
    communes.length === 1
      ? label(communes[0]!)
      : `${communes[0]!.codePostal} (${names.slice(0, 3).join(', ')}${names.length > 3 ? '…' : ''})`;
  const [rows, config] = await Promise.all([listOpenDataRows(deps), deps.config()]);
  const near: { row: OpenDataRow; km: number }[] = [];
  let sansPosition = 0;
  for (const r of rows) {
    const at = { latitude: r.latitude, longitude: r.longitude };
    if (!isGeoPoint(at)) {
      sansPosition++;
      continue;
    }
    near.push({ row: r, km: Math.round(distanceKm(origin, at) * 10) / 10 });
  }
  near.sort((a, b) => a.km - b.km || String(a.row.nom).localeCompare(String(b.row.nom), 'fr'));
  // Only the places returned are dressed for people (hours in words, itinerary).
  return {
    kind: 'near',
    origine: { libelle, latitude: origin.latitude, longitude: origin.longitude },
    lieux: near
      .slice(0, config.geocoding.nearestLimit)
      .map((n) => ({ ...forPeople(n.row, origin), distance_km: n.km })),
    sansPosition,
  };
}
