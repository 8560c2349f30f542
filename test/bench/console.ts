import '../../shared/runtime/polyfills.js';
import { performance } from 'node:perf_hooks';
import { parseApplication, resolvePlaces } from '../../shared/domain/application.js';
import type { ApplicationItem } from '../../shared/store/store.js';
import { listOpenDataRows, toCsv } from '../../shared/usecases/console/open-data.js';
import { listInbox } from '../../shared/usecases/inbox.js';
import { toPublishedPlaces } from '../../shared/usecases/places.js';
import { applicationDocument, makeSiret, startConsoleApp } from '../integration/console/harness.js';

/**
 * Console figures (goals: inbox p99 ≤ 50 ms with 10,000 applications waiting; export of 10,000 places to JSON and to
 * CSV ≤ 1 s). The store is seeded directly (applications + open tasks through Store methods), not through the
 * workflow. In-memory dynalite on this machine; the same HTTP server as `npm start`.
 */
const APPLICATIONS = 10_000;
const PLACES = 10_000;
const PLACES_PER_ACTOR = 50;
const DEPARTEMENTS = ['87', '23', '19', '33', '2A', '974', '75', '69'];
const STEPS = ['staff_review', 'final_approval', 'waitlisted', 'actor_commitments'] as const;

async function pool<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function timeRuns(n: number, run: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  for (let i = 0; i < 5; i++) await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] ?? Number.NaN };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchConsole(): Promise<string[]> {
  const out: string[] = [];
  const app = await startConsoleApp({ lite: true });
  try {
    const { deps } = app;
    const parsed = parseApplication(applicationDocument());
    if (!parsed.ok) throw new Error('bad document');
    const baseDoc = parsed.value as Record<string, any>;
    const start = Date.now() - APPLICATIONS * 1000;

    let t0 = performance.now();
    await pool(
      Array.from({ length: APPLICATIONS }, (_, i) => i),
      16,
      async (i) => {
        const siret = makeSiret(i % 10_000);
        const dep = DEPARTEMENTS[i % DEPARTEMENTS.length] as string;
        const step = STEPS[i % STEPS.length] as (typeof STEPS)[number];
        const at = new Date(start + i * 1000).toISOString();
        const item: ApplicationItem = {
          id: deps.newId(),
          version: 1,
          stage: step,
          status: 'eligible_now',
          phase: 1,
          route: i % 3 === 0 ? 'reseau' : 'libre',
          flags: i % 5 === 0 ? [{ code: 'few_opening_hours', message: '' }] : [],
          reasons: [],
          document: { ...baseDoc, structure: { ...baseDoc.structure, siret } } as never,
          siret,
          departements: [dep],
          actorTokenHash: 'x'.repeat(64),
          round: 1,
          createdAt: at,
          updatedAt: at,
        };
        await deps.store.applications.create(item);
        await deps.store.tasks.open({
          applicationId: item.id,
          step,
          round: 1,
          token: `bench-${i}`,
          openedAt: at,
          route: item.route,
          phase: 1,
          departements: [dep],
          flags: item.flags.map((f) => f.code),
          assignee: null,
        });
      },
    );
    out.push(`seeded ${APPLICATIONS} applications + open tasks in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const token = (await app.staff('reviewer')).token;
    const inbox = await timeRuns(200, () => listInbox(deps, { limit: 50 }));
    out.push(`inbox, first page of 50 (use case): p50 ${ms(inbox.p50)}, p99 ${ms(inbox.p99)} (goal p99 ≤ 50 ms)`);
    const step = await timeRuns(200, () => listInbox(deps, { step: 'staff_review', limit: 50 }));
    out.push(`inbox, one step: p50 ${ms(step.p50)}, p99 ${ms(step.p99)}`);
    const filtered = await timeRuns(200, () =>
      listInbox(deps, { departement: '23', flag: 'few_opening_hours', limit: 50 }),
    );
    out.push(`inbox, département + flag filter: p50 ${ms(filtered.p50)}, p99 ${ms(filtered.p99)}`);
    const http = await timeRuns(200, () =>
      fetch(`${app.url}/api/console/tasks?limit=50`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
        r.text(),
      ),
    );
    out.push(`GET /api/console/tasks over HTTP (session check included): p50 ${ms(http.p50)}, p99 ${ms(http.p99)}`);

    // 10,000 published places: 200 actors × 50 places.
    t0 = performance.now();
    const actors = PLACES / PLACES_PER_ACTOR;
    const lieu = baseDoc.lieux[0];
    const docWithPlaces = {
      ...baseDoc,
      lieux: Array.from({ length: PLACES_PER_ACTOR }, (_, n) => ({ ...lieu, nom: `Lieu ${n}` })),
    };
    const resolved = resolvePlaces(docWithPlaces as never);
    await pool(
      Array.from({ length: actors }, (_, i) => i),
      8,
      async (i) => {
        const fake = {
          id: deps.newId(),
          siret: makeSiret(20_000 + i),
          document: docWithPlaces,
        } as unknown as ApplicationItem;
        await deps.store.places.replace(fake.id, toPublishedPlaces(fake, resolved, new Date()));
      },
    );
    out.push(`published ${PLACES} places in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const read = await timeRuns(3, () => listOpenDataRows(deps));
    const rows = await listOpenDataRows(deps);
    const json = await timeRuns(3, async () => JSON.stringify(rows));
    const csv = await timeRuns(3, async () => toCsv(rows));
    out.push(`export of ${rows.length} places: store read ${ms(read.p50)}, JSON ${ms(json.p50)}, CSV ${ms(csv.p50)}`);
    const getJson = await timeRuns(3, () => fetch(`${app.url}/api/lieux`).then((r) => r.text()));
    const getCsv = await timeRuns(3, () => fetch(`${app.url}/api/lieux.csv`).then((r) => r.text()));
    out.push(`GET /api/lieux ${ms(getJson.p50)}, GET /api/lieux.csv ${ms(getCsv.p50)} end to end (goal ≤ 1 s each)`);
  } finally {
    await app.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchConsole().then((lines) => console.log(lines.join('\n')));
}
