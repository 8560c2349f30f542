import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../../shared/config/config.js';
import { applicationDocument, type ConsoleApp, makeSiret, startConsoleApp } from '../console/harness.js';

/**
 * The whole local runtime (dynalite, the state machine from the CDK stack, HTTP): a staff rejection and an erasure
 * through the real workflow give back the département slot; the SIRET follows its rule (held after a rejection,
 * freed by an erasure); the erased application's execution is stopped.
 */
let app: ConsoleApp;
let reviewer: { email: string; token: string };
let admin: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp({ config: parseConfig({ ...DEFAULT_CONFIG, volumeCaps: { '87': 50, '23': 50 } }) });
  reviewer = await app.staff('reviewer');
  admin = await app.staff('admin');
});
afterAll(() => app?.close());

const slots = (dep = '87') => app.deps.store.counters.get(dep);

async function resubmit(siret: string) {
  return app.call('POST', '/api/applications', { body: applicationDocument({ siret }) });
}

describe('endings through the workflow', () => {
  it('rejected by staff: slot given back at once, SIRET held until staff release it', async () => {
    const before = await slots();
    const siret = makeSiret(11);
    const { id } = await app.submit({ siret, nom: 'Refus workflow' });
    const { taskId } = await app.waitForTask(id, 'staff_review');
    expect(await slots()).toBe(before + 1);
    const decided = await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
      token: reviewer.token,
      body: { decision: 'reject', comment: 'Hors périmètre.' },
    });
    expect(decided.status).toBe(200);
    await app.waitForStage(id, 'rejected');
    await expect.poll(() => slots()).toBe(before);
    expect((await resubmit(siret)).status).toBe(409);
    const released = await app.call('POST', `/api/console/applications/${id}/release-siret`, {
      token: admin.token,
      body: {},
    });
    expect(released.body.siretReleased).toBe(true);
    expect((await resubmit(siret)).status).toBe(201);
  });

  it('erased while in staff review: execution stopped, task gone from the inbox, slot and SIRET given back', async () => {
    // Another département than the first test's (its last submission may still be taking a slot in 87).
    const before = await slots('23');
    const siret = makeSiret(12);
    const lieu = { adresse: '1 place Bonnyaud', code_postal: '23000', commune: 'Guéret' };
    const { id, actorToken } = await app.submit({ siret, nom: 'Effacement workflow', lieu });
    const { taskId } = await app.waitForTask(id, 'staff_review');
    expect(await slots('23')).toBe(before + 1);
    const res = await app.call('POST', `/api/applications/${id}/erasure`, { token: actorToken });
    expect(res.status).toBe(200);
    const executionArn = `${app.deps.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
    await expect
      .poll(async () => (await app.deps.sfn.send(new DescribeExecutionCommand({ executionArn }))).status)
      .toBe('ABORTED');
    expect((await app.deps.store.tasks.get(taskId))?.status).toBe('cancelled');
    expect(await slots('23')).toBe(before);
    const app2 = await app.deps.store.applications.get(id);
    expect(app2).toMatchObject({ stage: 'withdrawn', siret: null });
    expect((await resubmit(siret)).status).toBe(201);
  });
});
