import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { decideTask, StaleTaskError } from '../../../shared/usecases/decisions.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { sendReminders } from '../../../shared/usecases/reminders.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, STAFF, startLocalApp } from '../../helpers/local-app.js';
import { startConsoleApp } from '../console/harness.js';
import { seedApplication } from '../console/seed.js';

/**
 * A staff decision is a claim (conditional write), then its delivery to Step Functions, then its history event. A
 * crash between the claim and the delivery must not leave a history that says « approuvé » with the step open again:
 * after the restart the decision is delivered to the resumed execution and the application moves on.
 */
let app: LocalApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const staff = { kind: 'staff', email: STAFF.email, role: 'admin', sessionHash: 'test' } as const;

/** An SFN client that never answers: the process "dies" after the claim, before the decision reaches the engine. */
const frozenSfn = { send: () => new Promise(() => {}), destroy() {} } as unknown as SFNClient;

function decisionsOf(history: { type: string; stage?: string }[]) {
  return history.filter((e) => e.type.startsWith('decision_')).map((e) => `${e.stage}:${e.type}`);
}

describe('a crash between a decision’s claim and its delivery', () => {
  it('after a restart, the claimed decision is delivered: the application moves on, the history is true', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aptic-decision-crash-'));
    try {
      app = await startLocalApp({ dataDir, reminderIntervalMs: 0 });
      const res = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(41) }));
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      await app.waitForStage(id, 'staff_review');
      const { taskId } = await app.taskFor(id, 'staff_review');

      // The claim happens, the delivery never does.
      const crashing: Deps = { ...app.rt.deps, sfn: frozenSfn };
      void decideTask(crashing, staff, taskId, { decision: 'approve', comment: 'Dossier complet.' });
      await expect.poll(async () => (await app!.rt.deps.store.tasks.get(taskId))?.status).toBe('decided');
      // Nothing happened yet in the workflow, so the history says nothing of a decision.
      const before = await app.rt.deps.store.history.list(id);
      expect(decisionsOf(before)).toEqual([]);
      await app.close();
      app = null;

      app = await startLocalApp({ dataDir, reminderIntervalMs: 0 });
      expect(await app.rt.resumeUnfinished()).toBe(1);
      // The resumed execution receives the recorded decision and goes on to the actor's step.
      const view = await app.waitForStage(id, 'actor_commitments');
      expect(decisionsOf(view.history)).toEqual(['staff_review:decision_approve']);
      const decided = view.history.find((e: { type: string }) => e.type === 'decision_approve');
      expect(decided).toMatchObject({ actor: { kind: 'staff', id: STAFF.email }, comment: 'Dossier complet.' });
      // The staff step is not in the inbox again; the actor's step is.
      const inbox = await app.call('GET', '/api/console/tasks', undefined, await app.staffToken());
      const steps = inbox.body.tasks.filter((t: { applicationId: string }) => t.applicationId === id);
      expect(steps.map((t: { step: string }) => t.step)).toEqual(['actor_commitments']);
      const task = await app.rt.deps.store.tasks.get(taskId);
      expect(task).toMatchObject({ status: 'decided', decision: { decision: 'approve', by: STAFF.email } });
    } finally {
      await app?.close();
      app = null;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a rejection claimed before the crash is delivered too: the application ends rejected, recorded once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aptic-decision-crash-'));
    try {
      app = await startLocalApp({ dataDir, reminderIntervalMs: 0 });
      const res = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(42) }));
      const id = res.body.id as string;
      await app.waitForStage(id, 'staff_review');
      const { taskId } = await app.taskFor(id, 'staff_review');
      void decideTask({ ...app.rt.deps, sfn: frozenSfn }, staff, taskId, {
        decision: 'reject',
        comment: 'Hors champ.',
      });
      await expect.poll(async () => (await app!.rt.deps.store.tasks.get(taskId))?.status).toBe('decided');
      await app.close();
      app = null;

      app = await startLocalApp({ dataDir, reminderIntervalMs: 0 });
      await app.rt.resumeUnfinished();
      const view = await app.waitForStage(id, 'rejected');
      expect(decisionsOf(view.history)).toEqual(['staff_review:decision_reject']);
    } finally {
      await app?.close();
      app = null;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a decision claimed but never delivered, without a restart (as on AWS)', () => {
  it('the reminder job delivers it once it is older than workflow.redeliverAfterSeconds: the application moves on, recorded once', async () => {
    app = await startLocalApp({ reminderIntervalMs: 0 });
    const res = await app.call('POST', '/api/applications', validApplication({ siret: siretFor(43) }));
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await app.waitForStage(id, 'staff_review');
    const { taskId } = await app.taskFor(id, 'staff_review');

    // The function dies after the claim: the execution keeps waiting on the token, nothing else will deliver it.
    const dying: Deps = { ...app.rt.deps, sfn: frozenSfn };
    void decideTask(dying, staff, taskId, { decision: 'approve', comment: 'Dossier complet.' });
    await expect.poll(async () => (await app!.rt.deps.store.tasks.get(taskId))?.status).toBe('decided');

    // Too young: a live delivery may still be under way.
    expect((await sendReminders(app.rt.deps)).redelivered).toBe(0);
    const age = ((await app.rt.deps.config()).workflow.redeliverAfterSeconds + 1) * 1000;
    const later: Deps = { ...app.rt.deps, clock: () => new Date(Date.now() + age) };
    expect((await sendReminders(later)).redelivered).toBe(1);
    const view = await app.waitForStage(id, 'actor_commitments');
    expect(decisionsOf(view.history)).toEqual(['staff_review:decision_approve']);
    expect(await app.rt.deps.store.tasks.get(taskId)).toMatchObject({ delivery: { outcome: 'delivered' } });
    // A second run sends nothing: still one decision in the history.
    expect((await sendReminders(later)).redelivered).toBe(0);
    const again = await app.rt.deps.store.history.list(id);
    expect(decisionsOf(again)).toEqual(['staff_review:decision_approve']);
  });
});

describe('the history records a decision only once Step Functions took it', () => {
  it('Step Functions unreachable: the step is open again and the history says nothing; a stale token: 409, nothing', async () => {
    const c = await startConsoleApp({ lite: true });
    try {
      const failing = (name: string): SFNClient =>
        ({
          send: async () => {
            throw Object.assign(new Error(name), { name });
          },
          destroy() {},
        }) as unknown as SFNClient;

      const { app: a, taskId } = await seedApplication(c.deps, { stage: 'staff_review' });
      await expect(
        decideTask({ ...c.deps, sfn: failing('ThrottlingException') }, staff, taskId!, { decision: 'approve' }),
      ).rejects.toThrow('ThrottlingException');
      expect((await c.deps.store.tasks.get(taskId!))?.status).toBe('open');
      expect(decisionsOf(await c.deps.store.history.list(a.id))).toEqual([]);

      await expect(
        decideTask({ ...c.deps, sfn: failing('TaskTimedOut') }, staff, taskId!, { decision: 'approve' }),
      ).rejects.toBeInstanceOf(StaleTaskError);
      expect(decisionsOf(await c.deps.store.history.list(a.id))).toEqual([]);

      // Delivered: recorded.
      const { app: b, taskId: t2 } = await seedApplication(c.deps, { stage: 'staff_review' });
      await decideTask(c.deps, staff, t2!, { decision: 'approve' });
      expect(decisionsOf(await c.deps.store.history.list(b.id))).toEqual(['staff_review:decision_approve']);
    } finally {
      await c.close();
    }
  });
});
