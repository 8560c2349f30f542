import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FIELD_NAMES } from '../../../shared/domain/national-schema.js';
import { toCsv, toOpenDataRow } from '../../../shared/usecases/console/open-data.js';

describe('open-data rows and CSV', () => {
  it('keeps only the schema fields, in order', () => {
    const row = toOpenDataRow({
      nom: 'A',
      id: '1',
      representant: 'Claire',
      courriel_perso: 'x@y.fr',
      latitude: 45.8,
      telephone: '',
    });
    expect(Object.keys(row)).toEqual(['id', 'nom', 'latitude']);
  });

  it('quotes what needs quoting and parses back to the same values', () => {
    const rows: Record<string, string | number>[] = [
      { id: '1', nom: 'Le "Préau", Guéret', adresse: 'ligne 1\nligne 2', services: 'A|B', latitude: 45.8 },
      { id: '2', nom: ' espace en tête', commune: '=SOMME(A1)' },
    ];
    const csv = toCsv(rows);
    expect(csv.startsWith(`${FIELD_NAMES.join(',')}\r\n`)).toBe(true);
    const [header, ...data] = parse(csv) as string[][];
    expect(header).toEqual([...FIELD_NAMES]);
    const back = data.map((cells) => Object.fromEntries(FIELD_NAMES.map((f, i) => [f, cells[i]])));
    expect(back[0]).toMatchObject({
      nom: 'Le "Préau", Guéret',
      adresse: 'ligne 1\nligne 2',
      services: 'A|B',
      latitude: '45.8',
    });
    expect(back[1]).toMatchObject({ nom: ' espace en tête', commune: "'=SOMME(A1)" });
  });

  it('neutralises formula injection (OWASP) and keeps numbers and +33 phone numbers exact', () => {
    const attacks = ['=HYPERLINK("http://x","clic")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const rows = attacks.map((nom, i) => ({
      id: String(i),
      nom,
      telephone: '+33555000000',
      latitude: -12.5,
      longitude: 45.75,
    }));
    const csv = toCsv(rows);
    const [, ...data] = parse(csv) as string[][];
    const at = (f: string) => FIELD_NAMES.indexOf(f as never);
    data.forEach((cells, i) => {
      expect(cells[at('nom')]).toBe(`'${attacks[i]}`);
      expect(cells[at('telephone')]).toBe('+33555000000');
      expect(cells[at('latitude')]).toBe('-12.5');
    });
  });
});
