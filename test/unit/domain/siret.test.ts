import { describe, expect, it } from 'vitest';
import { luhnValid, normaliseSiret, SIRET_MESSAGES, validateSiret } from '../../../shared/domain/siret.js';
import { completeSiret, siretFor } from '../../helpers/fixtures.js';

describe('SIRET', () => {
  it.each([
    ['73282932000074', '73282932000074'],
    ['35600000000048', '35600000000048'],
    ['35600000049837', '35600000049837'],
    ['43493312300029', '43493312300029'],
    ['732 829 320 00074', '73282932000074'],
    ['732.829.320.00074', '73282932000074'],
    ['732-829-320-00074', '73282932000074'],
    ['732\u00A0829\u00A0320\u202F00074', '73282932000074'],
  ])('%s is valid → %s', (input, siret) => {
    expect(validateSiret(input)).toEqual({ ok: true, siret });
  });

  it('35600000049837 passes only through the La Poste rule', () => {
    expect(luhnValid('35600000049837')).toBe(false);
    expect(validateSiret('35600000049837').ok).toBe(true);
  });

  it('rejects a wrong checksum with a French message', () => {
    expect(validateSiret('12345678901234')).toEqual({ ok: false, code: 'checksum', message: SIRET_MESSAGES.checksum });
    // the La Poste rule applies only to SIREN 356000000
    expect(validateSiret('73282932000075').ok).toBe(false);
  });

  it('recognises a SIREN (9 digits) and asks for the SIRET', () => {
    const r = validateSiret('732 829 320');
    expect(r).toMatchObject({ ok: false, code: 'siren' });
    if (!r.ok) expect(r.message).toContain("c'est un numéro SIREN (9 chiffres)".replace('c', 'C'));
  });

  it.each(['', '7328293200007', '732829320000745', 'ABCDEFGHIJKLMN', '7328293200007a'])('format error for %j', (v) => {
    expect(validateSiret(v)).toMatchObject({ ok: false, code: 'format' });
  });

  // Issue 12 (6): 00000000000000 passed the Luhn check, so anyone could claim it. A SIREN of zeros is not allocated
  // by INSEE; every other all-same-digit number already fails Luhn (checked here so that it stays so).
  it.each(['00000000000000', '000 000 000 00000', '00000000012343', '000000000'])('refuses the impossible %j', (v) => {
    expect(validateSiret(v)).toEqual({ ok: false, code: 'impossible', message: SIRET_MESSAGES.impossible });
  });

  it('refuses every all-same-digit SIRET', () => {
    for (let d = 0; d <= 9; d++) expect(validateSiret(String(d).repeat(14)).ok, String(d)).toBe(false);
    expect(SIRET_MESSAGES.impossible).toMatch(/^Ce numéro SIRET n'existe pas/);
  });

  it('normalises separators', () => {
    expect(normaliseSiret(' 732 829.320-00074 ')).toBe('73282932000074');
  });

  it('the test helper completes 13 digits into SIRETs the product accepts', () => {
    expect(completeSiret('7328293200007')).toBe('73282932000074');
    for (let n = 0; n < 50; n++) expect(validateSiret(siretFor(n)), siretFor(n)).toMatchObject({ ok: true });
    expect(() => completeSiret('732829320')).toThrow(/13 digits/);
  });
});
