import { describe, expect, it } from 'vitest';
import { buildMatchIndex, communeKey, matchProspect, normaliseName } from '../../../shared/domain/prospect-match.js';

describe('prospect matching: names and communes as people write them', () => {
  it('normalises case, accents, punctuation, articles and saint', () => {
    expect(normaliseName('L’Espace Numérique — Saint-Junien')).toBe('espace numerique st junien');
    expect(normaliseName('MEDIATHEQUE DE LA VILLE')).toBe(normaliseName('Médiathèque de la Ville'));
    expect(normaliseName('Fabrique numérique (La)')).toBe(normaliseName('La Fabrique Numérique'));
    expect(normaliseName('Cœur de Bourg')).toBe('coeur bourg');
    expect(normaliseName('La')).toBe('');
  });

  it('folds Paris, Lyon and Marseille arrondissements into their city', () => {
    expect(communeKey('75111')).toBe('75056');
    expect(communeKey('69383')).toBe('69123');
    expect(communeKey('13207')).toBe('13055');
    expect(communeKey('87085')).toBe('87085');
    expect(communeKey('2a004')).toBe('2A004');
  });

  const index = buildMatchIndex([
    { id: 'app-1', siret: '73282932000074', names: [{ nom: 'Clic Solidaire', codeInsee: '87085' }] },
    { id: 'app-2', siret: null, names: [{ nom: 'La Fabrique Numérique', codeInsee: '75111' }] },
    { id: 'app-3', siret: '35600000000048', names: [{ nom: 'La', codeInsee: '23096' }] },
  ]);

  it('matches by SIRET first, whatever the name', () => {
    expect(matchProspect({ siret: '73282932000074', nom: 'Autre chose', codeInsee: '01001' }, index)).toEqual({
      applicationId: 'app-1',
      by: 'siret',
    });
  });

  it('else by normalised name in the same commune (arrondissements folded)', () => {
    expect(matchProspect({ siret: null, nom: 'FABRIQUE NUMERIQUE', codeInsee: '75056' }, index)).toEqual({
      applicationId: 'app-2',
      by: 'nom_commune',
    });
    expect(matchProspect({ siret: '12345678900000', nom: 'Clic solidaire', codeInsee: '87085' }, index)).toEqual({
      applicationId: 'app-1',
      by: 'nom_commune',
    });
  });

  it('does not match the same name in another commune, nor an empty name', () => {
    expect(matchProspect({ siret: null, nom: 'Clic Solidaire', codeInsee: '23096' }, index)).toBeNull();
    expect(matchProspect({ siret: null, nom: 'Le', codeInsee: '23096' }, index)).toBeNull();
    expect(matchProspect({ siret: null, nom: 'Clic Solidaires', codeInsee: '87085' }, index)).toBeNull();
  });
});
