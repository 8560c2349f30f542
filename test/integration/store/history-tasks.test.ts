import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, TaskAlreadyDecidedError, TaskStepMismatchError } from '../../../shared/store/errors.js';
import { taskIdFor } from '../../../shared/store/keys.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';
import { task } from './fixtures.js';

let db: TestDynamo;
beforeAll(async () => {
  db = await withDynalite();
});
afterAll(() => db.close());

const at = (minute: number) => `2026-11-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('history', () => {
  it('comes back in chronological order whatever the write order', async () => {
    const id = 'hist-1';
    const events = [
      { key: 'r1#submitted', at: at(0), type: 'submitted' },
      { key: 'r1#staff_review#entered', at: at(1), type: 'stage_entered' },
      { key: 'r1#staff_review#decided', at: at(5), type: 'decision_approve' },
      { key: 'r1#actor_commitments#entered', at: at(6), type: 'stage_entered' },
    ];
    for (const e of [...events].reverse()) {
      await db.store.history.append({ applicationId: id, actor: { kind: 'system' }, ...e });
    }
    const history = await db.store.history.list(id);
    expect(history.map((e) => e.key)).toEqual(events.map((e) => e.key));
    expect(history[2]).toEqual({
      applicationId: id,
      key: 'r1#staff_review#decided',
      at: at(5),
      actor: { kind: 'system' },
      type: 'decision_approve',
    });
  });

  it('a retried event (same key) is stored once and keeps its first instant', async () => {
    const id = 'hist-2';
    const e = {
      applicationId: id,
      key: 'r1#submitted',
      at: at(0),
      actor: { kind: 'actor' as const },
      type: 'submitted',
    };
    await db.store.history.append(e);
    await db.store.history.append({ ...e, at: at(9), comment: 'retry' });
    await db.store.history.append({
      applicationId: id,
      key: 'r1#later',
      at: at(3),
      actor: { kind: 'system' },
      type: 'x',
    });
    const history = await db.store.history.list(id);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({ key: 'r1#submitted', at: at(0), comment: 'retry' });
  });
});

describe('tasks', () => {
  it('opens under a deterministic id; re-opening overwrites the token and keeps openedAt', async () => {
    const input = task('task-app-1');
    const id = await db.store.tasks.open(input);
    expect(id).toBe(taskIdFor('task-app-1', 'staff_review', 1));
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    await db.store.tasks.open({ ...input, token: 'new-token', openedAt: at(30) });
    const stored = await db.store.tasks.get(id);
    expect(stored).toMatchObject({ taskId: id, status: 'open', token: 'new-token', openedAt: input.openedAt });
    expect(Object.keys(stored ?? {})).not.toContain('gsi1pk');
  });

  it('tasks.claim twice concurrently: one wins, the other TaskAlreadyDecidedError with who and when', async () => {
    const id = await db.store.tasks.open(task('task-app-2'));
    const results = await Promise.allSettled([
      db.store.tasks.claim(id, { decision: 'approve', by: 'ana@example.fr', at: at(10) }),
      db.store.tasks.claim(id, { decision: 'reject', by: 'bob@example.fr', at: at(11), comment: 'non' }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ decision?: { by: string; at: string; decision: string } }>)
      .value;
    const err = lost[0]?.reason as TaskAlreadyDecidedError;
    expect(err).toBeInstanceOf(TaskAlreadyDecidedError);
    expect(err.name).toBe('TaskAlreadyDecidedError');
    expect(err).toMatchObject({
      taskId: id,
      status: 'decided',
      by: winner.decision?.by,
      at: winner.decision?.at,
      decision: winner.decision?.decision,
    });
    const stored = await db.store.tasks.get(id);
    expect(stored?.status).toBe('decided');
    expect(stored?.decision).toEqual(winner.decision);
    const inbox = await db.store.tasks.inbox();
    expect(inbox.tasks.map((t) => t.taskId)).not.toContain(id);
  });

  it('an identical retried claim returns the task; a missing task is NotFoundError', async () => {
    const id = await db.store.tasks.open(task('task-app-3'));
    const d = { decision: 'approve', by: 'ana@example.fr', at: at(12) };
    const first = await db.store.tasks.claim(id, d);
    expect(await db.store.tasks.claim(id, d)).toEqual(first);
    await expect(db.store.tasks.claim('0000', d)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a claim limited to some steps leaves a task open at another step untouched', async () => {
    const id = await db.store.tasks.open(task('task-app-7', { step: 'actor_commitments' }));
    const d = { decision: 'approve', by: 'ana@example.fr', at: at(20) };
    await expect(db.store.tasks.claim(id, d, { steps: ['staff_review', 'final_approval'] })).rejects.toBeInstanceOf(
      TaskStepMismatchError,
    );
    await expect(db.store.tasks.claim(id, d, { steps: ['staff_review'] })).rejects.toMatchObject({
      step: 'actor_commitments',
    });
    expect((await db.store.tasks.get(id))?.status).toBe('open');
    expect((await db.store.tasks.claim(id, d, { steps: ['actor_commitments'] })).status).toBe('decided');
    await expect(db.store.tasks.claim(id, { ...d, by: 'bob' }, { steps: ['staff_review'] })).rejects.toBeInstanceOf(
      TaskAlreadyDecidedError,
    );
  });

  it('a decided task given back (tasks.open again) is open again at its first place in the inbox', async () => {
    const input = task('task-app-4', { openedAt: '2020-01-01T00:00:00.000Z' });
    const id = await db.store.tasks.open(input);
    await db.store.tasks.claim(id, { decision: 'approve', by: 'ana@example.fr', at: at(13) });
    await db.store.tasks.open({ ...input, openedAt: at(14) });
    const stored = await db.store.tasks.get(id);
    expect(stored).toMatchObject({ status: 'open', openedAt: '2020-01-01T00:00:00.000Z' });
    expect(stored?.decision).toBeUndefined();
    expect((await db.store.tasks.inbox({}, { limit: 1 })).tasks[0]?.taskId).toBe(id);
    await db.store.tasks.claim(id, { decision: 'approve', by: 'ana@example.fr', at: at(15) });
  });

  it('tasks.cancel / tasks.cancelOpen close open tasks only; tasks.assign on a closed task is refused', async () => {
    const a = await db.store.tasks.open(task('task-app-5', { step: 'staff_review' }));
    const b = await db.store.tasks.open(task('task-app-5', { step: 'actor_commitments' }));
    const other = await db.store.tasks.open(task('task-app-6'));
    expect((await db.store.tasks.assign(a, 'ana@example.fr')).assignee).toBe('ana@example.fr');
    await db.store.tasks.claim(b, { decision: 'approve', by: 'actor', at: at(16) });
    expect(await db.store.tasks.cancelOpen('task-app-5', 'outcome:expired')).toBe(1);
    expect((await db.store.tasks.get(a))?.status).toBe('cancelled');
    expect((await db.store.tasks.get(b))?.status).toBe('decided');
    expect((await db.store.tasks.get(other))?.status).toBe('open');
    expect(await db.store.tasks.cancel(a, { by: 'system', at: at(17) })).toBe(false);
    await expect(db.store.tasks.assign(a, 'bob@example.fr')).rejects.toMatchObject({
      name: 'TaskAlreadyDecidedError',
      status: 'cancelled',
    });
    await expect(db.store.tasks.claim(a, { decision: 'approve', by: 'x', at: at(18) })).rejects.toBeInstanceOf(
      TaskAlreadyDecidedError,
    );
    expect((await db.store.tasks.list('task-app-5')).map((t) => t.taskId).sort()).toEqual([a, b].sort());
    await db.store.tasks.cancel(other, { by: 'system', at: at(19) });
  });

  it('refuses to open a task on a stage that is not a human step', async () => {
    await expect(db.store.tasks.open(task('task-app-7', { step: 'qualified' }))).rejects.toThrow(/human step/);
  });
});
