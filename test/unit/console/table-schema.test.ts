import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL } from '../../../shared/domain/national-schema.js';
import { loadTableSchema, NATIONAL_SCHEMA_PATH, validateCsv, validateRows } from '../../helpers/table-schema.js';

const schema = loadTableSchema(NATIONAL_SCHEMA_PATH);
const good = {
  id: 'a-1',
  pivot: '73282932000074',
  nom: 'Lieu',
  commune: 'Limoges',
  code_postal: '87280',
  adresse: '12 rue des Lilas',
  date_maj: '2026-11-26',
  services: 'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien',
};

describe('table-schema validator (driven by the schema file)', () => {
  it('reads every field of the national schema and compiles every pattern', () => {
    expect(schema.fields.length).toBeGreaterThan(20);
    for (const f of schema.fields)
      if (f.constraints?.pattern) expect(() => new RegExp(f.constraints?.pattern ?? '', 'u')).not.toThrow();
  });

  it('accepts a valid row', () => {
    expect(validateRows(schema, [good])).toEqual([]);
  });

  it('reports required, pattern, date, unique, type and unknown fields', () => {
    const { nom: _n, ...noName } = good;
    const errors = validateRows(schema, [
      noName,
      { ...good, id: 'a-2', code_postal: '8728', date_maj: '2026-02-30', services: 'Jardinage' },
      { ...good, latitude: 'nord' },
      { ...good, id: 'a-3', courriel_representant: 'x@y.fr' },
    ]);
    const by = (field: string) => errors.filter((e) => e.field === field).map((e) => e.row);
    expect(by('nom')).toEqual([0]);
    expect(by('code_postal')).toEqual([1]);
    expect(by('date_maj')).toEqual([1]);
    expect(by('services')).toEqual([1]);
    expect(by('id')).toEqual([2]); // duplicate of row 0
    expect(by('latitude')).toEqual([2]);
    expect(by('courriel_representant')).toEqual([3]);
  });

  it('checks maxLength from the schema (presentation_resume)', () => {
    const field = schema.fields.find((f) => f.constraints?.maxLength);
    expect(field).toBeDefined();
    const max = field?.constraints?.maxLength ?? 0;
    const errors = validateRows(schema, [{ ...good, [field?.name ?? '']: 'é'.repeat(max + 1) }]);
    expect(errors.map((e) => e.field)).toEqual([field?.name]);
  });

  it('validates a CSV: header order, empty cells as missing, text numbers', () => {
    const header = schema.fields.map((f) => f.name);
    const cells = header.map((h) =>
      h in good ? String(good[h as keyof typeof good]) : h === 'latitude' ? '45.8' : '',
    );
    const csv = `${header.join(',')}\r\n${cells.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',')}\r\n`;
    expect(validateCsv(schema, csv).errors).toEqual([]);
    const swapped = [header[1], header[0], ...header.slice(2)].join(',');
    expect(validateCsv(schema, `${swapped}\r\n${cells.join(',')}\r\n`).errors.some((e) => e.row === -1)).toBe(true);
  });
});

describe('the schema copy', () => {
  // Its sameness with ../shared/data is checked once, with the other copies, in test/unit/handbook-copies.test.ts.
  it('the validator reads the schema the product reads (shared/data)', () => {
    expect(fileURLToPath(NATIONAL_SCHEMA_PATH)).toBe(fileURLToPath(SCHEMA_URL));
  });
});
