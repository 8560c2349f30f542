import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  centreFor,
  communeCentre,
  distanceKm,
  formatDistanceFr,
  isGeoPoint,
} from '../../../shared/domain/commune-centres.js';
import { communesFor } from '../../../shared/usecases/nearest-places.js';

const LIMOGES = { latitude: 45.8336, longitude: 1.2611 };
const PARIS = { latitude: 48.8566, longitude: 2.3522 };

describe('commune centres (packaged data)', () => {
  it('gives the centre of a commune by INSEE code, within a few km of the town hall', () => {
    const c = communeCentre('87085');
    expect(c).not.toBeNull();
    expect(distanceKm(c!, LIMOGES)).toBeLessThan(5);
    // Corsica, overseas, Paris whole and by arrondissement.
    for (const code of ['2A004', '97411', '75056', '75111', '13055', '69123'])
      expect(isGeoPoint(communeCentre(code))).toBe(true);
    expect(communeCentre('00000')).toBeNull();
  });

  it('covers nearly every current commune, and every département', () => {
    const communes = (
      createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as {
        code: string;
        type: string;
        departement?: string;
      }[]
    ).filter((c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal');
    const covered = communes.filter((c) => communeCentre(c.code) !== null);
    expect(covered.length / communes.length).toBeGreaterThan(0.995);
    const departements = new Set(communes.map((c) => c.departement));
    const withCentre = new Set(covered.map((c) => c.departement));
    // Only the Pacific collectivities, the French Southern Lands and Clipperton have none (no postal data in the source).
    expect([...departements].filter((d) => !withCentre.has(d)).sort()).toEqual(['984', '986', '987', '988', '989']);
  });

  it('falls back to a commune of the same postal code when the code itself has no centre', () => {
    // An unknown INSEE code, a known postal code: the centre of a commune of 87000.
    expect(centreFor('99999', '87000')).toEqual(communeCentre('87085'));
    expect(centreFor(undefined, '00000')).toBeNull();
  });
});

describe('distance', () => {
  it('measures the great-circle distance in km', () => {
    expect(distanceKm(PARIS, LIMOGES)).toBeGreaterThan(340);
    expect(distanceKm(PARIS, LIMOGES)).toBeLessThan(352);
    expect(distanceKm(LIMOGES, LIMOGES)).toBe(0);
    // Symmetric, and across the antimeridian it takes the short way.
    expect(distanceKm(LIMOGES, PARIS)).toBeCloseTo(distanceKm(PARIS, LIMOGES), 9);
    expect(distanceKm({ latitude: 0, longitude: 179.9 }, { latitude: 0, longitude: -179.9 })).toBeLessThan(25);
  });

  it('reads as people say it', () => {
    expect(formatDistanceFr(0.04)).toBe('100 m');
    expect(formatDistanceFr(0.83)).toBe('800 m');
    expect(formatDistanceFr(3.24)).toBe('3,2 km');
    expect(formatDistanceFr(27.4)).toBe('27 km');
  });

  it('accepts only WGS84 numbers in range', () => {
    expect(isGeoPoint({ latitude: 45.8, longitude: 1.2 })).toBe(true);
    expect(isGeoPoint({ latitude: '45.8', longitude: 1.2 })).toBe(false);
    expect(isGeoPoint({ latitude: 91, longitude: 1.2 })).toBe(false);
    expect(isGeoPoint({ latitude: Number.NaN, longitude: 1.2 })).toBe(false);
    expect(isGeoPoint(null)).toBe(false);
  });
});

describe('what a person types to search (/carte)', () => {
  it('reads a postal code, a commune, or both', () => {
    expect(communesFor('87000').map((c) => c.nom)).toEqual(['Limoges']);
    expect(communesFor('87 000').map((c) => c.nom)).toEqual(['Limoges']);
    expect(communesFor('limoges').map((c) => c.codeInsee)).toEqual(['87085']);
    expect(communesFor('SAINT JUNIEN').map((c) => c.codePostal)).toEqual(['87200']);
    expect(communesFor('87200 Saint-Junien').map((c) => c.nom)).toEqual(['Saint-Junien']);
    // Several communes share a name: the caller asks which one.
    expect(communesFor('Saint-Martin').length).toBeGreaterThan(1);
    expect(communesFor('Nulle-Part-sur-Rien')).toEqual([]);
    expect(communesFor('x')).toEqual([]);
  });
});
