import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, isFormulaLike, toCsvText } from '../../../shared/domain/csv.js';

describe('csvCell: RFC 4180 quoting and formula injection', () => {
  it('prefixes a single quote and quotes every formula-like cell (OWASP)', () => {
    expect(csvCell('=1+1')).toBe(`"'=1+1"`);
    expect(csvCell('+A1')).toBe(`"'+A1"`);
    expect(csvCell('-A1')).toBe(`"'-A1"`);
    expect(csvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvCell('\t=1')).toBe(`"'\t=1"`);
    expect(csvCell('\r=1')).toBe(`"'\r=1"`);
    expect(csvCell('＝1+1')).toBe(`"'＝1+1"`);
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
  });

  it('keeps plain numbers, phone numbers and ordinary text exact', () => {
    expect(csvCell('+33555000000')).toBe('+33555000000');
    expect(csvCell('-1.5')).toBe('-1.5');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('Guéret')).toBe('Guéret');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('Le "Préau", Guéret')).toBe('"Le ""Préau"", Guéret"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(isFormulaLike('+33 5 55')).toBe(true);
  });

  it('a whole file parses back to the neutralised values', () => {
    const text = toCsvText(['a', 'b'], [{ a: '=cmd', b: 3 }, { a: 'x,y' }]);
    expect(parse(text)).toEqual([
      ['a', 'b'],
      ["'=cmd", '3'],
      ['x,y', ''],
    ]);
  });
});
