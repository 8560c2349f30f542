import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenTaskInput, Stage, TaskItem } from '../../../shared/store/store.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';
import { task } from './fixtures.js';

let db: TestDynamo;
const opened: OpenTaskInput[] = [];
const STEPS: Stage[] = ['staff_review', 'final_approval', 'waitlisted'];

beforeAll(async () => {
  db = await withDynalite();
  // 30 tasks over three steps, opened one minute apart in a shuffled write order.
  const order = Array.from({ length: 30 }, (_, i) => (i * 7) % 30);
  for (const i of order) {
    const input = task(`inbox-${String(i).padStart(2, '0')}`, {
      step: STEPS[i % 3],
      openedAt: new Date(Date.UTC(2026, 10, 2, 9, i)).toISOString(),
      route: i % 2 ? 'reseau' : 'libre',
      phase: i % 5 === 0 ? 2 : 1,
      departements: i % 4 === 0 ? ['13', '2A'] : ['75'],
      flags: i % 6 === 0 ? ['horaires_a_verifier'] : [],
    });
    opened[i] = input;
    await db.store.tasks.open(input);
  }
});
afterAll(() => db.close());

const ids = (tasks: TaskItem[]) => tasks.map((t) => t.applicationId);
const expected = (pred: (t: OpenTaskInput) => boolean) => opened.filter(pred).map((t) => t.applicationId);

describe('tasks.inbox', () => {
  it('returns every open task, oldest first, across steps', async () => {
    const page = await db.store.tasks.inbox({}, { limit: 100 });
    expect(ids(page.tasks)).toEqual(expected(() => true));
    expect(page.next).toBeUndefined();
  });

  it('filters by step, route, phase, département and flag', async () => {
    const all = { limit: 100 };
    expect(ids((await db.store.tasks.inbox({ step: 'final_approval' }, all)).tasks)).toEqual(
      expected((t) => t.step === 'final_approval'),
    );
    expect(ids((await db.store.tasks.inbox({ route: 'reseau' }, all)).tasks)).toEqual(
      expected((t) => t.route === 'reseau'),
    );
    expect(ids((await db.store.tasks.inbox({ phase: 2 }, all)).tasks)).toEqual(expected((t) => t.phase === 2));
    expect(ids((await db.store.tasks.inbox({ departement: '2A' }, all)).tasks)).toEqual(
      expected((t) => t.departements.includes('2A')),
    );
    expect(ids((await db.store.tasks.inbox({ flag: 'horaires_a_verifier', step: 'staff_review' }, all)).tasks)).toEqual(
      expected((t) => t.flags.includes('horaires_a_verifier') && t.step === 'staff_review'),
    );
  });

  it('paginates without gaps or repeats, with and without filters', async () => {
    for (const filter of [{}, { route: 'libre' as const }, { step: 'staff_review' as const, departement: '75' }]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await db.store.tasks.inbox(filter, { limit: 4, cursor });
        expect(page.tasks.length).toBeLessThanOrEqual(4);
        seen.push(...ids(page.tasks));
        cursor = page.next;
        pages++;
      } while (cursor && pages < 20);
      const all = ids((await db.store.tasks.inbox(filter, { limit: 100 })).tasks);
      expect(seen).toEqual(all);
    }
  });

  it('a claimed task leaves the inbox at once', async () => {
    const first = (await db.store.tasks.inbox({}, { limit: 1 })).tasks[0];
    expect(first).toBeDefined();
    await db.store.tasks.claim(first!.taskId, {
      decision: 'approve',
      by: 'ana@example.fr',
      at: '2026-11-02T12:00:00Z',
    });
    const next = (await db.store.tasks.inbox({}, { limit: 1 })).tasks[0];
    expect(next?.taskId).not.toBe(first?.taskId);
    expect(next?.applicationId).toBe(opened[1]?.applicationId);
  });
});
