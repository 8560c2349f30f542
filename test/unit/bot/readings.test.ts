// Issue 14: readings that are sure are kept, uncertain ones are said back (readNumber.approx, readMulti.sure), and the
// way back to an application is recognised in free text (looksLikeSignIn).
import { describe, expect, it } from 'vitest';
import { looksLikeSignIn, readMulti, readNumber } from '../../../bot/answers.js';
import { PRISE_EN_CHARGE_OPTIONS } from '../../../bot/fields/options.js';

describe('readNumber', () => {
  it('keeps exact numbers exact and marks approximate ones', () => {
    expect(readNumber('25', { integer: false })).toEqual({ value: 25, approx: false });
    expect(readNumber('25 heures', { integer: false })).toEqual({ value: 25, approx: false });
    expect(readNumber('environ 25h', { integer: false })).toEqual({ value: 25, approx: true });
    expect(readNumber('25h à peu près', { integer: false })).toEqual({ value: 25, approx: true });
    expect(readNumber('~ 12,5 h', { integer: false })).toEqual({ value: 12.5, approx: true });
    expect(readNumber('une vingtaine', { integer: true })).toEqual({ value: 20, approx: true });
    expect(readNumber('une trentaine d’heures', { integer: false })).toEqual({ value: 30, approx: true });
  });

  it('reads nothing from what is not a number', () => {
    expect(readNumber('beaucoup', { integer: true })).toBeNull();
    expect(readNumber('environ beaucoup', { integer: true })).toBeNull();
    expect(readNumber('environ 2,5', { integer: true })).toBeNull();
    expect(readNumber('entre 20 et 25', { integer: true })).toBeNull();
  });
});

describe('readMulti', () => {
  const values = (t: string) => readMulti(t, PRISE_EN_CHARGE_OPTIONS);
  it('keeps every option of a list, before matching the whole text', () => {
    expect(values('moteur et illettrisme')).toEqual({ values: ['Handicaps moteurs', 'Illettrisme'], sure: true });
    expect(values('1, 4')).toEqual({ values: ['Surdité', 'Illettrisme'], sure: true });
    expect(values('Illettrisme')).toEqual({ values: ['Illettrisme'], sure: true });
  });

  it('marks option words found inside a sentence as unsure', () => {
    const r = values('on reçoit surtout des personnes en situation de surdité ou qui ont un handicap moteur, je crois');
    expect(r?.sure).toBe(false);
    expect(r?.values).toEqual(['Surdité', 'Handicaps moteurs']);
    expect(values('bof')).toBeNull();
  });
});

describe('looksLikeSignIn', () => {
  it('recognises the way back to an application, not ordinary answers', () => {
    expect(looksLikeSignIn('j’ai déjà fait ma demande hier, comment je la retrouve ?')).toBe(true);
    expect(looksLikeSignIn('comment retrouver mon dossier')).toBe(true);
    expect(looksLikeSignIn('Clic Solidaire')).toBe(false);
    expect(looksLikeSignIn('12 rue de la Demande')).toBe(false);
  });
});
