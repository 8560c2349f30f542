import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

/** Every route answers bad input with a 4xx and a reason, and the process keeps serving. */
let app: LocalApp;
beforeAll(async () => {
  app = await startLocalApp({ reminderIntervalMs: 0 });
});
afterAll(async () => {
  await app?.close();
});

describe('API contract and bad input', () => {
  it('answers /healthz', async () => {
    expect(await app.call('GET', '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('evaluates without storing anything', async () => {
    const res = await app.call('POST', '/api/eligibility', validApplication({ siret: siretFor(1) }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'eligible_now', phase: 1, route: 'libre', flags: [], reasons: [] });
    expect(await app.rt.deps.store.applications.getBySiret(siretFor(1))).toBeNull();
  });

  it('refuses malformed JSON, unknown fields and wrong SIRETs with French field errors', async () => {
    const bad = await app.call('POST', '/api/applications', '{"profil": "producteur",');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_json');

    const unknown = validApplication({ siret: siretFor(2) });
    unknown.structure.sirett = 'typo';
    const u = await app.call('POST', '/api/applications', unknown);
    expect(u.status).toBe(400);
    expect(u.body.fields.map((f: any) => f.path)).toContain('structure.sirett');
    expect(u.body.fields[0].message).toMatch(/[A-Za-zéè]/);

    const wrong = await app.call('POST', '/api/applications', validApplication({ siret: '12345678901234' }));
    expect(wrong.status).toBe(400);
    const siretError = wrong.body.fields.find((f: any) => f.path === 'structure.siret');
    expect(siretError.message).toMatch(/SIRET/);
    expect(await app.rt.deps.store.applications.getBySiret('12345678901234')).toBeNull();
  });

  it('refuses an oversized body with 413 and a body that is not JSON with 415', async () => {
    const huge = JSON.stringify({ ...validApplication(), pad: 'x'.repeat(200_000) });
    const res = await app.call('POST', '/api/applications', huge);
    expect(res.status).toBe(413);
    const text = await app.call('POST', '/api/eligibility', 'profil=producteur', undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(text.status).toBe(415);
  });

  it('answers a wrong method with 405 and Allow, an unknown path with 404', async () => {
    const res = await fetch(`${app.url}/api/applications`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('POST');
    expect((await app.call('GET', '/api/nothing-here')).status).toBe(404);
    expect((await app.call('GET', '/api/applications/not-a-uuid')).status).toBe(404);
  });

  it('keeps an actor to its own application', async () => {
    const a = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(3) }));
    const b = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(4) }));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect((await app.call('GET', `/api/applications/${b.body.id}`, undefined, a.body.actorToken)).status).toBe(403);
    expect((await app.call('GET', `/api/applications/${b.body.id}`)).status).toBe(401);
    const forged = `${a.body.actorToken.slice(0, -4)}AAAA`;
    expect((await app.call('GET', `/api/applications/${a.body.id}`, undefined, forged)).status).toBe(401);
    const commit = await app.call(
      'POST',
      `/api/applications/${b.body.id}/commitments`,
      { charte: true, cgu: true, abonnement: 'oui' },
      a.body.actorToken,
    );
    expect(commit.status).toBe(403);
    // Staff routes refuse an actor token.
    expect((await app.call('GET', '/api/console/tasks', undefined, a.body.actorToken)).status).toBe(403);
    expect((await app.call('GET', '/api/console/tasks')).status).toBe(401);
  });

  it('refuses commitments that are not all given, and decisions without a comment where one is required', async () => {
    const a = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(5) }));
    const refused = await app.call(
      'POST',
      `/api/applications/${a.body.id}/commitments`,
      { charte: false, cgu: true, abonnement: 'oui' },
      a.body.actorToken,
    );
    expect(refused.status).toBe(400);
    expect(refused.body.fields[0].message).toMatch(/Charte/);
    await app.waitForStage(a.body.id, 'staff_review');
    const task = await app.taskFor(a.body.id, 'staff_review');
    const staff = await app.staffToken();
    const noComment = await app.call(
      'POST',
      `/api/console/tasks/${task.taskId}/decision`,
      { decision: 'reject' },
      staff,
    );
    expect(noComment.status).toBe(400);
    const unknownTask = await app.call(
      'POST',
      '/api/console/tasks/0123456789abcdef0123/decision',
      { decision: 'approve' },
      staff,
    );
    expect(unknownTask.status).toBe(404);
    // Nothing changed: the task is still open.
    expect((await app.taskFor(a.body.id, 'staff_review')).taskId).toBe(task.taskId);
  });

  it('never leaks a task token through the inbox', async () => {
    const staff = await app.staffToken();
    const res = await app.call('GET', '/api/console/tasks', undefined, staff);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/token/i);
  });
});
