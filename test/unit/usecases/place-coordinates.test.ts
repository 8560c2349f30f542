import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../shared/config/config.js';
import { communeCentre, distanceKm } from '../../../shared/domain/commune-centres.js';
import type { PlaceInput, PlaceItem } from '../../../shared/store/store.js';
import { nearestPlaces } from '../../../shared/usecases/nearest-places.js';
import { locatePlaces, withCentreIfMissing } from '../../../shared/usecases/place-coordinates.js';
import type { Deps, GeocodeHit, GeocodeQuery, Geocoder } from '../../../shared/usecases/ports.js';

/** Geocoding fallback order (docs/places-geo.md): pin → earlier address → address API → commune centre. */
const row = (n: number, extra: Record<string, unknown> = {}): PlaceInput => ({
  departement: '87',
  place: {
    id: `app-${n}`,
    nom: `Lieu ${n}`,
    adresse: `${n} rue Jean Jaurès`,
    code_postal: '87000',
    commune: 'Limoges',
    code_insee: '87085',
    ...extra,
  },
});

function fakeGeocoder(answer: (q: GeocodeQuery) => GeocodeHit | null): Geocoder & { calls: GeocodeQuery[] } {
  const calls: GeocodeQuery[] = [];
  return {
    calls,
    async geocode(q) {
      calls.push(q);
      return answer(q);
    },
  };
}

function deps(options: { geocoder?: Geocoder; before?: PlaceItem[]; list?: PlaceItem[] } = {}): Deps {
  return {
    config: async () => DEFAULT_CONFIG,
    geocoder: options.geocoder,
    store: {
      places: {
        listFor: async () => options.before ?? [],
        list: async () => options.list ?? [],
      },
    },
  } as unknown as Deps;
}

const HIT: GeocodeHit = { latitude: 45.8291, longitude: 1.2577, score: 0.91, precision: 'address' };

describe('locatePlaces', () => {
  it('keeps a confirmed pin and does not geocode it', async () => {
    const g = fakeGeocoder(() => HIT);
    const pinned: PlaceInput = { ...row(1, { latitude: 45.1, longitude: 1.1 }), precision: 'pin' };
    const [out] = await locatePlaces(deps({ geocoder: g }), 'app', [pinned]);
    expect(out).toEqual(pinned);
    expect(g.calls).toEqual([]);
  });

  it('uses the address API when it answers with a trusted address', async () => {
    const g = fakeGeocoder(() => HIT);
    const [out] = await locatePlaces(deps({ geocoder: g }), 'app', [row(1)]);
    expect(out?.precision).toBe('address');
    expect(out?.place).toMatchObject({ latitude: 45.8291, longitude: 1.2577 });
    expect(g.calls[0]).toEqual({
      adresse: '1 rue Jean Jaurès',
      codePostal: '87000',
      commune: 'Limoges',
      codeInsee: '87085',
    });
  });

  it('falls back to the commune centre when the API fails, is unsure, or found only the town', async () => {
    const centre = communeCentre('87085')!;
    for (const answer of [null, { ...HIT, score: 0.2 }, { ...HIT, precision: 'commune' as const }]) {
      const [out] = await locatePlaces(deps({ geocoder: fakeGeocoder(() => answer) }), 'app', [row(1)]);
      expect(out?.precision).toBe('commune');
      expect(out?.place).toMatchObject(centre);
    }
  });

  it('takes the commune centre on one machine (no geocoder)', async () => {
    const [out] = await locatePlaces(deps(), 'app', [row(1)]);
    expect(out?.precision).toBe('commune');
    expect(distanceKm(out!.place as never, { latitude: 45.8336, longitude: 1.2611 })).toBeLessThan(5);
  });

  it('reuses the coordinates published before for an unchanged address, geocodes a changed one', async () => {
    const g = fakeGeocoder(() => HIT);
    const before: PlaceItem[] = [
      {
        applicationId: 'app',
        n: 0,
        departement: '87',
        publishedAt: '2026-01-01T00:00:00.000Z',
        precision: 'address',
        place: { ...row(1).place, latitude: 45.5, longitude: 1.5 },
      },
    ];
    const out = await locatePlaces(deps({ geocoder: g, before }), 'app', [row(1), row(2)]);
    expect(out[0]?.place).toMatchObject({ latitude: 45.5, longitude: 1.5 });
    expect(out[0]?.precision).toBe('address');
    expect(g.calls.map((c) => c.adresse)).toEqual(['2 rue Jean Jaurès']);
  });

  it('publishes a place whose commune has no centre without coordinates (still listed)', async () => {
    const [out] = await locatePlaces(deps(), 'app', [row(1, { code_insee: '99999', code_postal: '00000' })]);
    expect(out?.precision).toBeUndefined();
    expect(out?.place.latitude).toBeUndefined();
  });

  it('gives a place published before coordinates existed its commune centre when read', () => {
    expect(withCentreIfMissing(row(1).place)).toMatchObject(communeCentre('87085')!);
    const placed = { ...row(1).place, latitude: 45, longitude: 1 };
    expect(withCentreIfMissing(placed)).toBe(placed);
  });
});

describe('nearestPlaces', () => {
  const item = (n: number, commune: string, cp: string, insee: string, horaires?: string): PlaceItem => ({
    applicationId: `a${n}`,
    n: 0,
    departement: insee.slice(0, 2),
    publishedAt: '2026-01-01T00:00:00.000Z',
    place: {
      id: `a${n}-1`,
      nom: `Lieu ${n}`,
      adresse: 'place',
      code_postal: cp,
      commune,
      code_insee: insee,
      ...(horaires ? { horaires } : {}),
    },
  });
  const list = [
    item(1, 'Guéret', '23000', '23096', 'Mo-Fr 09:00-12:00,14:00-17:30'),
    item(2, 'Limoges', '87000', '87085'),
    item(3, 'Saint-Junien', '87200', '87154'),
    item(4, 'Paris', '75011', '75111'),
  ];

  it('puts the nearest first, with distance, hours in French and an OSM itinerary', async () => {
    const r = await nearestPlaces(deps({ list }), '87000');
    if (r.kind !== 'near') throw new Error(r.kind);
    expect(r.origine.libelle).toBe('Limoges (87000)');
    expect(r.lieux.map((l) => l.commune)).toEqual(['Limoges', 'Saint-Junien', 'Guéret', 'Paris']);
    expect(r.lieux[0]!.distance_km).toBe(0);
    expect(r.lieux[1]!.distance_km).toBeGreaterThan(20);
    expect(r.lieux[1]!.distance_km).toBeLessThan(35);
    expect(r.lieux[2]!.horaires_texte).toBe('du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30');
    expect(r.lieux[2]!.itineraire).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/directions\?route=45\.\d+%2C1\.\d+%3B46\.\d+%2C1\.\d+#map=14\//,
    );
  });

  it('honours the configured limit and asks which commune when a name is shared', async () => {
    const small = {
      ...deps({ list }),
      config: async () => ({ ...DEFAULT_CONFIG, geocoding: { ...DEFAULT_CONFIG.geocoding, nearestLimit: 2 } }),
    } as Deps;
    const r = await nearestPlaces(small, 'Guéret');
    expect(r.kind === 'near' && r.lieux.map((l) => l.commune)).toEqual(['Guéret', 'Limoges']);
    const amb = await nearestPlaces(deps({ list }), 'Saint-Martin');
    expect(amb.kind).toBe('ambiguous');
    expect(amb.kind === 'ambiguous' && amb.choix[0]).toMatchObject({
      libelle: expect.stringMatching(/^Saint-Martin \(\d{5}\)$/),
    });
    expect((await nearestPlaces(deps({ list }), 'Atlantide')).kind).toBe('unknown');
  });

  it('without a search, lists every place for people (hours in words, itinerary without a start)', async () => {
    const r = await nearestPlaces(deps({ list }), '');
    expect(r.kind).toBe('all');
    const gueret = r.kind === 'all' ? r.lieux.find((l) => l.commune === 'Guéret') : undefined;
    expect(gueret?.horaires_texte).toMatch(/^du lundi au vendredi/);
    expect(gueret?.itineraire).toMatch(/route=%3B46\./);
  });
});
