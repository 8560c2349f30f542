// OSM opening_hours checks (npm opening_hours). Parsing is slow (ms), so results are memoised (bounded).
// On Lambda, `opening_hours` is a France-only build of the same library in a layer (esbuild alias, infra/bundling.ts):
// it only knows the French holidays, which is all this module asks for (country `fr` below). Keep it that way, or
// drop the alias.
import OpeningHours from 'opening_hours';

export type OpeningHoursCheck = { ok: true; weeklyHours: number } | { ok: false; message: string };

// Public holidays (PH) and school holidays (SH) need a country/state; mainland France is a neutral default that only
// matters for the syntax check (weekly hours are counted over a fixed week without holidays).
const NOMINATIM = { lat: 48.8566, lon: 2.3522, address: { country_code: 'fr', state: 'Île-de-France' } };
// A fixed reference week (Monday 8 – Monday 15 January 2024: no holiday, no DST change). No clock involved.
const WEEK_FROM = new Date(2024, 0, 8);
const WEEK_TO = new Date(2024, 0, 15);

const cache = new Map<string, OpeningHoursCheck>();
const CACHE_MAX = 5_000;

function uncached(text: string): OpeningHoursCheck {
  try {
    const oh = new OpeningHours(text, NOMINATIM as ConstructorParameters<typeof OpeningHours>[1], 0);
    let ms = 0;
    for (const [from, to] of oh.getOpenIntervals(WEEK_FROM, WEEK_TO)) ms += to.getTime() - from.getTime();
    return { ok: true, weeklyHours: Math.round((ms / 3_600_000) * 100) / 100 };
  } catch {
    return {
      ok: false,
      message: 'Horaires non reconnus au format OpenStreetMap (exemple : « Mo-Fr 09:00-12:00,14:00-18:00 »).',
    };
  }
}

/** Parses an OSM opening_hours value; on success gives the hours open over a typical week. */
export function checkOpeningHours(text: string): OpeningHoursCheck {
  const hit = cache.get(text);
  if (hit) return hit;
  const r = uncached(text);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(text, r);
  return r;
}
