import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_OUTBOX, sendOverdueDigest } from '../../../shared/usecases/digest.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// The console as a team's tool (issue 13): labels, due dates and the overdue filter, the daily digest with a moved
// clock, audited assignment, the closed applications and their CSV export. Lite runtime, real HTTP server.
const DAY = 86_400_000;
let app: ConsoleApp;
let reviewer: { email: string; token: string };
let admin: { email: string; token: string };
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const seeded: Record<string, { id: string; taskId: string | null }> = {};

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  reviewer = await app.staff('reviewer');
  admin = await app.staff('admin');
  const seed = async (key: string, o: Parameters<typeof seedApplication>[1]) => {
    const r = await seedApplication(app.deps, { siret: makeSiret(40), ...o });
    seeded[key] = { id: r.app.id, taskId: r.taskId };
  };
  // staff_review is due after 5 days, final_approval after 3 (aptic-config.json, console.dueDays).
  await seed('late', { nom: 'Atelier En Retard', stage: 'staff_review', openedAt: ago(10) });
  await seed('soon', { nom: 'Fabrique Bientôt', stage: 'final_approval', openedAt: ago(1) });
  await seed('later', { nom: 'Clic Plus Tard', stage: 'staff_review', openedAt: ago(2) });
  await seed('fresh', { nom: 'Tiers-lieu Tout Neuf', stage: 'staff_review', openedAt: ago(0) });
  await seed('qualified', { nom: 'Qualifiée de Limoges', stage: 'qualified', publish: false });
  await seed('rejected', {
    nom: '=HYPERLINK("http://x")',
    stage: 'rejected',
    departements: ['23'],
    lieu: { code_postal: '23000', commune: 'Guéret' },
  });
});
afterAll(() => app?.close());

const ours = (tasks: { applicationId: string }[]) =>
  tasks.map((t) => t.applicationId).filter((id) => Object.values(seeded).some((s) => s.id === id));
const key = (id: string) => Object.entries(seeded).find(([, s]) => s.id === id)?.[0];

describe('labels', () => {
  it('GET /api/labels answers the French labels without a session', async () => {
    const res = await app.call('GET', '/api/labels');
    expect(res.status).toBe(200);
    expect(res.body.flags.opening_hours_unparsed).toBe('Horaires non lus automatiquement');
    expect(res.body.statuses.eligible_now).toBe('Éligible maintenant');
    expect(res.body.statuses.pending_confirmation).toBe('En attente de confirmation');
    expect(res.body.fields.siret_deja_utilise).toBe('SIRET déjà utilisé pour une demande');
    expect(res.body.stages.final_approval).toBe('Validation finale');
    expect(res.body.findings.network_membership_not_found).toMatch(/réseau/);
  });
});

describe('due dates in the inbox', () => {
  it('each task carries its due date, overdue flag, name, commune and reference', async () => {
    const res = await app.call('GET', '/api/console/tasks?limit=200', { token: reviewer.token });
    expect(res.status).toBe(200);
    const late = res.body.tasks.find((t: any) => t.applicationId === seeded.late!.id);
    expect(late).toMatchObject({
      nom: 'Atelier En Retard',
      commune: 'Limoges',
      reference: seeded.late!.id.slice(0, 8),
      overdue: true,
    });
    expect(Date.parse(late.dueAt) - Date.parse(late.openedAt)).toBe(5 * DAY);
    const soon = res.body.tasks.find((t: any) => t.applicationId === seeded.soon!.id);
    expect(soon.overdue).toBe(false);
  });

  it('sort=due orders by due date across steps, page by page; overdue=1 keeps the late ones only', async () => {
    const order: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/api/console/tasks?sort=due&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.call('GET', q, { token: reviewer.token });
      expect(res.status).toBe(200);
      order.push(...ours(res.body.tasks));
      cursor = res.body.next;
    } while (cursor);
    // late: due 5 days ago; soon: in 2 days; later: in 3 days; fresh: in 5 days.
    expect(order.map(key)).toEqual(['late', 'soon', 'later', 'fresh']);

    const overdue = await app.call('GET', '/api/console/tasks?overdue=1', { token: reviewer.token });
    expect(ours(overdue.body.tasks).map(key)).toEqual(['late']);
    const overdueReview = await app.call('GET', '/api/console/tasks?overdue=1&step=final_approval', {
      token: reviewer.token,
    });
    expect(ours(overdueReview.body.tasks)).toEqual([]);
    expect((await app.call('GET', '/api/console/tasks?overdue=maybe', { token: reviewer.token })).status).toBe(400);
  });
});

describe('assignment is audited', () => {
  it('assign, then reassign: history and audit trail name who moved the step from whom to whom', async () => {
    const taskId = seeded.late!.taskId!;
    const first = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: reviewer.token,
      body: { assignee: 'me' },
    });
    expect(first.status).toBe(200);
    const second = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: admin.token,
      body: { assignee: reviewer.email },
    });
    expect(second.status).toBe(200);
    const again = await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: admin.token,
      body: { assignee: admin.email },
    });
    expect(again.status).toBe(200);
    const trail = await app.deps.store.audit.list({ entity: `application:${seeded.late!.id}` });
    const moves = trail.map((c) => ({ what: c.what, who: c.who, from: c.data?.from, to: c.data?.to })).reverse();
    expect(moves).toEqual([
      { what: 'task.assign', who: reviewer.email, from: null, to: reviewer.email },
      { what: 'task.reassign', who: admin.email, from: reviewer.email, to: reviewer.email },
      { what: 'task.reassign', who: admin.email, from: reviewer.email, to: admin.email },
    ]);
    // Back to the reviewer for the digest below.
    await app.call('POST', `/api/console/tasks/${taskId}/assign`, {
      token: admin.token,
      body: { assignee: reviewer.email },
    });
  });
});

describe('daily digest of overdue steps (moved clock)', () => {
  const at = (iso: string): Deps => ({ ...app.deps, clock: () => new Date(iso) });
  // Four days on, 07:00 UTC (after console.digestHourUtc = 6): late, soon and later are overdue, fresh is not.
  const day = new Date(Math.floor((Date.now() + 4 * DAY) / DAY) * DAY);
  const moved = new Date(day.getTime() + 7 * 3_600_000).toISOString();
  const dayKey = moved.slice(0, 10);

  it('before the digest hour, nothing is sent', async () => {
    const early = new Date(day.getTime() + 5 * 3_600_000).toISOString();
    expect(await sendOverdueDigest(at(early))).toEqual({ sent: 0, overdue: 0, skipped: 'before_hour' });
  });

  it('the assignee gets their overdue steps, each admin all of them; once a day', async () => {
    const result = await sendOverdueDigest(at(moved));
    expect(result.overdue).toBeGreaterThanOrEqual(3);
    const mine = await app.deps.store.outbox.get(DIGEST_OUTBOX, `${dayKey}#${reviewer.email}`);
    expect(mine).not.toBeNull();
    expect(mine!.to).toBe(reviewer.email);
    expect(mine!.subject).toMatch(/^#APTIC : 1 étape en retard/);
    expect(mine!.text).toContain('Atelier En Retard');
    expect(mine!.text).toContain(`réf. ${seeded.late!.id.slice(0, 8)}`);
    expect(mine!.text).toContain("Examen par l'équipe");
    const opened = Date.parse((await app.deps.store.tasks.get(seeded.late!.taskId!))!.openedAt);
    const late = Math.floor((Date.parse(moved) - opened - 5 * DAY) / DAY);
    expect(mine!.text).toContain(`en retard de ${late} jours`);
    expect(mine!.text).toContain(`/console/application.html?id=${seeded.late!.id}`);
    expect(mine!.text).not.toContain('Fabrique Bientôt');

    const theirs = await app.deps.store.outbox.get(DIGEST_OUTBOX, `${dayKey}#${admin.email}`);
    expect(theirs).not.toBeNull();
    for (const name of ['Atelier En Retard', 'Fabrique Bientôt', 'Clic Plus Tard'])
      expect(theirs!.text).toContain(name);
    expect(theirs!.text).not.toContain('Tiers-lieu Tout Neuf');
    expect(theirs!.text).toContain(`assignée à ${reviewer.email}`);
    expect(theirs!.text).toContain('non assignée');
    expect(theirs!.text).toContain('Validation finale');

    // A later run of the same day sends nothing twice.
    const rerun = await sendOverdueDigest(at(new Date(Date.parse(moved) + 3 * 3_600_000).toISOString()));
    expect(rerun.sent).toBe(0);
  });
});

describe('closed applications', () => {
  it('lists terminal stages, most recent first, filtered by stage, département and dates', async () => {
    const all = await app.call('GET', '/api/console/closed', { token: reviewer.token });
    expect(all.status).toBe(200);
    expect(all.body.applications.map((a: any) => key(a.applicationId))).toEqual(['rejected', 'qualified']);
    expect(all.body.applications[1]).toMatchObject({
      nom: 'Qualifiée de Limoges',
      commune: 'Limoges',
      stage: 'qualified',
      reference: seeded.qualified!.id.slice(0, 8),
    });
    const q = await app.call('GET', '/api/console/closed?stage=qualified,expired', { token: reviewer.token });
    expect(q.body.applications.map((a: any) => key(a.applicationId))).toEqual(['qualified']);
    const dep = await app.call('GET', '/api/console/closed?departement=23', { token: reviewer.token });
    expect(dep.body.applications.map((a: any) => key(a.applicationId))).toEqual(['rejected']);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + DAY).toISOString().slice(0, 10);
    const dated = await app.call('GET', `/api/console/closed?from=${today}&to=${today}`, { token: reviewer.token });
    expect(dated.body.applications).toHaveLength(2);
    const future = await app.call('GET', `/api/console/closed?from=${tomorrow}`, { token: reviewer.token });
    expect(future.body.applications).toEqual([]);
    const paged = await app.call('GET', '/api/console/closed?limit=1', { token: reviewer.token });
    expect(paged.body.applications).toHaveLength(1);
    const rest = await app.call('GET', `/api/console/closed?limit=1&cursor=${paged.body.next}`, {
      token: reviewer.token,
    });
    expect(rest.body.applications.map((a: any) => key(a.applicationId))).toEqual(['qualified']);
    expect((await app.call('GET', '/api/console/closed?stage=staff_review', { token: reviewer.token })).status).toBe(
      400,
    );
    expect((await app.call('GET', '/api/console/closed')).status).toBe(401);
  });

  it('exports the current filter as CSV with formula-like cells neutralised', async () => {
    const res = await app.call('GET', '/api/console/closed.csv?departement=23', { token: reviewer.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('reference,id,nom,siret,commune,etape,etape_code,parcours,phase,departements,close_le');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain('Refusée,rejected');
    expect((await app.call('GET', '/api/console/closed.csv')).status).toBe(401);
  });
});

describe('campaign links can be edited, paused and ended', () => {
  it('a chosen code; pause stops the link carrying its context; end closes it; every change audited', async () => {
    const created = await app.call('POST', '/api/console/campaigns', {
      token: reviewer.token,
      body: { kind: 'webinar', label: 'Webinaire de décembre', code: 'webinaire-decembre' },
    });
    expect(created.status).toBe(201);
    expect(created.body.path).toBe('/go/webinaire-decembre');
    const { findCampaign } = await import('../../../shared/usecases/evaluate.js');
    expect(await findCampaign(app.deps, 'webinaire-decembre')).not.toBeNull();
    const put = (body: unknown) =>
      app.call('PUT', '/api/console/campaigns/webinaire-decembre', { token: reviewer.token, body });
    const renamed = await put({ label: 'Webinaire du 8 décembre', endsAt: '2099-12-31' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.campaign).toMatchObject({
      label: 'Webinaire du 8 décembre',
      endsAt: '2099-12-31T23:59:59.999Z',
    });
    expect((await put({ action: 'pause' })).body.campaign.paused).toBe(true);
    expect(await findCampaign(app.deps, 'webinaire-decembre')).toBeNull();
    expect((await put({ action: 'resume' })).body.campaign.paused).toBe(false);
    expect(await findCampaign(app.deps, 'webinaire-decembre')).not.toBeNull();
    await put({ action: 'end' });
    expect(await findCampaign(app.deps, 'webinaire-decembre')).toBeNull();
    expect((await put({ action: 'stop' })).status).toBe(400);
    expect(
      (
        await app.call('PUT', '/api/console/campaigns/inconnu-xyz', {
          token: reviewer.token,
          body: { action: 'pause' },
        })
      ).status,
    ).toBe(404);
    const trail = await app.deps.store.audit.list({ entity: 'campaign:webinaire-decembre' });
    expect(trail.filter((c) => c.what === 'campaign.update')).toHaveLength(4);
  });
});
