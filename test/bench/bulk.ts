import '../../shared/runtime/polyfills.js';
import { performance } from 'node:perf_hooks';
import { decideTasks } from '../../shared/usecases/console/bulk-decisions.js';
import { startConsoleApp } from '../integration/console/harness.js';
import { seedApplication } from '../integration/console/seed.js';

/**
 * Bulk final approval of 500 members (goal ≤ 30 s locally, every decision recorded). Lite runtime: dynalite and the
 * real use case (claim, SendTaskSuccess to a recording Step Functions client, history event per decision); the
 * workflow's own next steps (Qualify) are not run here — bench 'workflow' measures those.
 */
const N = 500;

export async function benchBulk(): Promise<string[]> {
  const out: string[] = [];
  const app = await startConsoleApp({ lite: true });
  try {
    const { deps } = app;
    const tasks: { appId: string; taskId: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next++ < N) {
          const { app: a, taskId } = await seedApplication(deps, { stage: 'final_approval' });
          tasks.push({ appId: a.id, taskId: taskId as string });
        }
      }),
    );
    const staff = { kind: 'staff', email: 'bench@aptic.test', role: 'reviewer' } as never;
    // One decided beforehand by someone else: reported, not applied twice.
    await decideTasks(deps, { kind: 'staff', email: 'other@aptic.test', role: 'reviewer' } as never, {
      taskIds: [tasks[0]?.taskId],
      decision: 'approve',
    });
    const t0 = performance.now();
    const { results } = await decideTasks(deps, staff, { taskIds: tasks.map((t) => t.taskId), decision: 'approve' });
    const seconds = (performance.now() - t0) / 1000;
    const counts: Record<string, number> = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    let recorded = 0;
    for (const t of tasks) {
      const events = (await deps.store.history.list(t.appId)).filter((e) => e.type === 'decision_approve');
      recorded += events.length;
    }
    out.push(
      `bulk final approval of ${N} tasks (1 decided before): ${seconds.toFixed(1)} s (goal ≤ 30 s); ${JSON.stringify(counts)}; decision events recorded: ${recorded} (one per task)`,
    );
  } finally {
    await app.close();
  }
  return out;
}
