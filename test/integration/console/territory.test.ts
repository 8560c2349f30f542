import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INJECTION_CSV_ROWS } from '../../../shared/usecases/console/pass-injections-csv.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

// The territorial mesh's contracts (docs/territory.md): pass injections (JSON, CSV import, listing) and the
// territory view, over HTTP on the local runtime.
let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
});
afterAll(() => app?.close());

const injection = (over: Record<string, unknown> = {}) => ({
  financeur: 'Département de la Creuse',
  financeurType: 'departement',
  territoire: { niveau: 'departement', code: '23' },
  passes: 3_000,
  date: daysAgo(30),
  finValidite: '2030-12-31',
  ...over,
});

const postCsv = (raw: string | Buffer, type = 'text/csv') =>
  fetch(`${app.url}/api/console/pass-injections/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': type },
    body: raw as unknown as string,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('POST /api/console/pass-injections', () => {
  it('records an injection (admin) with its territory checked, rolled up, versioned with who and when', async () => {
    // Act
    const res = await app.call('POST', '/api/console/pass-injections', { token: admin.token, body: injection() });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.injection).toMatchObject({
      version: 1,
      valeurFaciale: 10,
      territoire: { niveau: 'departement', code: '23', nom: 'Creuse' },
      departements: [{ code: '23', passes: 3_000 }],
      createdBy: admin.email,
      updatedBy: admin.email,
      source: 'console',
    });
    const listed = await app.call('GET', '/api/console/pass-injections?departement=23', { token: reviewer.token });
    expect(listed.status).toBe(200);
    expect(listed.body.injections.map((i: { id: string }) => i.id)).toEqual([res.body.injection.id]);
    const audit = await app.call('GET', '/api/console/changes', { token: admin.token });
    expect(audit.body.changes[0]).toMatchObject({ what: 'pass-injection.create', who: admin.email });
  });

  it('a correction is a new version; a stale version is a 409', async () => {
    const created = (
      await app.call('POST', '/api/console/pass-injections', { token: admin.token, body: injection({ passes: 10 }) })
    ).body.injection;
    const fixed = await app.call('POST', '/api/console/pass-injections', {
      token: admin.token,
      body: injection({ id: created.id, version: 1, passes: 20, territoire: { niveau: 'commune', code: '23096' } }),
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.injection).toMatchObject({
      id: created.id,
      version: 2,
      passes: 20,
      createdAt: created.createdAt,
    });
    const stale = await app.call('POST', '/api/console/pass-injections', {
      token: admin.token,
      body: injection({ id: created.id, version: 1, passes: 30 }),
    });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/modifiée entre-temps/);
  });

  it('refuses unknown territory codes, negative or absurd numbers, with French reasons; reviewers may not write', async () => {
    const post = (body: unknown, token = admin.token) =>
      app.call('POST', '/api/console/pass-injections', { token, body });
    const unknown = await post(injection({ territoire: { niveau: 'commune', code: '87999' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.fields[0]).toMatchObject({
      path: 'territoire.code',
      message: expect.stringMatching(/Commune inconnue/),
    });
    const negative = await post(injection({ passes: -5 }));
    expect(negative.status).toBe(400);
    expect(negative.body.fields[0].message).toMatch(/négatif/);
    expect((await post(injection({ passes: 5_000_000 }))).body.fields[0].message).toMatch(/invraisemblable/);
    expect((await post(injection({ finValidite: '2020-01-01' }))).body.fields[0].message).toMatch(/précède/);
    expect((await post(injection(), reviewer.token)).status).toBe(403);
  });
});

describe('POST /api/console/pass-injections/import', () => {
  const header = 'financeur;financeur_type;niveau;code_territoire;passes;valeur_faciale;date;fin_validite';

  it('imports a Windows-1252 file with « ; » and French dates: valid rows in, bad rows reported by line; idempotent', async () => {
    // Prepare: what a French spreadsheet saves as « CSV (séparateur : point-virgule) ».
    const csv = [
      header,
      `Conseil départemental de la Haute-Vienne;Conseil départemental;département;87;1 500;10,00;${frDate(daysAgo(10))};31/12/2030`,
      `Ville de Limoges;commune;commune;87085;200;;${daysAgo(20)};2030-12-31`,
      `CA Beaune Côte et Sud;epci;epci;200006682;1000;10;${daysAgo(5)};2030-12-31`,
      `Mairie inconnue;commune;commune;99999;10;10;${today};2030-12-31`,
      `Fondation X;fondation;departement;87;-3;10;${today};2030-12-31`,
      `Banque Y;entreprise;departement;87;100;10;hier;2030-12-31`,
    ].join('\r\n');
    // Act
    const first = await postCsv(Buffer.from(csv, 'latin1'), 'text/csv; charset=windows-1252');
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ imported: 3, unchanged: 0, delimiter: ';', encoding: 'windows-1252' });
    expect(first.body.rejected).toEqual([
      { line: 5, errors: [expect.stringMatching(/Commune inconnue/)] },
      { line: 6, errors: [expect.stringMatching(/négatif/)] },
      { line: 7, errors: [expect.stringMatching(/AAAA-MM-JJ/)] },
    ]);
    expect(first.body.message).toMatch(/3 ligne\(s\) refusée\(s\) et non importée\(s\)/);
    const in87 = await app.call('GET', '/api/console/pass-injections?departement=87', { token: admin.token });
    expect(in87.body.injections.map((i: { financeur: string }) => i.financeur).sort()).toEqual([
      'Conseil départemental de la Haute-Vienne',
      'Ville de Limoges',
    ]);
    // The EPCI across a border is listed in both of its départements, with its passes split by population.
    const in21 = (await app.call('GET', '/api/console/pass-injections?departement=21', { token: admin.token })).body;
    const in71 = (await app.call('GET', '/api/console/pass-injections?departement=71', { token: admin.token })).body;
    expect(in21.injections[0].departements).toEqual(in71.injections[0].departements);
    expect(in21.injections[0].departements.reduce((s: number, d: { passes: number }) => s + d.passes, 0)).toBe(1000);
    // Importing the same file again adds nothing.
    const again = await postCsv(Buffer.from(csv, 'latin1'));
    expect(again.body).toMatchObject({ imported: 0, unchanged: 3 });
  });

  it('reads a UTF-8 file with « , » and a BOM; two identical rows need a reference', async () => {
    const csv = `\uFEFFfinanceur,financeur_type,niveau,code_territoire,passes,date,fin_validite,reference\nCCAS de Guéret,ccas,commune,23096,50,${today},2030-12-31,\nCCAS de Guéret,ccas,commune,23096,50,${today},2030-12-31,\nCCAS de Guéret,ccas,commune,23096,50,${today},2030-12-31,BC-2\n`;
    const res = await postCsv(csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, delimiter: ',', encoding: 'utf-8' });
    expect(res.body.rejected).toEqual([{ line: 3, errors: [expect.stringMatching(/identique à la ligne 2/)] }]);
  });

  it('refuses a whole file (nothing imported, said so): missing columns, unknown separator, too many rows, too big, not CSV', async () => {
    const missing = await postCsv('financeur;passes\nX;10\n');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/Colonnes manquantes.*financeur_type.*Rien n'a été importé/);
    const pipes = await postCsv('financeur|financeur_type|niveau|code_territoire|passes|date|fin_validite\n');
    expect(pipes.body.message).toMatch(/séparateur n'est pas reconnu/);
    const many = [header, ...Array.from({ length: MAX_INJECTION_CSV_ROWS + 1 }, () => 'a;b;c;d;1;1;x;y')].join('\n');
    const tooMany = await postCsv(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/Trop de lignes.*500/);
    expect((await postCsv(`${header}\n${'x'.repeat(61 * 1024)}`)).status).toBe(413);
    expect((await postCsv('{"a":1}', 'application/json')).status).toBe(415);
  });
});

describe('GET /api/console/territories', () => {
  it('gives every département its figures and status; qualified actors from the published places', async () => {
    // Prepare: 87 has 1,500 + 200 passes (17,000 €: one sustainable actor); two qualified actors publish there.
    for (const id of ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2']) {
      // In Limoges: a place without a position would reach nobody (reach 0 → to_stimulate, docs/territory.md).
      await app.deps.store.places.replace(id, [
        { departement: '87', place: { nom: 'Lieu', latitude: 45.8336, longitude: 1.2611 } },
      ]);
    }
    // Act
    const res = await app.call('GET', '/api/console/territories', { token: reviewer.token });
    // Assess
    expect(res.status).toBe(200);
    const by = new Map(res.body.territories.map((t: { code: string }) => [t.code, t]));
    expect(res.body.territories.length).toBeGreaterThanOrEqual(100);
    expect(by.get('87')).toEqual({
      code: '87',
      nom: 'Haute-Vienne',
      passesInjected12m: 1_700,
      valueInjected12m: 17_000,
      sustainableActors: 1,
      qualifiedActors: 2,
      inProgress: 0,
      waitlisted: 0,
      revenuePerActor: 8_500,
      status: 'saturated',
      reach: expect.any(Number),
    });
    expect((by.get('87') as { reach: number }).reach).toBeGreaterThan(0);
    expect(by.get('23')).toMatchObject({ status: 'to_stimulate', qualifiedActors: 0 });
    expect(by.get('2A')).toMatchObject({ status: 'no_passes', passesInjected12m: 0 });
    expect((await app.call('GET', '/api/console/territories?niveau=commune', { token: reviewer.token })).status).toBe(
      400,
    );
  });
});

describe('GET /api/console/territories: EPCI view and the cached snapshot', () => {
  const FIELDS = [
    'code',
    'nom',
    'passesInjected12m',
    'valueInjected12m',
    'sustainableActors',
    'qualifiedActors',
    'inProgress',
    'waitlisted',
    'revenuePerActor',
    'status',
    'reach',
  ];

  it('per EPCI of one département: a commune’s passes in its EPCI, a whole département’s passes unattributed', async () => {
    // Act (the imports above put 200 passes on Limoges and 1,500 on the whole Haute-Vienne).
    const res = await app.call('GET', '/api/console/territories?niveau=epci&departement=87', { token: reviewer.token });
    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      niveau: 'epci',
      departement: '87',
      unattributed: { passesInjected12m: 1_500, valueInjected12m: 15_000 },
    });
    for (const t of res.body.territories) expect(Object.keys(t)).toEqual(FIELDS);
    const limoges = res.body.territories.find((t: { nom: string }) => /Limoges/.test(t.nom));
    expect(limoges).toMatchObject({ passesInjected12m: 200, valueInjected12m: 2_000, status: 'to_stimulate' });
    expect(limoges.code).toMatch(/^\d{9}$/);
    const others = res.body.territories.filter((t: { code: string }) => t.code !== limoges.code);
    expect(others.every((t: { status: string }) => t.status === 'no_passes')).toBe(true);
    const missing = await app.call('GET', '/api/console/territories?niveau=epci', { token: reviewer.token });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toMatch(/précisez le département/);
  });

  it('answers from its snapshot while nothing changes, and follows a new place and a new injection at once', async () => {
    const get = async () => (await app.call('GET', '/api/console/territories', { token: reviewer.token })).body;
    const first = await get();
    expect((await get()).computedAt).toBe(first.computedAt);
    const corse = (v: { territories: { code: string }[] }) => v.territories.find((t) => t.code === '2A');
    expect(corse(first)).toMatchObject({ qualifiedActors: 0, passesInjected12m: 0, status: 'no_passes' });
    // Act: a place published in Corse-du-Sud, then 3,000 passes injected there.
    await app.deps.store.places.replace('00000000-0000-4000-8000-0000000000c1', [
      { departement: '2A', place: { nom: 'Lieu', code_insee: '2A004' } },
    ]);
    expect(corse(await get())).toMatchObject({ qualifiedActors: 1, status: 'no_passes' });
    const posted = await app.call('POST', '/api/console/pass-injections', {
      token: admin.token,
      body: injection({ territoire: { niveau: 'departement', code: '2A' }, passes: 3_000 }),
    });
    expect(posted.status).toBe(201);
    // Assess: 30,000 € sustain two actors; one is there.
    expect(corse(await get())).toMatchObject({
      passesInjected12m: 3_000,
      sustainableActors: 2,
      qualifiedActors: 1,
      revenuePerActor: 30_000,
      status: 'to_stimulate',
    });
  });
});
