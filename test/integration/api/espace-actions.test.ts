// The actor space's actions over HTTP (docs/actor.md « The actor space »): the actor view carries the document, the
// open step with its due date and the staff's change request; a corrected document goes back to review (field errors
// in French); commitments record versions, time and channel and the Kit subscription; billing lists it (JSON, CSV).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleApp, startConsoleApp } from '../console/harness.js';

let app: ConsoleApp;
beforeAll(async () => {
  app = await startConsoleApp();
}, 60_000);
afterAll(() => app?.close());

async function decide(id: string, step: string, body: Record<string, unknown>) {
  const staff = await app.staff('reviewer');
  const { taskId } = await app.waitForTask(id, step);
  const res = await app.call('POST', `/api/console/tasks/${taskId}/decision`, { token: staff.token, body });
  expect(res.status, res.text).toBe(200);
}

describe('the actor space actions', () => {
  it('shows the change request and the document, takes a corrected document, records the commitments', async () => {
    // Prepare: a structure named like a formula (the CSV export must neutralise it), staff ask for changes.
    const { id, actorToken } = await app.submit({ nom: '=HYPERLINK("x") Clic' });
    await decide(id, 'staff_review', { decision: 'request_changes', comment: 'Précisez les horaires du lieu.' });
    await app.waitForStage(id, 'changes_requested');

    // Act + Assess: the actor's view.
    const view = await app.call('GET', `/api/applications/${id}`, { token: actorToken });
    expect(view.status).toBe(200);
    expect(view.body.changeRequest).toEqual({ at: expect.any(String), comment: 'Précisez les horaires du lieu.' });
    expect(view.body.expected).toMatchObject({ step: 'changes_requested', by: 'actor' });
    const { since, dueAt } = view.body.expected;
    expect(Date.parse(dueAt) - Date.parse(since)).toBe(30 * 86_400_000);
    expect(view.body.document.structure.nom).toBe('=HYPERLINK("x") Clic');
    expect(view.body.commitmentTerms.charte).toEqual({
      version: '2024-01',
      title: 'Charte #APTIC',
      url: 'https://www.aptic.fr/charte',
    });
    expect(view.body).not.toHaveProperty('campaign');

    // A broken field: 400 with the field's path and a French message, nothing changes.
    const broken = structuredClone(view.body.document);
    broken.lieux[0].code_postal = '8728';
    const bad = await app.call('PUT', `/api/applications/${id}`, { token: actorToken, body: broken });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: any) => f.path)).toContain('lieux.0.code_postal');
    expect(bad.body.fields.find((f: any) => f.path === 'lieux.0.code_postal').message).toMatch(/postal/i);

    const fixed = structuredClone(view.body.document);
    fixed.lieux[0].horaires = 'Mo-Sa 09:00-18:00';
    const put = await app.call('PUT', `/api/applications/${id}`, { token: actorToken, body: fixed });
    expect(put.status, put.text).toBe(200);
    await decide(id, 'staff_review', { decision: 'approve' });
    await app.waitForStage(id, 'actor_commitments');

    // An outdated version is refused (the client must show the text in force); the original body still works.
    const old = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui', versions: { charte: '2019-01' } },
    });
    expect(old.status).toBe(409);
    expect(old.body).toMatchObject({ error: 'commitment_version_outdated', document: 'charte', version: '2024-01' });
    const signed = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: {
        charte: true,
        cgu: true,
        abonnement: 'oui',
        versions: { charte: '2024-01', cgu: '2024-01' },
        canal: 'espace',
      },
    });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body.commitments).toMatchObject({
      charte: { version: '2024-01' },
      cgu: { version: '2024-01' },
      channel: 'espace',
      kit: { priceHtEur: 77, period: 'an' },
    });
    const after = await app.call('GET', `/api/applications/${id}`, { token: actorToken });
    expect(after.body.commitments.channel).toBe('espace');

    // Billing: pending until qualification, then active from the qualification date.
    const staff = await app.staff('reviewer');
    const pending = await app.call('GET', '/api/console/subscriptions', { token: staff.token });
    expect(pending.status).toBe(200);
    expect(pending.body.subscriptions.find((s: any) => s.applicationId === id)).toMatchObject({
      status: 'pending',
      startsAt: null,
      priceHtEur: 77,
      channel: 'espace',
    });
    await app.bankDetails(id, actorToken);
    await decide(id, 'final_approval', { decision: 'approve' });
    await app.waitForStage(id, 'qualified');
    const active = await app.call('GET', '/api/console/subscriptions', { token: staff.token });
    const row = active.body.subscriptions.find((s: any) => s.applicationId === id);
    expect(row).toMatchObject({
      status: 'active',
      stage: 'qualified',
      charteVersion: '2024-01',
      cguVersion: '2024-01',
    });
    expect(row.startsAt).toEqual(expect.any(String));

    const csv = await app.call('GET', '/api/console/subscriptions?format=csv', { token: staff.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'applicationId,structure,siret,stage,status,acceptedAt,channel,startsAt,priceHtEur,period,charteVersion,cguVersion',
    );
    const line = csv.text.split('\r\n').find((l) => l.startsWith(id))!;
    expect(line).toContain(`"'=HYPERLINK(""x"") Clic"`);
    expect(line).toContain(',77,an,');

    // Staff only.
    expect((await app.call('GET', '/api/console/subscriptions', { token: actorToken })).status).toBe(403);
    expect((await app.call('GET', '/api/console/subscriptions')).status).toBe(401);
  }, 120_000);

  it('records the chat as the channel when the chat signs', async () => {
    const { submitCommitments } = await import('../../../shared/usecases/actor-steps.js');
    const { id, actorToken } = await app.submit();
    await decide(id, 'staff_review', { decision: 'approve' });
    await app.waitForStage(id, 'actor_commitments');
    const { resolvePrincipal } = await import('../../../shared/usecases/principal.js');
    const principal = await resolvePrincipal(app.deps, actorToken);
    const r = await submitCommitments(app.deps, principal, id, { charte: true, cgu: true, abonnement: 'oui' }, 'chat');
    expect(r.commitments.channel).toBe('chat');
    expect((await app.deps.store.subscriptions.get(id))?.channel).toBe('chat');
  });
});
