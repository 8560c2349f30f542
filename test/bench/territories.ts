import '../../shared/runtime/polyfills.js';
import { performance } from 'node:perf_hooks';
import { departementCodes, preloadGeography } from '../../shared/domain/geography.js';
import type { PassInjection } from '../../shared/store/entities/pass-injections.js';
import { getTerritories } from '../../shared/usecases/console/territories.js';
import { startConsoleApp } from '../integration/console/harness.js';

/**
 * The territory view (goal p99 ≤ 200 ms locally): 101 départements, 5,000 injections of the last 12 months,
 * 3,000 qualified actors' places, through the use case (three Queries + arithmetic) and over HTTP. The store is
 * seeded directly. Prospects (20,000 in the issue's figure) do not exist yet and are not in the view.
 */
const INJECTIONS = 5_000;
const ACTORS = 3_000;

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function timeRuns(n: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
  return `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms`;
}

export async function benchTerritories(): Promise<string[]> {
  preloadGeography();
  const app = await startConsoleApp({ lite: true });
  try {
    const { deps } = app;
    const deps101 = departementCodes();
    const at = new Date().toISOString();
    const injections: PassInjection[] = Array.from({ length: INJECTIONS }, (_, i) => {
      const code = deps101[i % deps101.length] as string;
      return {
        id: `bench-${i}`,
        version: 1,
        financeur: `Financeur ${i}`,
        financeurType: 'departement',
        territoire: { niveau: 'departement', code, nom: code },
        passes: 100 + (i % 400),
        valeurFaciale: 10,
        date: new Date(Date.now() - (i % 360) * 86_400_000).toISOString().slice(0, 10),
        finValidite: '2030-12-31',
        departements: [{ code, passes: 100 + (i % 400) }],
        source: 'import',
        createdAt: at,
        createdBy: 'bench',
        updatedAt: at,
        updatedBy: 'bench',
      };
    });
    const t0 = performance.now();
    await pool(injections, 16, async (inj) => {
      await deps.store.passInjections.create(inj);
    });
    const actors = Array.from({ length: ACTORS }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await pool(actors, 16, async (id) => {
      const i = Number(id.slice(-12));
      await deps.store.places.replace(id, [
        { departement: deps101[i % deps101.length] as string, place: { nom: 'Lieu' } },
      ]);
    });
    const seeded = ((performance.now() - t0) / 1000).toFixed(1);
    const admin = await app.staff('admin');
    const since = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const injectionsOnly = await timeRuns(10, () => deps.store.passInjections.listFigures(since));
    const placesOnly = await timeRuns(10, () => deps.store.places.list());
    const direct = await timeRuns(20, () => getTerritories(deps, { niveau: 'departement' }));
    const http = await timeRuns(20, () => app.call('GET', '/api/console/territories', { token: admin.token }));
    const body = (await app.call('GET', '/api/console/territories', { token: admin.token })).text;
    return [
      `seeded ${INJECTIONS} injections + ${ACTORS} places in ${seeded} s`,
      `of which: injections Query ${injectionsOnly}; places Query ${placesOnly}`,
      `territory view (use case, ${deps101.length} départements): ${direct}`,
      `GET /api/console/territories: ${http}, ${(body.length / 1024).toFixed(1)} KiB`,
    ];
  } finally {
    await app.close();
  }
}
