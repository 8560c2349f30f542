import { describe, expect, it } from 'vitest';
import { parseProspectsCsv, prospectId } from '../../../shared/usecases/console/prospects-csv.js';

const HEADER = 'id;pivot;nom;commune;code_postal;adresse;date_maj;latitude;longitude;courriels';
const parse = (lines: string[]) =>
  parseProspectsCsv([HEADER, ...lines].join('\n'), { maxRows: 10, today: '2026-12-02' });

describe('prospect CSV rows (national schema, read with the field library)', () => {
  it('derives the département from the commune (Corsica), keeps a valid SIRET, French dates and decimal commas', () => {
    const r = parse([
      'a;35600000000048;Bureau;Ajaccio;20000;1 cours Napoléon;02/05/2024;41,92;8,73;Contact@Poste.example.fr',
    ]);
    expect(r.ok && r.rejected).toEqual([]);
    if (!r.ok) return;
    expect(r.rows[0]!.prospect).toMatchObject({
      departement: '2A',
      code_insee: '2A004',
      siret: '35600000000048',
      date_maj: '2024-05-02',
      courriel: 'contact@poste.example.fr',
    });
    expect(r.rows[0]!.prospect.id).toBe(prospectId(null, 'a'));
  });

  it('reports absurd values line by line, in French', () => {
    const r = parse([
      'a;73282932000074;X;Limoges;87000;1 rue;2024-01-01;500;1;',
      'b;123;X;Limoges;87000;1 rue;2024-01-01;;;',
      'c;73282932000074;X;Limoges;87000;1 rue;hier;;;',
      'd;73282932000074;X;Limoges;87000;1 rue;1970-01-01;;;',
      'e;73282932000074;X;Limoges;87000;1 rue;2024-01-01;abc;;',
      'e;73282932000074;X;Limoges;87000;1 rue;2024-01-01;;;',
      'e;73282932000074;X;Limoges;87000;1 rue;2024-01-01;;;',
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const errs = Object.fromEntries(r.rejected.map((x) => [x.line, x.errors.join(' ')]));
    expect(errs[2]).toMatch(/latitude.*500/);
    expect(errs[3]).toMatch(/pivot.*123/);
    expect(errs[4]).toMatch(/AAAA-MM-JJ/);
    expect(errs[5]).toMatch(/invraisemblable/);
    expect(errs[6]).toMatch(/latitude : un nombre/);
    expect(errs[8]).toMatch(/ligne 7/);
    expect(r.rows.map((x) => x.line)).toEqual([7]);
  });

  it('refuses the whole file past the row limit', () => {
    const r = parse(Array.from({ length: 11 }, (_, i) => `${i};1;a;b;c;d;e;;;`));
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/Trop de lignes.*Rien n'a été importé/) });
  });
});
