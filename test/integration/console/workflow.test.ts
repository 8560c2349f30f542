import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTableSchema, NATIONAL_SCHEMA_PATH, validateRows } from '../../helpers/table-schema.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

/** The whole local runtime: dynalite, the state machine from the CDK stack, the HTTP server. */
let app: ConsoleApp;
let ana: { email: string; token: string };
let bob: { email: string; token: string };
let admin: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp();
  ana = await app.staff('reviewer', 'ana@aptic.test');
  bob = await app.staff('reviewer', 'bob@aptic.test');
  admin = await app.staff('admin', 'admin@aptic.test');
});
afterAll(() => app?.close());

describe('decisions through the workflow', () => {
  it('two concurrent decisions: one 200, one 409 that says who decided and when', async () => {
    const { id } = await app.submit({ nom: 'Concurrence' });
    const { taskId } = await app.waitForTask(id, 'staff_review');
    const [a, b] = await Promise.all([
      app.call('POST', `/api/console/tasks/${taskId}/decision`, { token: ana.token, body: { decision: 'approve' } }),
      app.call('POST', `/api/console/tasks/${taskId}/decision`, {
        token: bob.token,
        body: { decision: 'reject', comment: 'Doublon.' },
      }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [ana, b] : [bob, a];
    expect(loser.body).toMatchObject({ error: 'task_already_decided', by: winner.email, at: expect.any(String) });
    expect(loser.body.message).toContain(winner.email);
    const view = await app.call('GET', `/api/console/applications/${id}`, { token: admin.token });
    const decisions = view.body.history.filter((e: { type: string }) => e.type.startsWith('decision_'));
    expect(decisions).toHaveLength(1);
    expect(decisions[0].actor).toEqual({ kind: 'staff', id: winner.email });
  });

  it('approve → actor commitments → final approval → qualified, and the place is in the open data', async () => {
    const { id, actorToken } = await app.submit({
      nom: 'Parcours complet',
      lieu: {
        nom: 'Espace numérique du Vigenal',
        adresse: '3 rue de Nantes',
        code_postal: '87100',
        commune: 'Limoges',
      },
    });
    const review = await app.waitForTask(id, 'staff_review');
    const inbox = await app.call('GET', '/api/console/tasks?step=staff_review&departement=87', { token: ana.token });
    expect(inbox.body.tasks.map((t: { taskId: string }) => t.taskId)).toContain(review.taskId);
    expect(
      (
        await app.call('POST', `/api/console/tasks/${review.taskId}/decision`, {
          token: ana.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(200);
    await app.waitForTask(id, 'actor_commitments');
    const commit = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    expect(commit.status).toBe(200);
    await app.bankDetails(id, actorToken);
    const final = await app.waitForTask(id, 'final_approval');
    const view = await app.call('GET', `/api/console/applications/${id}`, { token: bob.token });
    expect(view.body.openTask).toMatchObject({ taskId: final.taskId, step: 'final_approval', decidable: true });
    expect(
      (
        await app.call('POST', `/api/console/tasks/${final.taskId}/decision`, {
          token: bob.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(200);
    await app.waitForStage(id, 'qualified');
    const lieux = await app.call('GET', '/api/lieux');
    const row = lieux.body.find((r: { nom: string }) => r.nom === 'Espace numérique du Vigenal');
    expect(row).toMatchObject({ commune: 'Limoges', code_postal: '87100', structure_parente: 'Parcours complet' });
    expect(validateRows(loadTableSchema(NATIONAL_SCHEMA_PATH), lieux.body)).toEqual([]);
  });

  it('request_changes and reject need a comment', async () => {
    const { id } = await app.submit({ nom: 'Sans commentaire' });
    const { taskId } = await app.waitForTask(id, 'staff_review');
    const res = await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
      token: ana.token,
      body: { decision: 'request_changes' },
    });
    expect(res.status).toBe(400);
  });

  it('an unknown task answers 404 with its own French message', async () => {
    const res = await app.call('POST', '/api/console/tasks/no-such-task/decision', {
      token: ana.token,
      body: { decision: 'approve' },
    });
    // It used to get NotFoundError's generic « Ressource introuvable. ».
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', message: 'Tâche introuvable.' });
  });
});

describe('waitlist release (admin)', () => {
  it('opening phase 2 then releasing moves the waitlisted actor on to staff review', async () => {
    const { id, status } = await app.submit({ nom: 'Lieux tiers', lieux_d_intervention: ['lieux_tiers'] });
    expect(status).toBe('eligible_waitlist');
    const waiting = await app.waitForTask(id, 'waitlisted');
    const closed = await app.call('POST', '/api/console/waitlist/release', {
      token: admin.token,
      body: { dryRun: true },
    });
    expect(closed.body.released).toEqual([]);
    expect(closed.body.skipped).toContainEqual({ taskId: waiting.taskId, applicationId: id, reason: 'phase 2 fermée' });
    const cfg = await app.call('GET', '/api/console/config', { token: admin.token });
    const opened = await app.call('PUT', '/api/console/config', {
      token: admin.token,
      body: { version: cfg.body.version, set: { phasesOpen: [1, 2] } },
    });
    expect(opened.status).toBe(200);
    expect((await app.call('POST', '/api/console/waitlist/release', { token: ana.token, body: {} })).status).toBe(403);
    const released = await app.call('POST', '/api/console/waitlist/release', { token: admin.token, body: {} });
    expect(released.body.released).toContainEqual({ taskId: waiting.taskId, applicationId: id });
    await app.waitForTask(id, 'staff_review');
    const changes = await app.call('GET', '/api/console/changes?entity=waitlist', { token: admin.token });
    expect(changes.body.changes[0]).toMatchObject({
      who: admin.email,
      what: 'waitlist.release',
      data: { released: 1 },
    });
    const view = await app.call('GET', `/api/console/applications/${id}`, { token: admin.token });
    expect(
      view.body.history.some(
        (e: { type: string; actor: { id?: string } }) => e.type === 'decision_approve' && e.actor.id === admin.email,
      ),
    ).toBe(true);
  });
});
