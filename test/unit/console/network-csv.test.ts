import { describe, expect, it } from 'vitest';
import { MAX_CSV_ROWS, parseMembersCsv } from '../../../shared/usecases/console/network-csv.js';

describe('parseMembersCsv', () => {
  it('accepts good rows and reports bad ones with line and reasons', () => {
    const csv = [
      'siret,nom,code_postal,commune,adresse',
      '732 829 320 00074,Clic Solidaire,87280,Limoges,12 rue des Lilas',
      '12345678901234,Mauvais SIRET,87280,Limoges,',
      '35600000000048,Commune inconnue,87280,Paris,',
      '732829320,SIREN seulement,87000,Limoges,',
      '73282932000074,Doublon,87280,Limoges,',
      ',Sans SIRET,87280,Limoges,',
    ].join('\n');
    const r = parseMembersCsv(csv);
    if (!r.ok) throw new Error(r.message);
    expect(r.accepted.map((a) => a.siret)).toEqual(['73282932000074']);
    expect(r.accepted[0]?.data).toMatchObject({ code_insee: '87085', departement: '87' });
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 6, 7]);
    expect(r.rejected[0]?.errors.join(' ')).toMatch(/SIRET invalide/);
    expect(r.rejected[1]?.errors.join(' ')).toMatch(/Commune inconnue/);
    expect(r.rejected[2]?.errors.join(' ')).toMatch(/SIREN/);
    expect(r.rejected[3]?.errors.join(' ')).toMatch(/double/);
    expect(r.rejected[4]?.errors.join(' ')).toMatch(/SIRET manquant/);
  });

  it('reads semicolon files from spreadsheets, with a BOM and accented headers', () => {
    const r = parseMembersCsv('\uFEFFSIRET;Nom;Code postal;Commune\r\n73282932000074;Clic;87280;Limoges\r\n');
    expect(r.ok && r.accepted.length).toBe(1);
    expect(r.ok && r.delimiter).toBe(';');
  });

  it('refuses non-UTF-8 text, missing columns and too many rows as a whole', () => {
    const latin1 = Buffer.from(
      'siret,nom,code_postal,commune\n73282932000074,Médiathèque,87280,Limoges\n',
      'latin1',
    ).toString('utf8');
    expect(parseMembersCsv(latin1)).toMatchObject({ ok: false, code: 'encoding' });
    expect(parseMembersCsv('siret,nom\n73282932000074,x\n')).toMatchObject({ ok: false, code: 'header' });
    const many = [
      'siret,nom,code_postal,commune',
      ...Array.from({ length: MAX_CSV_ROWS + 1 }, () => '1,a,87280,Limoges'),
    ].join('\n');
    expect(parseMembersCsv(many)).toMatchObject({ ok: false, code: 'too_many_rows' });
  });
});
