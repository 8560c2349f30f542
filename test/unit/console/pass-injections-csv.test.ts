import { describe, expect, it } from 'vitest';
import {
  decodeCsv,
  detectDelimiter,
  frenchDate,
  frenchNumber,
  importedInjectionId,
} from '../../../shared/usecases/console/pass-injections-csv.js';

describe('pass injection CSV: what spreadsheets write', () => {
  it('decodes UTF-8, else Windows-1252; refuses text whose bytes were already lost', () => {
    expect(decodeCsv(Buffer.from('Guéret', 'utf8'), '')).toEqual({ ok: true, text: 'Guéret', encoding: 'utf-8' });
    expect(decodeCsv(Buffer.from('Guéret €', 'latin1'), '')).toMatchObject({ ok: true, encoding: 'windows-1252' });
    expect(decodeCsv(Uint8Array.from([0x47, 0x75, 0xe9, 0x80]), '')).toMatchObject({ text: 'Gué€' });
    expect(decodeCsv(undefined, 'Gu\uFFFDret')).toMatchObject({ ok: false, message: /CSV UTF-8/ });
  });

  it('detects « ; », « , » or a tab from the header', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a')).toBe(',');
  });

  it('reads French numbers and dates, and keeps what is not one for the schema to refuse', () => {
    expect(frenchNumber('1 500')).toBe(1500);
    expect(frenchNumber('10,00 €')).toBe(10);
    expect(frenchNumber('-3')).toBe(-3);
    expect(frenchNumber('beaucoup')).toBe('beaucoup');
    expect(frenchDate('1/2/2025')).toBe('2025-02-01');
    expect(frenchDate('2025-02-01')).toBe('2025-02-01');
  });

  it('gives a row a deterministic id, which the reference column changes', () => {
    const row = {
      financeur: 'CCAS',
      financeurType: 'ccas',
      territoire: { niveau: 'commune', code: '23096' },
      passes: 50,
      valeurFaciale: 10,
      date: '2025-01-01',
      finValidite: '2025-12-31',
      reference: '',
    };
    expect(importedInjectionId(row)).toBe(importedInjectionId({ ...row, financeur: ' ccas ' }));
    expect(importedInjectionId(row)).not.toBe(importedInjectionId({ ...row, reference: 'BC-2' }));
  });
});
