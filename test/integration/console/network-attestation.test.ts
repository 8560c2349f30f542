import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationDocument, type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';

// The attestation branch of the state machine, on the whole local runtime (the ASL from the CDK stack): a listed
// member of a network in force goes from the evaluation to its commitments without a staff review, and the execution
// history shows the attestation; anyone else (a non-member, a member needing a human look) is reviewed by staff.
let app: ConsoleApp;
let admin: { email: string; token: string };
let reviewer: { email: string; token: string };
const member = makeSiret(41);
const arn = (id: string) => `arn:aws:states:eu-west-3:000000000000:execution:aptic-qualification:${id}`;

beforeAll(async () => {
  app = await startConsoleApp();
  admin = await app.staff('admin');
  reviewer = await app.staff('reviewer');
  const saved = await app.call('POST', '/api/console/networks', {
    token: admin.token,
    body: { name: 'Réseau Attestant', agreement: { signedAt: '2026-01-15', phases: [1, 2] } },
  });
  expect(saved.status).toBe(200);
  const imported = await app.call('POST', `/api/console/networks/${saved.body.network.id}/members`, {
    token: admin.token,
    raw: `siret;nom;code_postal;commune\n${member};Membre attesté;87280;Limoges`,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(imported.body).toMatchObject({ accepted: 1, rejected: [] });
});
afterAll(() => app?.close());

const submit = async (siret: string) => {
  const res = await app.call('POST', '/api/applications', {
    body: applicationDocument({ siret, extra: (doc) => (doc.contexte.reseau = 'Réseau Attestant') }),
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; actorToken: string; route: string };
};
const stateNames = (id: string) =>
  app
    .runtime!.engine.getExecutionHistory(arn(id))
    .events.filter((e: any) => e.type.endsWith('StateEntered'))
    .map((e: any) => e.stateEnteredEventDetails.name as string);

describe('the network attestation branch', () => {
  it('a listed member: the attestation instead of the staff review; the commitments and the final approval stay', async () => {
    const { id, actorToken, route } = await submit(member);
    expect(route).toBe('reseau');
    await app.waitForTask(id, 'actor_commitments');
    const tasks = await app.deps.store.tasks.list(id);
    expect(tasks.map((t) => t.step)).not.toContain('staff_review');

    const states = stateNames(id);
    expect(states).toEqual(expect.arrayContaining(['RouteReseau', 'NetworkAttestation', 'AttestationChoice']));
    expect(states).not.toContain('StaffReview');
    const attestation = app
      .runtime!.engine.getExecutionHistory(arn(id))
      .events.find((e: any) => e.type === 'TaskStateExited' && e.stateExitedEventDetails.name === 'NetworkAttestation');
    expect(JSON.parse((attestation as any).stateExitedEventDetails.output).attestation).toMatchObject({
      attested: true,
      networkId: 'reseau-attestant',
      networkName: 'Réseau Attestant',
      agreementSignedAt: '2026-01-15',
    });
    // The application's history (staff page) records who attested, and the stage it stood for.
    const view = await app.call('GET', `/api/console/applications/${id}`, { token: reviewer.token });
    const attested = view.body.history.find((e: { type: string }) => e.type === 'network_attested');
    expect(attested).toMatchObject({ actor: { kind: 'system' }, data: { networkId: 'reseau-attestant' } });
    expect(view.body.history.map((e: { stage?: string }) => e.stage)).toContain('network_attestation');

    const commit = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    expect(commit.status).toBe(200);
    // The final approval waits for validated bank details (commitments.bankDetailsRequired, on by default).
    await app.bankDetails(id, actorToken);
    const final = await app.waitForTask(id, 'final_approval');
    const approved = await app.call('POST', `/api/console/tasks/${final.taskId}/decision`, {
      token: reviewer.token,
      body: { decision: 'approve' },
    });
    expect(approved.status).toBe(200);
    await app.waitForStage(id, 'qualified');
  });

  it('a non-member goes through the staff review', async () => {
    const { id, route } = await submit(makeSiret(42));
    expect(route).not.toBe('reseau');
    await app.waitForTask(id, 'staff_review');
    const states = stateNames(id);
    expect(states).toContain('StaffReview');
    expect(states).not.toContain('NetworkAttestation');
  });
});
