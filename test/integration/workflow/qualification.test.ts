import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

/**
 * The qualification path end to end on the local runtime: the state machine synthesized from the CDK stack, run by
 * the local engine, reached through the real SDK clients, with DynamoDB on dynalite in memory.
 */
let app: LocalApp;
let n = 1000;
const nextSiret = () => siretFor(n++);

beforeAll(async () => {
  app = await startLocalApp();
});
afterAll(async () => {
  await app?.close();
});

async function submit(doc = validApplication({ siret: nextSiret() })) {
  const res = await app.call('POST', '/api/applications', doc);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; actorToken: string; status: string };
}

async function decide(applicationId: string, step: string, decision: string, comment?: string) {
  const task = await app.taskFor(applicationId, step);
  const res = await app.call(
    'POST',
    `/api/console/tasks/${task.taskId}/decision`,
    { decision, comment },
    await app.staffToken(step),
  );
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return task;
}

function execution(id: string) {
  return app.rt.engine.describeExecution(`arn:aws:states:eu-west-3:000000000000:execution:aptic-qualification:${id}`);
}

describe('qualification workflow on the local runtime', () => {
  it('takes a free-route phase-1 actor from submission to qualified', async () => {
    const { id, actorToken, status } = await submit();
    expect(status).toBe('eligible_now');
    await app.waitForStage(id, 'staff_review');
    await decide(id, 'staff_review', 'approve');
    await app.waitForStage(id, 'actor_commitments');
    const c = await app.call(
      'POST',
      `/api/applications/${id}/commitments`,
      { charte: true, cgu: true, abonnement: 'oui' },
      actorToken,
    );
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    // The final approval waits for the bank details, entered by the actor and validated by an admin.
    await app.bankDetails(id, actorToken);
    await app.waitForStage(id, 'final_approval');
    await decide(id, 'final_approval', 'approve');
    const done = await app.waitForStage(id, 'qualified');

    // The actor sees its own application, with the messages kept for the chat. The « qualifié·e » message is written
    // by Notify, the Task after Qualify: wait for it rather than race the stage.
    const view = await app.call('GET', `/api/applications/${id}`, undefined, actorToken);
    expect(view.status).toBe(200);
    expect(view.body.stage).toBe('qualified');
    await expect
      .poll(
        async () =>
          (await app.call('GET', `/api/applications/${id}`, undefined, actorToken)).body.messages.map(
            (m: any) => m.stage,
          ),
        { timeout: 15_000 },
      )
      .toEqual(expect.arrayContaining(['staff_review', 'actor_commitments', 'final_approval', 'qualified']));
    const types = done.history.map((e: any) => e.type);
    expect(types[0]).toBe('submitted');
    expect(types).toContain('decision_approve');
    await expect.poll(() => execution(id).status).toBe('SUCCEEDED');
    const places = await app.rt.deps.store.places.list({ departement: '87' });
    expect(places.some((p) => p.applicationId === id)).toBe(true);
  }, 60_000);

  it('records a rejection with the staff comment', async () => {
    const { id, actorToken } = await submit();
    await app.waitForStage(id, 'staff_review');
    await decide(id, 'staff_review', 'reject', 'Activité hors du champ de la médiation numérique.');
    const done = await app.waitForStage(id, 'rejected');
    expect(done.history.find((e: any) => e.type === 'decision_reject')?.comment).toContain('hors du champ');
    await expect.poll(() => execution(id).status).toBe('SUCCEEDED');
    const late = await app.call(
      'POST',
      `/api/applications/${id}/commitments`,
      { charte: true, cgu: true, abonnement: 'oui' },
      actorToken,
    );
    expect(late.status).toBe(409);
  });

  it('loops back to the actor when changes are requested, then on to review again', async () => {
    const doc = validApplication({ siret: nextSiret() });
    const { id, actorToken } = await submit(doc);
    await app.waitForStage(id, 'staff_review');
    // PUT is refused while no change was asked.
    expect((await app.call('PUT', `/api/applications/${id}`, doc, actorToken)).status).toBe(409);
    await decide(id, 'staff_review', 'request_changes', 'Merci de préciser les horaires du lieu.');
    await app.waitForStage(id, 'changes_requested');
    const corrected = structuredClone(doc);
    corrected.lieux[0].horaires = 'Mo-Sa 09:00-18:00';
    const put = await app.call('PUT', `/api/applications/${id}`, corrected, actorToken);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const again = await app.waitForStage(id, 'staff_review');
    expect(again.round).toBe(2);
    await decide(id, 'staff_review', 'approve');
    await app.waitForStage(id, 'actor_commitments');
    // A second PUT after the loop closed is refused.
    expect((await app.call('PUT', `/api/applications/${id}`, corrected, actorToken)).status).toBe(409);
  });

  it('waitlists a phase-3 actor (home visits) and records the interest', async () => {
    const doc = validApplication({ siret: nextSiret() });
    doc.activite.lieux_d_intervention = ['domicile'];
    doc.lieux = [];
    const { id, status } = await submit(doc);
    expect(status).toBe('eligible_waitlist');
    const view = await app.waitForStage(id, 'waitlisted');
    expect(view.phase).toBe(3);
    const task = await app.taskFor(id, 'waitlisted');
    expect(task.taskId).toMatch(/^[0-9a-f]{20}$/);
  });

  it('ends a not-eligible application with its reasons and frees the SIRET', async () => {
    const siret = nextSiret();
    const doc = validApplication({ siret });
    doc.structure.compte_bancaire = false;
    const { id, status } = await submit(doc);
    expect(status).toBe('not_eligible_yet');
    const view = await app.waitForStage(id, 'not_eligible');
    expect(view.reasons.map((r: any) => r.code)).toContain('no_bank_account');
    // The corrected application with the same SIRET is accepted.
    const fixed = validApplication({ siret });
    await expect
      .poll(async () => (await app.call('POST', '/api/applications', fixed)).status, { timeout: 5000 })
      .toBe(201);
  });

  it('refuses a duplicate SIRET with 409 and starts a single execution', async () => {
    const siret = nextSiret();
    const [a, b] = await Promise.all([
      app.call('POST', '/api/applications', validApplication({ siret })),
      app.call('POST', '/api/applications', validApplication({ siret })),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error).toBe('siret_already_used');
    const winner = a.status === 201 ? a : b;
    const names = app.rt.engine.listExecutions({}).executions.map((e) => e.name);
    expect(names.filter((name) => name === winner.body.id)).toHaveLength(1);
    expect(app.rt.engine.listExecutions({}).executions.length).toBe(names.length);
  });

  it('lets the first of two concurrent decisions win; the second gets 409 with who and when', async () => {
    const { id } = await submit();
    await app.waitForStage(id, 'staff_review');
    const task = await app.taskFor(id, 'staff_review');
    const token = await app.staffToken();
    const [a, b] = await Promise.all([
      app.call('POST', `/api/console/tasks/${task.taskId}/decision`, { decision: 'approve' }, token),
      app.call(
        'POST',
        `/api/console/tasks/${task.taskId}/decision`,
        { decision: 'reject', comment: 'Doublon.' },
        token,
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error).toBe('task_already_decided');
    expect(loser.body.by).toBeTruthy();
    expect(loser.body.at).toBeTruthy();
    // A replay of the same decision later is refused too.
    const replay = await app.call('POST', `/api/console/tasks/${task.taskId}/decision`, { decision: 'approve' }, token);
    expect(replay.status).toBe(409);
  });

  it('takes one of two concurrent corrected documents and moves the round once', async () => {
    const doc = validApplication({ siret: nextSiret() });
    const { id, actorToken } = await submit(doc);
    await app.waitForStage(id, 'staff_review');
    await decide(id, 'staff_review', 'request_changes', 'Merci de compléter.');
    // As soon as the task exists (the stage may still be moving): the task is what opens the step.
    await app.taskFor(id, 'changes_requested');
    const [a, b] = await Promise.all([
      app.call('PUT', `/api/applications/${id}`, doc, actorToken),
      app.call('PUT', `/api/applications/${id}`, doc, actorToken),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const again = await app.waitForStage(id, 'staff_review');
    expect(again.round).toBe(2);
  });
});

describe('local outbox', () => {
  it('lets staff read the messages sent to actors, and nobody else', async () => {
    const { id, actorToken } = await submit();
    await app.waitForStage(id, 'staff_review');
    const staff = await app.staffToken();
    const res = await app.call('GET', '/api/console/outbox?limit=200', undefined, staff);
    expect(res.status).toBe(200);
    const mine = res.body.messages.filter((m: { applicationId: string }) => m.applicationId === id);
    expect(mine.map((m: { stage: string }) => m.stage)).toContain('staff_review');
    expect(mine[0]).toMatchObject({ channel: 'outbox', delivered: false, to: 'claire.martin@clic-solidaire.fr' });
    expect((await app.call('GET', '/api/console/outbox', undefined, actorToken)).status).toBe(403);
    expect((await app.call('GET', '/api/console/outbox')).status).toBe(401);
  });
});
