import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decideTask } from '../../../shared/usecases/decisions.js';
import type { StaffPrincipal } from '../../../shared/usecases/principal.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';
import { seedApplication } from './seed.js';

// Bulk decisions and four eyes, over HTTP on the lite runtime (dynalite + the real server; Step Functions recorded):
// each item goes through decideTask, so the claim, the Step Functions call and the history event are the real ones.
let app: ConsoleApp;
let alice: { email: string; token: string };
let bob: { email: string; token: string };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  alice = await app.staff('reviewer');
  bob = await app.staff('reviewer');
});
afterAll(() => app?.close());

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const staffOf = (s: { email: string }): StaffPrincipal => ({
  kind: 'staff',
  email: s.email,
  role: 'reviewer',
  sessionHash: 'test',
});

const tokensSent = (token: string) =>
  app.sfnCalls.filter((c) => c.name === 'SendTaskSuccessCommand' && c.input.taskToken === token).length;

describe('POST /api/console/tasks/decisions', () => {
  it('approves 200 final approvals, one already decided by someone else: 199 ok, 1 already_decided, none twice', async () => {
    const seeded: { appId: string; taskId: string }[] = [];
    await pool(
      Array.from({ length: 200 }, (_, i) => i),
      8,
      async () => {
        const { app: a, taskId } = await seedApplication(app.deps, { stage: 'final_approval' });
        seeded.push({ appId: a.id, taskId: taskId! });
      },
    );
    const taken = seeded[57]!;
    const first = await app.call('POST', `/api/console/tasks/${taken.taskId}/decision`, {
      token: bob.token,
      body: { decision: 'approve' },
    });
    expect(first.status).toBe(200);

    const res = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: seeded.map((s) => s.taskId), decision: 'approve' },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as { taskId: string; status: string; message: string }[];
    expect(results.map((r) => r.taskId)).toEqual(seeded.map((s) => s.taskId));
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(199);
    const reported = results.filter((r) => r.status !== 'ok');
    expect(reported).toEqual([{ taskId: taken.taskId, status: 'already_decided', message: expect.any(String) }]);
    expect(reported[0]?.message).toMatch(/déjà/i);

    // None twice: each token received one SendTaskSuccess, each application one decision event, by the right person.
    for (const s of seeded) expect(tokensSent(`fake-token-${s.appId}`)).toBe(1);
    const sample = [taken, seeded[0]!, seeded[199]!];
    for (const s of sample) {
      const events = (await app.deps.store.history.list(s.appId)).filter((e) => e.type.startsWith('decision_'));
      expect(events).toEqual([
        expect.objectContaining({
          type: 'decision_approve',
          actor: { kind: 'staff', id: s === taken ? bob.email : alice.email },
        }),
      ]);
    }
  }, 120_000);

  it('reports an unknown task and a repeated id once, and refuses a bad request as a whole', async () => {
    const { taskId } = await seedApplication(app.deps, { stage: 'final_approval' });
    const res = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: [taskId, 'f'.repeat(20), taskId], decision: 'reject', comment: 'Pièces manquantes.' },
    });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { taskId, status: 'ok', message: expect.any(String) },
      { taskId: 'f'.repeat(20), status: 'not_found', message: 'Tâche introuvable.' },
    ]);
    const noComment = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: [taskId], decision: 'reject' },
    });
    expect(noComment.status).toBe(400);
    const tooMany = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: Array.from({ length: 501 }, () => 'a'.repeat(20)), decision: 'approve' },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.fields[0].message).toMatch(/500 tâches au plus/);
    expect((await app.call('POST', '/api/console/tasks/decisions', { body: {} })).status).toBe(401);
  });
});

describe('four eyes', () => {
  /** An application whose staff review `reviewer` approved, now at its final approval. */
  async function reviewedBy(reviewer: { token: string }) {
    // Validated bank details: the final approval waits for them, and this test is about four eyes.
    const { app: a, taskId: reviewTask } = await seedApplication(app.deps, {
      stage: 'staff_review',
      bankDetails: 'validated',
    });
    const review = await app.call('POST', `/api/console/tasks/${reviewTask}/decision`, {
      token: reviewer.token,
      body: { decision: 'approve' },
    });
    expect(review.status).toBe(200);
    const finalTask = await app.deps.store.tasks.open({
      applicationId: a.id,
      step: 'final_approval',
      round: 1,
      token: `fake-final-${a.id}`,
      openedAt: app.deps.clock().toISOString(),
      route: a.route,
      phase: a.phase,
      departements: a.departements,
      flags: [],
      assignee: null,
    });
    return { appId: a.id, finalTask };
  }

  it('refuses the final approval to the person who approved the staff review: 403 four_eyes, in French', async () => {
    const { finalTask } = await reviewedBy(alice);
    const refused = await app.call('POST', `/api/console/tasks/${finalTask}/decision`, {
      token: alice.token,
      body: { decision: 'approve' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('four_eyes');
    expect(refused.body.message).toMatch(/quatre yeux/);
    expect((await app.deps.store.tasks.get(finalTask))?.status).toBe('open');
    // The same person may still send it back; someone else may approve.
    const other = await app.call('POST', `/api/console/tasks/${finalTask}/decision`, {
      token: bob.token,
      body: { decision: 'approve' },
    });
    expect(other.status).toBe(200);
  });

  it('reports four eyes per item as forbidden in a bulk decision', async () => {
    const mine = await reviewedBy(alice);
    const theirs = await reviewedBy(bob);
    const res = await app.call('POST', '/api/console/tasks/decisions', {
      token: alice.token,
      body: { taskIds: [mine.finalTask, theirs.finalTask], decision: 'approve' },
    });
    expect(res.body.results).toEqual([
      { taskId: mine.finalTask, status: 'forbidden', message: expect.stringMatching(/quatre yeux/) },
      { taskId: theirs.finalTask, status: 'ok', message: expect.any(String) },
    ]);
  });

  it('an approval reads its task once for both checks (four eyes, bank details), with the same answers', async () => {
    const { finalTask, appId } = await reviewedBy(alice);
    const reads = vi.spyOn(app.deps.store.tasks, 'get');
    const readsOf = (id: string) => reads.mock.calls.filter(([t]) => t === id).length;
    try {
      // Bank details sent back by the admin after the review: the final approval waits (409), nothing claimed.
      const current = (await app.deps.store.applications.get(appId))!;
      await app.deps.store.applications.update(appId, current.version, {
        bankDetails: { ...current.bankDetails!, status: 'rejected' },
      });
      await expect(decideTask(app.deps, staffOf(bob), finalTask, { decision: 'approve' })).rejects.toMatchObject({
        publicCode: 'bank_details_not_validated',
        message: expect.stringMatching(/validation des coordonnées bancaires/),
      });
      expect(readsOf(finalTask)).toBe(1);
      await expect(decideTask(app.deps, staffOf(alice), finalTask, { decision: 'approve' })).rejects.toMatchObject({
        publicCode: 'four_eyes',
      });
      expect(readsOf(finalTask)).toBe(2);
      const validated = (await app.deps.store.applications.get(appId))!;
      await app.deps.store.applications.update(appId, validated.version, {
        bankDetails: { ...validated.bankDetails!, status: 'validated' },
      });
      reads.mockClear();
      await decideTask(app.deps, staffOf(bob), finalTask, { decision: 'approve' });
      expect(readsOf(finalTask)).toBe(1);
      expect((await app.deps.store.tasks.get(finalTask))?.status).toBe('decided');
    } finally {
      reads.mockRestore();
    }
  });

  it('lets one person take both steps when console.fourEyes is off', async () => {
    const { finalTask } = await reviewedBy(alice);
    const admin = await app.staff('admin');
    const cfg = await app.call('GET', '/api/console/config', { token: admin.token });
    const saved = await app.call('PUT', '/api/console/config', {
      token: admin.token,
      body: { version: cfg.body.version, set: { console: { fourEyes: false } } },
    });
    expect(saved.status).toBe(200);
    await expect
      .poll(async () => (await app.deps.config()).console.fourEyes, { timeout: 10_000, interval: 100 })
      .toBe(false);
    const ok = await app.call('POST', `/api/console/tasks/${finalTask}/decision`, {
      token: alice.token,
      body: { decision: 'approve' },
    });
    expect(ok.status).toBe(200);
  });
});
