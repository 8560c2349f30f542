import { describe, expect, it } from 'vitest';
import { normaliseHours } from '../../../shared/usecases/places-edit.js';

describe('normaliseHours (PUT /api/applications/:id/places)', () => {
  it('keeps OSM hours, reads everyday French into OSM, leaves places without hours alone', () => {
    // Prepare
    const lieux = [
      { nom: 'A', horaires: 'Mo-Fr 09:00-12:00' },
      { nom: 'B', horaires: 'du lundi au vendredi de 9h à 12h et de 14h à 17h30' },
      { nom: 'C' },
    ];
    // Act
    const { lieux: out, issues } = normaliseHours(lieux);
    // Assess
    expect(issues).toEqual([]);
    expect(out).toEqual([
      { nom: 'A', horaires: 'Mo-Fr 09:00-12:00' },
      { nom: 'B', horaires: 'Mo-Fr 09:00-12:00,14:00-17:30' },
      { nom: 'C' },
    ]);
  });

  it('refuses what neither reads, with a French message on the place’s field', () => {
    const { issues } = normaliseHours([{ nom: 'A', horaires: 'Mo-Fr 09:00-12:00' }, { horaires: 'quand on peut' }]);
    expect(issues).toEqual([{ path: 'lieux.1.horaires', message: expect.stringMatching(/^Horaires non compris/) }]);
  });
});
