import { describe, expect, it } from 'vitest';
import { frenchToOsm, osmToFrench } from '../../../shared/domain/hours-fr.js';

describe('opening hours in everyday French → OSM syntax', () => {
  it.each([
    ['du lundi au vendredi de 9h à 12h et de 14h à 17h30', 'Mo-Fr 09:00-12:00,14:00-17:30'],
    ['mardi et jeudi aprem', 'Tu,Th 14:00-18:00'],
    ['Lundi 9h-12h, mercredi 14h-18h', 'Mo 09:00-12:00; We 14:00-18:00'],
    ['du lundi au samedi de 9 h 30 à 18 h', 'Mo-Sa 09:30-18:00'],
    ['9h-12h du lundi au vendredi', 'Mo-Fr 09:00-12:00'],
    ['tous les jours de 10h à 19h', 'Mo-Su 10:00-19:00'],
    ['en semaine le matin', 'Mo-Fr 09:00-12:00'],
    ['Lun-Ven 9h-17h', 'Mo-Fr 09:00-17:00'],
    ['le mercredi de 12h à 14h', 'We 12:00-14:00'],
    ['lundi, mardi, mercredi et vendredi de 9:00 à 17:00', 'Mo-We,Fr 09:00-17:00'],
    [
      'du lundi au vendredi de 9h à 12h et de 14h à 17h30, le samedi de 9h à 12h',
      'Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00',
    ],
  ])('%s → %s', (french, osm) => {
    expect(frenchToOsm(french)).toMatchObject({ ok: true, osm });
  });

  it.each([
    'bof, quand on peut',
    'fermé le dimanche',
    'lundi',
    'de 9h à 12h',
    'mardi de 14h à 12h',
    'mardi de 25h à 26h',
    'le mardi de 14h à midi',
    'mardis-gras 9h-12h',
    '',
  ])('says it does not understand « %s » rather than guessing', (text) => {
    expect(frenchToOsm(text)).toEqual({ ok: false });
  });
});

describe('OSM syntax → plain French', () => {
  it('says days and spans in words', () => {
    expect(osmToFrench('Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00')).toBe(
      'du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30 ; le samedi de 9 h à 12 h',
    );
    expect(osmToFrench('Tu,Th 14:00-18:00')).toBe('le mardi et le jeudi de 14 h à 18 h');
    expect(osmToFrench('24/7')).toBe('tous les jours, 24 h sur 24');
    expect(osmToFrench('Mo-Sa 09:00-18:00; Su off')).toBe('du lundi au samedi de 9 h à 18 h ; fermé le dimanche');
  });

  it('keeps a rule it cannot say as written instead of mistranslating it', () => {
    expect(osmToFrench('Mo 09:00-12:00; PH off')).toBe('le lundi de 9 h à 12 h ; PH off');
    expect(osmToFrench('Jan-Mar Mo 10:00-12:00')).toBe('Jan-Mar Mo 10:00-12:00');
  });

  it('round-trips what it reads', () => {
    const read = frenchToOsm('du lundi au vendredi de 9h à 12h et de 14h à 17h30');
    expect(read.ok && frenchToOsm(read.french)).toMatchObject({ ok: true, osm: 'Mo-Fr 09:00-12:00,14:00-17:30' });
  });
});
