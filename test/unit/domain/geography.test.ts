import { describe, expect, it } from 'vitest';
import { communesForPostalCode, resolveCommune } from '../../../shared/domain/geography.js';

function ok(cp: string, name: string) {
  const r = resolveCommune(cp, name);
  if (!r.ok) throw new Error(`${cp} ${name}: ${r.message}`);
  return r.commune;
}

describe('geography', () => {
  it('resolves a commune with INSEE code, département and région', () => {
    expect(ok('87280', 'Limoges')).toMatchObject({
      nom: 'Limoges',
      codeInsee: '87085',
      codePostal: '87280',
      departement: '87',
      region: '75',
      departementNom: 'Haute-Vienne',
    });
  });

  it('Corsica: département 2A / 2B from the commune, not the postal code prefix', () => {
    expect(ok('20000', 'Ajaccio')).toMatchObject({ codeInsee: '2A004', departement: '2A', region: '94' });
    expect(ok('20200', 'Bastia')).toMatchObject({ codeInsee: '2B033', departement: '2B', region: '94' });
  });

  it('overseas: 97400 Saint-Denis → 974; 97133 Saint-Barthélemy is the COM 977', () => {
    expect(ok('97400', 'Saint-Denis')).toMatchObject({ codeInsee: '97411', departement: '974', region: '04' });
    expect(ok('97133', 'Saint-Barthélemy')).toMatchObject({ codeInsee: '97701', departement: '977' });
  });

  it('Paris, Lyon, Marseille: the arrondissement, also when the city name is given', () => {
    expect(ok('75011', 'Paris')).toMatchObject({
      nom: 'Paris 11e Arrondissement',
      codeInsee: '75111',
      departement: '75',
      type: 'arrondissement-municipal',
    });
    expect(ok('75011', 'Paris 11e Arrondissement').codeInsee).toBe('75111');
    expect(ok('75116', 'paris').codeInsee).toBe('75116');
    expect(ok('69003', 'Lyon').codeInsee).toBe('69383');
    expect(ok('13001', 'MARSEILLE').codeInsee).toBe('13201');
    expect(communesForPostalCode('75011').map((c) => c.codeInsee)).toEqual(['75111']);
  });

  it('matches names ignoring accents, case, hyphens and "St"', () => {
    expect(ok('42000', 'st etienne').nom).toBe('Saint-Étienne');
    expect(ok('42000', 'SAINT-ÉTIENNE').nom).toBe('Saint-Étienne');
    expect(ok('87280', 'limoge').nom).toBe('Limoges'); // one-letter typo, unique candidate
  });

  it('a postal code shared by several communes lists them as suggestions', () => {
    const list = communesForPostalCode('51300');
    expect(list.length).toBeGreaterThan(10);
    const r = resolveCommune('51300', 'Reims');
    expect(r).toMatchObject({ ok: false, code: 'commune_mismatch' });
    if (!r.ok) {
      expect(r.suggestions).toEqual(list.map((c) => c.nom));
      expect(r.suggestions).toContain('Vitry-le-François');
      expect(r.message).toContain('ne correspond pas au code postal 51300');
    }
    expect(ok('51300', 'Vitry-le-François').codeInsee).toBe('51649');
  });

  it('mismatch with a single commune names it', () => {
    const r = resolveCommune('87280', 'Bordeaux');
    expect(r).toMatchObject({ ok: false, code: 'commune_mismatch', suggestions: ['Limoges'] });
  });

  it('unknown postal code and format errors', () => {
    expect(resolveCommune('99999', 'Limoges')).toMatchObject({ ok: false, code: 'postal_code_unknown' });
    const r = resolveCommune('99999', 'Limoges');
    if (!r.ok) expect(r.suggestions[0]).toMatch(/^Limoges \(87000/);
    expect(resolveCommune('8728', 'Limoges')).toMatchObject({ ok: false, code: 'format' });
    expect(resolveCommune('87280', '  ')).toMatchObject({ ok: false, code: 'format' });
    expect(communesForPostalCode('00000')).toEqual([]);
  });
});
