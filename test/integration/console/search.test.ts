import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// GET /api/console/search over the search index the store keeps (no Scan), on the real HTTP server (lite runtime).
let app: ConsoleApp;
let reviewer: { email: string; token: string };
let clic: { id: string; siret: string };
let fabrique: { id: string; siret: string };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  reviewer = await app.staff('reviewer');
  const a = await seedApplication(app.deps, {
    nom: 'Clic Solidaire',
    siret: makeSiret(1),
    extra: (doc) => {
      doc.structure.representant_legal.courriel = 'Claire.Martin@Clic-Solidaire.fr';
    },
  });
  clic = { id: a.app.id, siret: a.app.siret! };
  const b = await seedApplication(app.deps, {
    nom: 'La Fabrique Numérique de Saint-Étienne',
    siret: makeSiret(2),
    lieu: { nom: 'Fabrique — Centre', code_postal: '42000', commune: 'Saint-Étienne' },
    stage: 'final_approval',
    extra: (doc) => {
      doc.structure.representant_legal.courriel = 'contact@fabrique42.fr';
    },
  });
  fabrique = { id: b.app.id, siret: b.app.siret! };
});
afterAll(() => app?.close());

const search = async (q: string) => {
  const res = await app.call('GET', `/api/console/search?q=${encodeURIComponent(q)}`, { token: reviewer.token });
  expect(res.status).toBe(200);
  return res.body.results as { applicationId: string; nom: string; siret: string; commune: string; stage: string }[];
};
const ids = (r: { applicationId: string }[]) => r.map((x) => x.applicationId);

describe('GET /api/console/search', () => {
  it('finds by SIRET in any spacing, and answers the contract fields', async () => {
    const s = clic.siret;
    const spaced = `${s.slice(0, 3)} ${s.slice(3, 6)} ${s.slice(6, 9)} ${s.slice(9)}`;
    const results = await search(spaced);
    expect(results).toEqual([
      { applicationId: clic.id, nom: 'Clic Solidaire', siret: s, commune: 'Limoges', stage: 'staff_review' },
    ]);
    expect(ids(await search(s.slice(0, 9)))).toEqual([clic.id]); // the SIREN
  });

  it('finds by name and by e-mail in any case and accents, and by commune', async () => {
    expect(ids(await search('fabrique numerique'))).toEqual([fabrique.id]);
    expect(ids(await search('FABRIQUE NUMÉRIQUE'))).toEqual([fabrique.id]);
    expect(ids(await search('clic solid'))).toEqual([clic.id]);
    expect(ids(await search('claire.martin@clic-solidaire.FR'))).toEqual([clic.id]);
    expect(ids(await search('CLAIRE.MARTIN'))).toEqual([clic.id]);
    const stEtienne = await search('saint etienne');
    expect(stEtienne).toEqual([expect.objectContaining({ applicationId: fabrique.id, stage: 'final_approval' })]);
    expect(stEtienne[0]?.commune).toBe('Saint-Étienne');
    expect(ids(await search('limoges'))).toContain(clic.id);
  });

  it('finds by id prefix', async () => {
    expect(ids(await search(fabrique.id.slice(0, 8)))).toEqual([fabrique.id]);
    expect(ids(await search(fabrique.id.slice(0, 8).toUpperCase()))).toEqual([fabrique.id]);
  });

  it('follows a changed document: the old name no longer finds it', async () => {
    const current = (await app.deps.store.applications.get(clic.id))!;
    const document = structuredClone(current.document) as any;
    document.structure.nom = 'Numérithèque Beaubreuil';
    document.lieux[0].nom = 'Numérithèque';
    await app.deps.store.applications.update(clic.id, current.version, { document });
    expect(ids(await search('numeritheque'))).toEqual([clic.id]);
    expect(await search('clic solidaire')).toEqual([]);
  });

  it('refuses a query shorter than 2 characters, and anyone not staff', async () => {
    const short = await app.call('GET', '/api/console/search?q=a', { token: reviewer.token });
    expect(short.status).toBe(400);
    expect(short.body.error).toBe('validation_error');
    expect((await app.call('GET', '/api/console/search?q=clic')).status).toBe(401);
  });
});
