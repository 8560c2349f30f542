import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCampaignEvent } from '../../../shared/usecases/console/campaigns.js';
import { MAX_CSV_ROWS } from '../../../shared/usecases/console/network-csv.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
});
afterAll(() => app?.close());

describe('configuration (admin)', () => {
  it('opens a phase and sets a cap with optimistic locking; every change is in the audit trail', async () => {
    const before = await app.call('GET', '/api/console/config', { token: admin.token });
    expect(before.body).toMatchObject({ version: 0, effective: { phasesOpen: [1] } });
    const saved = await app.call('PUT', '/api/console/config', {
      token: admin.token,
      body: { version: 0, set: { phasesOpen: [1, 2], volumeCaps: { '87': 10, '2A': 3 } } },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      version: 1,
      updatedBy: admin.email,
      effective: { phasesOpen: [1, 2], volumeCaps: { '87': 10, '2A': 3 } },
    });
    expect((await app.deps.config()).phasesOpen).toEqual([1, 2]);
    // A second admin working from the old version is refused, with who changed it.
    const stale = await app.call('PUT', '/api/console/config', {
      token: admin.token,
      body: { version: 0, set: { phasesOpen: [1] } },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'conflict', version: 1, updatedBy: admin.email });
    expect(stale.body.message).toMatch(/modifiée entre-temps/);
    const bad = await app.call('PUT', '/api/console/config', {
      token: admin.token,
      body: { version: 1, set: { volumeCaps: { '00': 1 } } },
    });
    expect(bad.status).toBe(400);
    const changes = await app.call('GET', '/api/console/changes?entity=config', { token: admin.token });
    expect(changes.body.changes[0]).toMatchObject({
      who: admin.email,
      what: 'config.update',
      entity: 'config',
      at: expect.any(String),
    });
  });
});

describe('networks and member import', () => {
  it('saves a network with its agreement and keeps the configuration in step', async () => {
    const res = await app.call('POST', '/api/console/networks', {
      token: admin.token,
      body: { name: 'Réseau des Fabriques', agreement: { signedAt: '2026-10-01', scope: 'Nouvelle-Aquitaine' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.network).toMatchObject({ id: 'reseau-des-fabriques', agreement: { signedAt: '2026-10-01' } });
    expect((await app.deps.config()).networks).toContainEqual({ name: 'Réseau des Fabriques', agreement: true });
    const list = await app.call('GET', '/api/console/networks', { token: reviewer.token });
    expect(list.body.networks.map((n: { id: string }) => n.id)).toContain('reseau-des-fabriques');
  });

  it('imports a CSV row by row and reports the rejected rows', async () => {
    const csv = [
      'siret;nom;code_postal;commune;adresse',
      '73282932000074;Clic Solidaire;87280;Limoges;12 rue des Lilas',
      '35600000000048;La Poste Limoges;87000;Limoges;',
      '12345678901234;Mauvais SIRET;87280;Limoges;',
      '35600000049837;Ailleurs;87280;Brive;',
    ].join('\r\n');
    const res = await app.call('POST', '/api/console/networks/reseau-des-fabriques/members', {
      token: admin.token,
      raw: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { line: 4, siret: '12345678901234', errors: [expect.stringMatching(/^SIRET invalide/)] },
      { line: 5, siret: '35600000049837', errors: [expect.stringMatching(/^Commune inconnue/)] },
    ]);
    const members = await app.call('GET', '/api/console/networks/reseau-des-fabriques', { token: reviewer.token });
    expect(members.body.members.map((m: { siret: string }) => m.siret).sort()).toEqual([
      '35600000000048',
      '73282932000074',
    ]);
    expect((await app.deps.store.networks.membershipsOf('73282932000074'))[0]?.networkId).toBe('reseau-des-fabriques');
    const audit = await app.call('GET', '/api/console/changes?entity=network:reseau-des-fabriques', {
      token: admin.token,
    });
    expect(audit.body.changes[0]).toMatchObject({
      what: 'network.import',
      who: admin.email,
      data: { accepted: 2, rejected: 2 },
    });
  });

  it('refuses a file that is not UTF-8, has too many rows, is too big, or is not CSV', async () => {
    const post = (raw: string | Buffer, type = 'text/csv') =>
      fetch(`${app.url}/api/console/networks/reseau-des-fabriques/members`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': type },
        body: raw as unknown as string,
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const latin1 = Buffer.from('siret,nom,code_postal,commune\n73282932000074,Médiathèque,87280,Limoges\n', 'latin1');
    const enc = await post(latin1);
    expect(enc.status).toBe(400);
    expect(enc.body.message).toMatch(/UTF-8/);
    expect((await post(latin1, 'text/csv; charset=windows-1252')).status).toBe(400);
    const many = [
      'siret,nom,code_postal,commune',
      ...Array.from({ length: MAX_CSV_ROWS + 1 }, () => '1,a,87280,X'),
    ].join('\n');
    const tooMany = await post(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/Trop de lignes/);
    expect((await post(`siret,nom,code_postal,commune\n${'x'.repeat(70 * 1024)}`)).status).toBe(413);
    expect((await post('{"a":1}', 'application/json')).status).toBe(415);
  });
});

describe('campaigns and funnel', () => {
  it('creates a link with a code and utm, and counts its funnel', async () => {
    const res = await app.call('POST', '/api/console/campaigns', {
      token: reviewer.token,
      body: {
        kind: 'webinar',
        label: 'Devenir #APTIC — 3 décembre',
        territory: '87',
        startsAt: '2026-12-01',
        endsAt: '2026-12-31',
        utm: { source: 'webinaire', medium: 'visio' },
      },
    });
    expect(res.status).toBe(201);
    const code = res.body.campaign.code as string;
    expect(code).toMatch(/^[a-z0-9]{8}$/);
    expect(res.body.path).toBe(`/go/${code}?utm_source=webinaire&utm_medium=visio`);
    expect((await app.deps.store.campaigns.get(code))?.territory).toBe('87');
    await countCampaignEvent(app.deps, code, 'visits');
    await countCampaignEvent(app.deps, code, 'visits');
    await countCampaignEvent(app.deps, code, 'conversations');
    await seedApplication(app.deps, { campaignCode: code });
    await seedApplication(app.deps, { campaignCode: code, stage: 'qualified' });
    const list = await app.call('GET', '/api/console/campaigns', { token: reviewer.token });
    const row = list.body.campaigns.find((c: { code: string }) => c.code === code);
    expect(row.funnel).toEqual({ visits: 2, conversations: 1, applications: 2, qualified: 1 });
    const dup = await app.call('POST', '/api/console/campaigns', {
      token: reviewer.token,
      body: { code, kind: 'hub', label: 'Hub' },
    });
    expect(dup.status).toBe(409);
    const bad = await app.call('POST', '/api/console/campaigns', {
      token: reviewer.token,
      body: { kind: 'network', label: 'Sans réseau' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('coverage', () => {
  it('counts qualified, in progress and waitlisted per département', async () => {
    await seedApplication(app.deps, { stage: 'waitlisted', departements: ['23'], phase: 2 });
    await seedApplication(app.deps, { stage: 'staff_review', departements: ['23'] });
    const res = await app.call('GET', '/api/console/coverage', { token: reviewer.token });
    expect(res.status).toBe(200);
    const creuse = res.body.departements.find((d: { departement: string }) => d.departement === '23');
    expect(creuse).toMatchObject({ nom: 'Creuse', waitlisted: 1, inProgress: 1, qualified: 0 });
    const hv = res.body.departements.find((d: { departement: string }) => d.departement === '87');
    expect(hv.qualified).toBeGreaterThanOrEqual(1);
    expect(hv).toMatchObject({ cap: 10, admitted: 0 });
  });
});

describe('assignment and comments', () => {
  it('assigns to me or to a colleague, and records both in the history', async () => {
    const { app: a, taskId } = await seedApplication(app.deps);
    const mine = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: reviewer.token,
      body: { assignee: 'me' },
    });
    expect(mine.body).toEqual({ taskId, assignee: reviewer.email });
    const filtered = await app.call('GET', `/api/console/tasks?assignee=${encodeURIComponent(reviewer.email)}`, {
      token: reviewer.token,
    });
    expect(filtered.body.tasks.map((t: { taskId: string }) => t.taskId)).toContain(taskId);
    const other = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: reviewer.token,
      body: { assignee: admin.email },
    });
    expect(other.body.assignee).toBe(admin.email);
    const unknown = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: reviewer.token,
      body: { assignee: 'ghost@aptic.test' },
    });
    expect(unknown.status).toBe(400);
    // Its own French message (it used to get ValidationError's generic one), and the field it is about.
    expect(unknown.body).toMatchObject({
      error: 'validation_error',
      message: "Ce membre de l'équipe n'existe pas.",
      fields: [{ path: 'assignee' }],
    });
    const comment = await app.call('POST', `/api/console/applications/${a.id}/comments`, {
      token: reviewer.token,
      body: { comment: 'Horaires à vérifier avec la structure.' },
    });
    expect(comment.status).toBe(201);
    const tooLong = await app.call('POST', `/api/console/applications/${a.id}/comments`, {
      token: reviewer.token,
      body: { comment: 'x'.repeat(4001) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.fields[0].message).toMatch(/4 000/);
    const view = await app.call('GET', `/api/console/applications/${a.id}`, { token: reviewer.token });
    const staffEvents = view.body.history.filter((e: { actor: { kind: string } }) => e.actor.kind === 'staff');
    expect(staffEvents.map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id])).toEqual([
      ['assigned', reviewer.email],
      ['assigned', reviewer.email],
      ['comment', reviewer.email],
    ]);
    expect(view.body.openTask).toMatchObject({ taskId, assignee: admin.email, decidable: true });
    expect(JSON.stringify(view.body)).not.toContain('fake-token');
  });
});
