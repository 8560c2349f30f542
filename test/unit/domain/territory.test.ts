import { describe, expect, it } from 'vitest';
import {
  resolveTerritory,
  splitPasses,
  type TerritoryInput,
  territoryFigures,
  windowStart,
} from '../../../shared/domain/territory.js';

// The figures of the handbook's territory.md on small worked examples (ratio target 15,000 €, face value 10 €).
const now = new Date('2025-06-15T10:00:00Z');
const params = { ratioTargetEur: 15_000, now };
const base: TerritoryInput = { injections: [], qualifiedActors: 0, inProgress: 0, waitlisted: 0, reach: null };
const inj = (date: string, passes: number, valeurFaciale = 10) => ({ date, passes, valeurFaciale });

describe('territory figures (territory.md)', () => {
  it('sums the last 12 months at face value; older and future-dated injections do not count', () => {
    // Prepare: 3,000 passes this year, 1,000 of them at 5 €; one injection 13 months old; one dated next month.
    const input = {
      ...base,
      injections: [
        inj('2025-01-10', 2_000),
        inj('2024-06-16', 1_000, 5),
        inj('2024-05-01', 9_000),
        inj('2025-07-01', 500),
      ],
    };
    // Act
    const f = territoryFigures(input, params);
    // Assess
    expect(windowStart(now)).toBe('2024-06-16');
    expect(f).toMatchObject({ passesInjected12m: 3_000, valueInjected12m: 25_000 });
  });

  it('sustainable actors = floor(value per year ÷ ratio target)', () => {
    expect(territoryFigures({ ...base, injections: [inj('2025-03-01', 4_500)] }, params).sustainableActors).toBe(3);
    expect(territoryFigures({ ...base, injections: [inj('2025-03-01', 1_499)] }, params).sustainableActors).toBe(0);
    // The ratio target is configuration: at 25,000 € the same 45,000 € sustain one actor.
    expect(
      territoryFigures({ ...base, injections: [inj('2025-03-01', 4_500)] }, { ...params, ratioTargetEur: 25_000 })
        .sustainableActors,
    ).toBe(1);
  });

  it('to stimulate: 60,000 € injected (4 sustainable), 1 qualified actor earning 60,000 € a year', () => {
    const f = territoryFigures({ ...base, injections: [inj('2025-02-01', 6_000)], qualifiedActors: 1 }, params);
    expect(f).toMatchObject({
      sustainableActors: 4,
      qualifiedActors: 1,
      revenuePerActor: 60_000,
      status: 'to_stimulate',
    });
  });

  it('balanced: as many qualified actors as sustainable (revenue per actor at the target)', () => {
    const f = territoryFigures({ ...base, injections: [inj('2025-02-01', 6_000)], qualifiedActors: 4 }, params);
    expect(f).toMatchObject({ sustainableActors: 4, revenuePerActor: 15_000, status: 'balanced' });
  });

  it('saturated: more qualified actors than sustainable (revenue per actor below the target)', () => {
    const f = territoryFigures({ ...base, injections: [inj('2025-02-01', 6_000)], qualifiedActors: 6 }, params);
    expect(f).toMatchObject({ sustainableActors: 4, revenuePerActor: 10_000, status: 'saturated' });
  });

  it('no passes: nothing injected in 12 months, whatever the actors', () => {
    const f = territoryFigures({ ...base, qualifiedActors: 3, inProgress: 2, waitlisted: 1 }, params);
    expect(f).toMatchObject({
      passesInjected12m: 0,
      sustainableActors: 0,
      status: 'no_passes',
      inProgress: 2,
      waitlisted: 1,
    });
  });

  it('to stimulate when passes land and no qualified actor is within reach, even below one sustainable actor', () => {
    // 1,000 € injected, nobody to take them: the passes need a place.
    expect(territoryFigures({ ...base, injections: [inj('2025-02-01', 100)] }, params).status).toBe('to_stimulate');
    // Balanced by count, but a known reach of 0: no pass holder has a place within the radius.
    expect(
      territoryFigures({ ...base, injections: [inj('2025-02-01', 1_500)], qualifiedActors: 1, reach: 0 }, params)
        .status,
    ).toBe('to_stimulate');
  });

  it('revenue per actor is null without qualified actors', () => {
    expect(territoryFigures({ ...base, injections: [inj('2025-02-01', 100)] }, params).revenuePerActor).toBeNull();
  });
});

describe('territory codes and roll-up to départements', () => {
  it('resolves a département, a commune (INSEE code) and an EPCI (SIREN) against the official geography', () => {
    expect(resolveTerritory('departement', '87')).toMatchObject({ ok: true, nom: 'Haute-Vienne' });
    expect(resolveTerritory('departement', '2a')).toMatchObject({ ok: true, departements: [{ code: '2A' }] });
    expect(resolveTerritory('commune', '87085')).toMatchObject({
      ok: true,
      nom: 'Limoges',
      departements: [{ code: '87' }],
    });
    expect(resolveTerritory('commune', '97411')).toMatchObject({ ok: true, departements: [{ code: '974' }] });
    expect(resolveTerritory('epci', '248719312')).toMatchObject({ ok: true, departements: [{ code: '87' }] });
  });

  it('an EPCI across a border rolls up to each of its départements', () => {
    // CA Beaune, Côte et Sud: communes in Côte-d'Or (21) and Saône-et-Loire (71).
    const r = resolveTerritory('epci', '200006682');
    expect(r.ok && r.departements.map((d) => d.code)).toEqual(['21', '71']);
  });

  it('refuses unknown codes with a French reason', () => {
    expect(resolveTerritory('departement', '96')).toMatchObject({ ok: false, message: /Département inconnu/ });
    expect(resolveTerritory('commune', '87999')).toMatchObject({ ok: false, message: /Commune inconnue/ });
    expect(resolveTerritory('epci', '123456789')).toMatchObject({ ok: false, message: /EPCI inconnu/ });
    expect(resolveTerritory('epci', 'abc')).toMatchObject({ ok: false });
  });

  it('splits passes by weight in whole passes, summing exactly to the total', () => {
    expect(
      splitPasses(10, [
        { code: '21', weight: 2 },
        { code: '71', weight: 1 },
      ]),
    ).toEqual([
      { code: '21', passes: 7 },
      { code: '71', passes: 3 },
    ]);
    expect(
      splitPasses(1, [
        { code: 'a', weight: 1 },
        { code: 'b', weight: 1 },
      ]),
    ).toEqual([
      { code: 'a', passes: 1 },
      { code: 'b', passes: 0 },
    ]);
    const parts = splitPasses(1_001, [
      { code: 'a', weight: 3 },
      { code: 'b', weight: 3 },
      { code: 'c', weight: 7 },
    ]);
    expect(parts.reduce((s, p) => s + p.passes, 0)).toBe(1_001);
    expect(splitPasses(5, [{ code: '87', weight: 1 }])).toEqual([{ code: '87', passes: 5 }]);
  });
});
