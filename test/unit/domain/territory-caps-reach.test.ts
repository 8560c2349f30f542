import { describe, expect, it } from 'vitest';
import { distanceKm, type GeoPoint } from '../../../shared/domain/commune-centres.js';
import { epciMembers, epciOfCommune } from '../../../shared/domain/geography.js';
import { PlaceGrid, pointOf, reachShare, spreadOverCommunes } from '../../../shared/domain/reach.js';
import { valueInjected12m, volumeCap } from '../../../shared/domain/territory.js';

// The volume cap and reach of the handbook's territory.md on small worked examples (ratio target 15,000 €).
const now = new Date('2025-06-15T10:00:00Z');
const inj = (date: string, passes: number, valeurFaciale = 10) => ({ date, passes, valeurFaciale });
const cap = (over: Partial<Parameters<typeof volumeCap>[0]>) =>
  volumeCap({ configured: undefined, derivedCaps: true, passes12m: 0, value12m: 0, ratioTargetEur: 15_000, ...over });

describe('volume cap derived from passes (territory.md)', () => {
  it('is the number of sustainable actors where passes were injected: 6,000 passes = 60,000 € = 4 actors', () => {
    const { passes, value } = valueInjected12m([inj('2025-02-01', 6_000), inj('2024-01-01', 9_000)], now);
    expect({ passes, value }).toEqual({ passes: 6_000, value: 60_000 });
    expect(cap({ passes12m: passes, value12m: value })).toEqual({ cap: 4, source: 'passes' });
  });

  it('is at least one where passes landed (100 passes: 0 sustainable, but the passes need a place)', () => {
    expect(cap({ passes12m: 100, value12m: 1_000 })).toEqual({ cap: 1, source: 'passes' });
  });

  it('an admin’s cap wins; no passes or derived caps off: no cap', () => {
    expect(cap({ configured: 7, passes12m: 6_000, value12m: 60_000 })).toEqual({ cap: 7, source: 'configured' });
    expect(cap({ configured: 0, derivedCaps: false })).toEqual({ cap: 0, source: 'configured' });
    expect(cap({})).toBeNull();
    expect(cap({ derivedCaps: false, passes12m: 6_000, value12m: 60_000 })).toBeNull();
  });
});

describe('reach (territory.md): share of passes whose commune has a qualified place within the radius', () => {
  // Limoges, Saint-Junien (≈ 27 km west) and Bellac (≈ 36 km north), rounded centres.
  const centres: Record<string, GeoPoint> = {
    '87085': { latitude: 45.835, longitude: 1.262 },
    '87154': { latitude: 45.888, longitude: 0.901 },
    '87011': { latitude: 46.122, longitude: 1.049 },
  };
  const centreOf = (code: string) => centres[code] ?? null;

  it('measures distances on the sphere', () => {
    expect(distanceKm(centres['87085']!, centres['87154']!)).toBeGreaterThan(25);
    expect(distanceKm(centres['87085']!, centres['87154']!)).toBeLessThan(30);
  });

  it('600 passes in Limoges reached by a place in town, 400 in Saint-Junien not within 15 km → 0.6', () => {
    const grid = new PlaceGrid([{ latitude: 45.83, longitude: 1.25 }], 15);
    const passes = new Map([
      ['87085', 600],
      ['87154', 400],
    ]);
    expect(reachShare(passes, grid, centreOf)).toBe(0.6);
    // Within 30 km, Saint-Junien is reached too.
    expect(reachShare(passes, new PlaceGrid([{ latitude: 45.83, longitude: 1.25 }], 30), centreOf)).toBe(1);
  });

  it('passes of a commune without known centre are left out; none known → null (unknown, not 0)', () => {
    const grid = new PlaceGrid([], 15);
    expect(reachShare(new Map([['99999', 10]]), grid, centreOf)).toBeNull();
    expect(
      reachShare(
        new Map([
          ['87085', 10],
          ['99999', 90],
        ]),
        grid,
        centreOf,
      ),
    ).toBe(0);
  });

  it('the grid finds a place across cell borders and never beyond the radius', () => {
    const grid = new PlaceGrid([centres['87011']!], 15);
    expect(grid.hasPlaceNear({ latitude: 46.122 + 0.12, longitude: 1.049 })).toBe(true); // ≈ 13 km north
    expect(grid.hasPlaceNear({ latitude: 46.122 + 0.15, longitude: 1.049 })).toBe(false); // ≈ 17 km
    expect(grid.hasPlaceNear({ latitude: 46.122, longitude: 1.049 - 0.19 })).toBe(true); // ≈ 14.6 km west
  });

  it('a place’s own coordinates are read from its row when valid', () => {
    expect(pointOf({ latitude: 45.8, longitude: '1.26' })).toEqual({ latitude: 45.8, longitude: 1.26 });
    expect(pointOf({ latitude: 'x', longitude: 1 })).toBeNull();
    expect(pointOf({ latitude: 95, longitude: 1 })).toBeNull();
    expect(pointOf({})).toBeNull();
  });

  it('spreads an EPCI’s or a département’s passes over its communes by population; a commune’s stay there', () => {
    expect(spreadOverCommunes({ niveau: 'commune', code: '87085' }, '87', 50)).toEqual(new Map([['87085', 50]]));
    // Limoges Métropole: Limoges holds most of its people, hence most of its passes.
    const lm = epciOfCommune('87085') as string;
    const spread = spreadOverCommunes({ niveau: 'epci', code: lm }, '87', 1_000);
    expect(spread.size).toBe(epciMembers(lm).length);
    expect([...spread.values()].reduce((s, n) => s + n, 0)).toBeCloseTo(1_000, 6);
    expect(spread.get('87085')).toBeGreaterThan(500);
    const dep = spreadOverCommunes({ niveau: 'departement', code: '87' }, '87', 1_000);
    expect(dep.size).toBeGreaterThan(150);
    expect([...dep.values()].reduce((s, n) => s + n, 0)).toBeCloseTo(1_000, 6);
  });

  it('an arrondissement answers for its commune’s EPCI', () => {
    expect(epciOfCommune('75111')).toBe(epciOfCommune('75056'));
    expect(epciOfCommune('75056')).not.toBeNull();
  });
});
