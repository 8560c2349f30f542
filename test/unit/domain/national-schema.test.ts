import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ENUM_FIELDS,
  enumFromPattern,
  FIELD_NAMES,
  FORMATIONS_LABELS,
  fieldRegex,
  ITINERANCE,
  NATIONAL_ENUMS,
  PRISE_EN_CHARGE_SPECIFIQUE,
  REQUIRED_FIELDS,
  SCHEMA_URL,
  SERVICES,
} from '../../../shared/domain/national-schema.js';

describe('national schema copy', () => {
  // Its sameness with ../shared/data is checked once, with the other copies, in test/unit/handbook-copies.test.ts.
  it('the local copy is the national Table Schema v1.0.2, under the Licence Ouverte', () => {
    const parsed = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as {
      fields: unknown[];
      version: string;
      licenses: { name: string }[];
    };
    expect(parsed.fields).toHaveLength(32);
    expect(parsed.version).toBe('v1.0.2');
    expect(parsed.licenses.map((l) => l.name)).toEqual(['etalab-2.0']);
  });
});

describe('national schema fields', () => {
  it('lists the 32 fields and the 7 required ones', () => {
    expect(FIELD_NAMES).toHaveLength(32);
    expect([...REQUIRED_FIELDS].sort()).toEqual([
      'adresse',
      'code_postal',
      'commune',
      'date_maj',
      'id',
      'nom',
      'pivot',
    ]);
  });
});

describe('derived enumerations', () => {
  it('parses the enum pattern shape and unescapes regex escapes', () => {
    expect(enumFromPattern('(?:(?:^|\\|)(A|B \\(x\\)|C))+$')).toEqual(['A', 'B (x)', 'C']);
    expect(() => enumFromPattern('^\\d{5}$')).toThrow();
  });

  it('has the 9 services and the exact spellings (accents, quirks)', () => {
    expect(SERVICES).toHaveLength(9);
    expect(SERVICES).toContain('Acquisition de matériel informatique à prix solidaire');
    expect(PRISE_EN_CHARGE_SPECIFIQUE).toContain('Langues étrangères (anglais)');
    expect(FORMATIONS_LABELS).toContain('Étapes numériques(La Poste)');
    expect(FORMATIONS_LABELS).toContain('Formé à « DUPLEX » (illettrisme)');
    expect(ITINERANCE).toEqual(['Itinérant', 'Fixe']);
  });

  it.each(ENUM_FIELDS)('every value of %s matches the field regex, alone and |-joined', (field) => {
    const values = NATIONAL_ENUMS[field];
    expect(values.length).toBeGreaterThan(1);
    const re = fieldRegex(field);
    for (const v of values) expect(re.test(v), v).toBe(true);
    expect(re.test(values.join('|'))).toBe(true);
    expect(new Set(values).size).toBe(values.length);
  });
});
