import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communeCentre, distanceKm } from '../../../shared/domain/commune-centres.js';
import { hashToken, newActorToken } from '../../../shared/usecases/principal.js';
import { loadTableSchema, NATIONAL_SCHEMA_PATH, validateCsv, validateRows } from '../../helpers/table-schema.js';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';
import { seedApplication } from '../console/seed.js';

/**
 * Coordinates of published places (docs/places-geo.md) through HTTP: the actor's pin, the commune centre on one
 * machine, rows valid against the national schema (JSON and CSV), the nearest-places contract, hours in words in the
 * console.
 */
const schema = loadTableSchema(NATIONAL_SCHEMA_PATH);
let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
});
afterAll(() => app?.close());

async function qualified(nom: string, lieu: Record<string, unknown> = {}) {
  const { app: item } = await seedApplication(app.deps, { stage: 'qualified', nom, lieu: lieu as never });
  const token = newActorToken(app.deps, item.id);
  const updated = await app.deps.store.applications.update(item.id, item.version, { actorTokenHash: hashToken(token) });
  return { item: updated, token, lieux: (updated.document as { lieux: Record<string, unknown>[] }).lieux };
}

const rowsOf = async (nom: string) =>
  ((await app.call('GET', '/api/lieux')).body as Record<string, unknown>[]).filter((r) => r.structure_parente === nom);

describe('coordinates of published places', () => {
  it('a confirmed pin is published as is (precision pin); without one, the commune centre (precision commune)', async () => {
    const { item, token, lieux } = await qualified('Épingle SCOP');
    const pinned: Record<string, unknown> = { ...lieux[0], position: { latitude: 45.835123, longitude: 1.262345 } };
    const second = { ...lieux[0], nom: 'Annexe de Beaubreuil', adresse: '5 rue de Beaubreuil' };
    const res = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: { lieux: [pinned, second] },
    });
    expect(res.status).toBe(200);
    const stored = await app.deps.store.places.listFor(item.id);
    expect(stored.map((p) => p.precision)).toEqual(['pin', 'commune']);
    const rows = await rowsOf('Épingle SCOP');
    expect(rows.find((r) => r.nom === pinned.nom)).toMatchObject({ latitude: 45.835123, longitude: 1.262345 });
    const annexe = rows.find((r) => r.nom === 'Annexe de Beaubreuil')!;
    expect(distanceKm(annexe as never, communeCentre(String(annexe.code_insee))!)).toBe(0);
    // The pin stays in the document, where the actor space reads it back.
    const view = await app.call('GET', `/api/applications/${item.id}`, { token });
    expect(view.body.document.lieux[0].position).toEqual({ latitude: 45.835123, longitude: 1.262345 });
  });

  it('refuses a pin out of range, with a French message on the field', async () => {
    const { item, token, lieux } = await qualified('Hors Limites');
    const res = await app.call('PUT', `/api/applications/${item.id}/places`, {
      token,
      body: { lieux: [{ ...lieux[0], position: { latitude: 123, longitude: 1 } }] },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/latitude entre -90 et 90/);
  });

  it('every row of /api/lieux and of the CSV carries latitude/longitude valid against the national schema', async () => {
    await qualified('Guéret Numérique', { code_postal: '23000', commune: 'Guéret', adresse: '1 place Bonnyaud' });
    const rows = (await app.call('GET', '/api/lieux')).body as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(typeof r.latitude, String(r.nom)).toBe('number');
      expect(typeof r.longitude, String(r.nom)).toBe('number');
    }
    expect(validateRows(schema, rows)).toEqual([]);
    const csv = validateCsv(schema, await (await fetch(`${app.url}/api/lieux.csv`)).text());
    expect(csv.errors).toEqual([]);
    for (const r of csv.rows) expect(Number(r.latitude)).toBeGreaterThan(40);
  });

  it('GET /api/lieux/proches: nearest first with distance and hours in words; 404 in French; 400 on a long query', async () => {
    await qualified('Horaires Clairs', {
      code_postal: '87200',
      commune: 'Saint-Junien',
      adresse: '2 rue Louis Codet',
      horaires: 'Tu,Th 14:00-18:00',
    });
    const res = await app.call('GET', '/api/lieux/proches?q=87200%20Saint-Junien');
    expect(res.status).toBe(200);
    expect(res.body.origine.libelle).toBe('Saint-Junien (87200)');
    const first = res.body.lieux[0];
    expect(first).toMatchObject({
      structure_parente: 'Horaires Clairs',
      horaires_texte: 'le mardi et le jeudi de 14 h à 18 h',
    });
    const km = res.body.lieux.map((l: { distance_km: number }) => l.distance_km);
    expect([...km].sort((a, b) => a - b)).toEqual(km);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const unknown = await app.call('GET', '/api/lieux/proches?q=Atlantide');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/^Commune ou code postal introuvable/);
    expect((await app.call('GET', `/api/lieux/proches?q=${'a'.repeat(101)}`)).status).toBe(400);
    expect((await app.call('GET', '/api/lieux/proches?x=1')).status).toBe(400);
  });

  it('the console shows a place’s hours in plain French', async () => {
    const { item } = await qualified('Console Horaires', { horaires: 'Mo-Fr 09:00-12:00' });
    const staff = await app.staff('reviewer');
    const view = await app.call('GET', `/api/console/applications/${item.id}`, { token: staff.token });
    expect(view.body.places[0].horairesTexte).toBe('du lundi au vendredi de 9 h à 12 h');
  });
});
