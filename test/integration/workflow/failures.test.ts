import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientStoreError } from '../../../shared/store/errors.js';
import { siretFor, validApplication } from '../../helpers/fixtures.js';
import { type LocalApp, startLocalApp } from '../../helpers/local-app.js';

/** Timeouts, transient and permanent Task failures, and a restart in the middle of a qualification. */
let app: LocalApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const arn = (id: string) => `arn:aws:states:eu-west-3:000000000000:execution:aptic-qualification:${id}`;

async function submit(a: LocalApp, n: number) {
  const res = await a.call('POST', '/api/applications', validApplication({ siret: siretFor(n) }));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; actorToken: string };
}

describe('workflow failures on the local runtime', () => {
  it('expires a staff step that nobody decides (timeout shortened), while heartbeats keep it alive until then', async () => {
    app = await startLocalApp({
      callbackTimeoutOverride: { timeoutSeconds: 3, heartbeatSeconds: 2 },
      reminderIntervalMs: 300,
    });
    const { id } = await submit(app, 1);
    await app.waitForStage(id, 'staff_review');
    await app.waitForStage(id, 'expired', 8000);
    const staff = await app.staffToken();
    // The stage is written first, then its history event: poll until both are there.
    await expect
      .poll(async () =>
        (await app!.call('GET', `/api/applications/${id}`, undefined, staff)).body.history.map((e: any) => e.stage),
      )
      .toContain('expired');
    // Expired after the task timeout (3 s), not after the heartbeat (2 s): the reminder loop sent heartbeats.
    const history = app.rt.engine.getExecutionHistory(arn(id)).events;
    const failed = history.find((e: any) => e.type === 'TaskFailed' || e.type === 'TaskTimedOut') as any;
    expect(JSON.stringify(failed)).toContain('States.Timeout');
    // The inbox no longer shows it.
    const tasks = await app.call('GET', '/api/console/tasks', undefined, await app.staffToken());
    expect(tasks.body.tasks.some((t: any) => t.applicationId === id)).toBe(false);
  });

  it('retries a Task that fails twice with a transient error, then goes on', async () => {
    let failures = 0;
    app = await startLocalApp({
      wrapRunner: (state, run) =>
        state === 'EvaluateEligibility'
          ? async (deps, payload) => {
              if (failures < 2) {
                failures++;
                throw new TransientStoreError('GetItem', 'ThrottlingException');
              }
              return run(deps, payload);
            }
          : run,
    });
    const { id } = await submit(app, 2);
    await app.waitForStage(id, 'staff_review');
    expect(failures).toBe(2);
    const attempts = app.rt.engine
      .getExecutionHistory(arn(id))
      .events.filter((e: any) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled');
    expect(attempts.length).toBeGreaterThanOrEqual(3);
  });

  it('records a Task that fails for good, marks the application failed and fails the execution', async () => {
    app = await startLocalApp({
      wrapRunner: (state, run) =>
        state === 'EvaluateEligibility'
          ? async () => {
              throw new TypeError('Cannot read properties of undefined (reading "lieux")');
            }
          : run,
    });
    const { id, actorToken } = await submit(app, 3);
    const view = await app.waitForStage(id, 'failed');
    expect(view.error?.name).toBe('TypeError');
    await expect.poll(() => app!.rt.engine.describeExecution(arn(id)).status).toBe('FAILED');
    // The actor sees the stage and a plain message, never the internal error.
    const mine = await app.call('GET', `/api/applications/${id}`, undefined, actorToken);
    expect(JSON.stringify(mine.body)).not.toContain('Cannot read');
    expect(mine.body.stage).toBe('failed');
  });

  it('resumes an unfinished qualification after a restart, without duplicating history', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aptic-restart-'));
    try {
      app = await startLocalApp({ dataDir });
      const { id, actorToken } = await submit(app, 4);
      await app.waitForStage(id, 'staff_review');
      const before = await app.taskFor(id, 'staff_review');
      await app.close();
      app = null;

      app = await startLocalApp({ dataDir });
      expect(await app.rt.resumeUnfinished()).toBe(1);
      await app.waitForStage(id, 'staff_review');
      const after = await app.taskFor(id, 'staff_review');
      expect(after.taskId).toBe(before.taskId);
      const decide = await app.call(
        'POST',
        `/api/console/tasks/${after.taskId}/decision`,
        { decision: 'approve' },
        await app.staffToken(),
      );
      expect(decide.status, JSON.stringify(decide.body)).toBe(200);
      const view = await app.waitForStage(id, 'actor_commitments');
      const entered = view.history.filter((e: any) => e.type === 'stage_entered' && e.stage === 'staff_review');
      expect(entered).toHaveLength(1);
      const mine = await app.call('GET', `/api/applications/${id}`, undefined, actorToken);
      expect(mine.status).toBe(200);
    } finally {
      await app?.close();
      app = null;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
