import {
  fromSchemaLieuDeMediationNumerique,
  toSchemaServiceDataInclusion,
  toSchemaStructureDataInclusion,
} from '@gouvfr-anct/lieux-de-mediation-numerique';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';

// Prospects, stimulation and the data·inclusion export (docs/territory.md), over HTTP on the local runtime.
let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
});
afterAll(() => app?.close());

const HEADER =
  'id,pivot,nom,commune,code_postal,code_insee,adresse,date_maj,services,courriels,source,presentation_detail';
const row = (o: Partial<Record<string, string>> = {}) => {
  const r = {
    id: 'lieu-1',
    pivot: '73282932000074',
    nom: 'Médiathèque du Vigenal',
    commune: 'Limoges',
    code_postal: '87000',
    code_insee: '87085',
    adresse: '1 rue de la Paix',
    date_maj: '2024-05-02',
    services: 'Aide aux démarches administratives|Maîtrise des outils numériques du quotidien',
    courriels: 'contact@vigenal.example.org',
    source: 'cartographie-nationale',
    presentation_detail: 'Animé par Jeanne Dupont',
    ...o,
  };
  return HEADER.split(',')
    .map((k) => {
      const v = r[k as keyof typeof r] ?? '';
      return /[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
};

const postCsv = (raw: string | Buffer, token = reviewer.token, type = 'text/csv') =>
  fetch(`${app.url}/api/console/prospects/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: raw as unknown as string,
  }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('POST /api/console/prospects/import', () => {
  it('imports valid rows, reports the others by line, keeps only organisation data, and counts updates', async () => {
    // Prepare
    const csv = [
      HEADER,
      row(),
      row({ id: 'lieu-2', pivot: '12345678901234', nom: 'Espace numérique', code_insee: '', code_postal: '87100' }),
      row({ id: 'lieu-3', services: 'Jardinage' }),
      row({ id: 'lieu-4', code_postal: '99999', code_insee: '' }),
      row({ id: 'lieu-5', date_maj: '2999-01-01' }),
      row({ id: 'lieu-6', nom: '' }),
    ].join('\n');
    // Act
    const first = await postCsv(csv);
    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ imported: 2, updated: 0, unchanged: 0, delimiter: ',', encoding: 'utf-8' });
    expect(first.body.rejected.map((r: { line: number }) => r.line)).toEqual([4, 5, 6, 7]);
    expect(first.body.rejected[0].errors[0]).toMatch(/services.*Jardinage/);
    expect(first.body.rejected[1].errors[0]).toMatch(/commune.*99999/);
    expect(first.body.rejected[2].errors[0]).toMatch(/invraisemblable/);
    expect(first.body.rejected[3].errors[0]).toMatch(/nom : obligatoire/);
    expect(first.body.message).toMatch(/4 ligne\(s\) refusée\(s\) et non importée\(s\)/);
    const listed = await app.call('GET', '/api/console/prospects?departement=87', { token: reviewer.token });
    expect(listed.status).toBe(200);
    const media = listed.body.prospects.find((p: { sourceId: string }) => p.sourceId === 'lieu-1');
    expect(media).toMatchObject({
      siret: '73282932000074',
      departement: '87',
      courriel: 'contact@vigenal.example.org',
    });
    // The free-text presentation (which may name a person) is not kept.
    expect(JSON.stringify(listed.body)).not.toContain('Jeanne');
    // The same rows again: unchanged; one changed row: updated.
    const again = await postCsv(
      [
        HEADER,
        row(),
        row({ id: 'lieu-2', pivot: '12345678901234', nom: 'Espace numérique 2', code_insee: '', code_postal: '87100' }),
      ].join('\n'),
    );
    expect(again.body).toMatchObject({ imported: 0, updated: 1, unchanged: 1, rejected: [] });
  });

  it('reads a Latin-1 spreadsheet file with « ; »; refuses a wrong separator, missing columns, too many rows, with nothing imported', async () => {
    const latin = Buffer.from(
      [
        HEADER.replaceAll(',', ';'),
        row({ id: 'latin-1', nom: 'Médiathèque Aragon', pivot: '35600000000048' }).replaceAll(',', ';'),
      ].join('\r\n'),
      'latin1',
    );
    const ok = await postCsv(latin);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ imported: 1, delimiter: ';', encoding: 'windows-1252' });
    const listed = await app.call('GET', '/api/console/prospects?departement=87', { token: reviewer.token });
    expect(listed.body.prospects.map((p: { nom: string }) => p.nom)).toContain('Médiathèque Aragon');

    const pipes = await postCsv([HEADER.replaceAll(',', '|'), row().replaceAll(',', '|')].join('\n'));
    expect(pipes.status).toBe(400);
    expect(pipes.body.message).toMatch(/séparateur n'est pas reconnu.*Rien n'a été importé/);
    const missing = await postCsv('id,nom,commune\nx,y,z\n');
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/Colonnes manquantes.*pivot.*Rien n'a été importé/);
    const many = [HEADER, ...Array.from({ length: 20_001 }, (_, i) => `${i},1,a,b,c,,d,e,,,,`)].join('\n');
    const tooMany = await postCsv(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/Trop de lignes \(20.001\) : 20.000 lieux au plus.*Rien n'a été importé/);
    const huge = await postCsv(Buffer.alloc(4 * 1024 * 1024 + 10, 'a'));
    expect(huge.status).toBe(413);
    expect((await postCsv('x', reviewer.token, 'application/json')).status).toBe(415);
  });

  it('matches applications by SIRET and by name + commune; lists applied=true / false', async () => {
    // Prepare: one application with a known SIRET, one whose place has the prospect's name in the same commune.
    const siret = makeSiret(7);
    await app.submit({ siret, lieu: { nom: 'Tiers-lieu des Coutures', code_postal: '87000', commune: 'Limoges' } });
    await app.submit({ lieu: { nom: 'La Fabrique Numérique', code_postal: '87000', commune: 'Limoges' } });
    const csv = [
      HEADER,
      row({ id: 'm-1', pivot: siret, nom: 'Autre nom' }),
      row({ id: 'm-2', pivot: '00000000000000', nom: 'Fabrique numerique (la)' }),
      row({ id: 'm-3', pivot: '00000000000000', nom: 'Personne' }),
    ].join('\n');
    expect((await postCsv(csv)).body.imported).toBe(3);
    // Act
    const applied = await app.call('GET', '/api/console/prospects?departement=87&applied=true', {
      token: reviewer.token,
    });
    const notApplied = await app.call('GET', '/api/console/prospects?departement=87&applied=false', {
      token: reviewer.token,
    });
    // Assess
    const by = Object.fromEntries(applied.body.prospects.map((p: any) => [p.sourceId, p.match.by]));
    expect(by).toMatchObject({ 'm-1': 'siret', 'm-2': 'nom_commune' });
    expect(notApplied.body.prospects.map((p: { sourceId: string }) => p.sourceId)).toContain('m-3');
    expect(notApplied.body.prospects.every((p: { applied: boolean }) => !p.applied)).toBe(true);
    expect((await app.call('GET', '/api/console/prospects', { token: reviewer.token })).status).toBe(400);
    expect((await app.call('GET', '/api/console/prospects?departement=87')).status).toBe(401);
  });
});

describe('POST /api/console/territories/:code/stimulate', () => {
  it('creates a territorial campaign and invites each prospect that has not applied, once, with an unsubscribe link honoured afterwards', async () => {
    // Prepare: three prospects in the Creuse, two with an address (one shared), one without.
    const creuse = (id: string, nom: string, courriels: string) =>
      row({
        id,
        nom,
        courriels,
        commune: 'Guéret',
        code_postal: '23000',
        code_insee: '23096',
        pivot: '00000000000000',
      });
    await postCsv(
      [
        HEADER,
        creuse('c-1', 'Espace Clé', 'cle@example.org'),
        creuse('c-2', 'Médiathèque de Guéret', 'media@example.org'),
        creuse('c-3', 'Maison France Services', ''),
      ].join('\n'),
    );
    const body = {
      kind: 'webinar',
      label: 'Devenir #APTIC en Creuse',
      startsAt: '2030-03-10T15:00:00+01:00',
      endsAt: '2030-03-10T16:00:00+01:00',
    };
    // Act
    const res = await app.call('POST', '/api/console/territories/23/stimulate', { token: reviewer.token, body });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body.campaign.url).toMatch(new RegExp(`/go/${res.body.campaign.code}\\?`));
    expect(res.body.invitations).toMatchObject({
      queued: 2,
      alreadyInvited: 0,
      optedOut: 0,
      withoutAddress: 1,
      prospects: 3,
    });
    const invitations = await app.deps.store.invitations.listFor(res.body.campaign.code);
    expect(invitations.map((i) => i.to).sort()).toEqual(['cle@example.org', 'media@example.org']);
    const text = invitations.find((i) => i.to === 'cle@example.org')!.text;
    expect(text).toContain('Espace Clé');
    expect(text).toContain('le 10/03/2030 à 15:00');
    expect(text).toContain(res.body.campaign.url);
    const outbox = await app.call('GET', '/api/console/outbox', { token: reviewer.token });
    expect(
      outbox.body.messages.filter((m: any) => m.applicationId === `campaign:${res.body.campaign.code}`),
    ).toHaveLength(2);

    // A retry: the same campaign, nobody invited twice.
    const retry = await app.call('POST', '/api/console/territories/23/stimulate', { token: reviewer.token, body });
    expect(retry.status).toBe(200);
    expect(retry.body.campaign.code).toBe(res.body.campaign.code);
    expect(retry.body.invitations).toMatchObject({ queued: 0, alreadyInvited: 2 });

    // Unsubscribe: the page asks, the button records it; the address is never invited again.
    const link = /(\/api\/unsubscribe\?t=[A-Za-z0-9_-]+)/.exec(text)![1]!;
    const page = await fetch(`${app.url}${link}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/api/unsubscribe">');
    const token = new URL(link, app.url).searchParams.get('t')!;
    const done = await fetch(`${app.url}/api/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `t=${token}`,
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Désinscription enregistrée');
    const unknown = await fetch(`${app.url}/api/unsubscribe?t=${'x'.repeat(32)}`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    const next = await app.call('POST', '/api/console/territories/23/stimulate', {
      token: reviewer.token,
      body: { ...body, kind: 'tour', label: '#APTIC Tour Creuse' },
    });
    expect(next.status).toBe(201);
    expect(next.body.invitations).toMatchObject({ queued: 1, optedOut: 1 });
    const second = await app.deps.store.invitations.listFor(next.body.campaign.code);
    expect(second.map((i) => i.to)).toEqual(['media@example.org']);

    // The territory's funnel: its campaigns and their sum.
    const funnel = await app.call('GET', '/api/console/campaigns?territory=23', { token: reviewer.token });
    expect(funnel.status).toBe(200);
    expect(funnel.body.campaigns.map((c: { code: string }) => c.code).sort()).toEqual(
      [res.body.campaign.code, next.body.campaign.code].sort(),
    );
    expect(funnel.body.funnel).toEqual({ visits: 0, conversations: 0, applications: 0, qualified: 0 });
  });

  it('refuses an unknown département and invalid fields in French', async () => {
    const body = { kind: 'webinar', label: 'Devenir #APTIC', startsAt: '2030-03-10', endsAt: '2030-03-11' };
    const bad = await app.call('POST', '/api/console/territories/99/stimulate', { token: reviewer.token, body });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].message).toMatch(/Département inconnu/);
    const backwards = await app.call('POST', '/api/console/territories/87/stimulate', {
      token: reviewer.token,
      body: { ...body, endsAt: '2030-03-01' },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.fields[0].message).toMatch(/précède/);
    const kind = await app.call('POST', '/api/console/territories/87/stimulate', {
      token: reviewer.token,
      body: { ...body, kind: 'network' },
    });
    expect(kind.status).toBe(400);
  });
});

describe('GET /api/lieux/data-inclusion', () => {
  it('serves the published places as data·inclusion structures and services, as the library maps /api/lieux', async () => {
    // Prepare: a published place (the places index is what the Qualify step writes).
    await app.deps.store.places.replace('app-di-1', [
      {
        departement: '87',
        place: {
          id: 'app-di-1-1',
          pivot: '73282932000074',
          nom: 'Clic Solidaire',
          commune: 'Limoges',
          code_postal: '87280',
          code_insee: '87085',
          adresse: '12 rue des Lilas',
          date_maj: '2026-01-05',
          services: 'Aide aux démarches administratives',
          frais_a_charge: 'Gratuit',
          source: 'aptic-qualification',
          autres_formations_labels: 'Pass #APTIC',
        },
      },
    ]);
    // Act
    const lieux = await app.call('GET', '/api/lieux?departement=87');
    const di = await app.call('GET', '/api/lieux/data-inclusion?departement=87');
    // Assess
    expect(di.status).toBe(200);
    const models = lieux.body.map((r: any) => fromSchemaLieuDeMediationNumerique(r));
    expect(di.body.structures).toEqual(JSON.parse(JSON.stringify(models.map(toSchemaStructureDataInclusion))));
    expect(di.body.services).toEqual(JSON.parse(JSON.stringify(models.map(toSchemaServiceDataInclusion))));
    expect(di.body.structures[0]).toMatchObject({
      id: 'app-di-1-1',
      siret: '73282932000074',
      labels_autres: ['Pass #APTIC'],
    });
    expect(di.body.services[0]).toMatchObject({ structure_id: 'app-di-1-1', frais: ['gratuit'] });
    expect((await app.call('GET', '/api/lieux/data-inclusion?departement=XX')).status).toBe(400);
  });
});
