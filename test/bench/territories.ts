import '../../shared/runtime/polyfills.js';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { communeCentre } from '../../shared/domain/commune-centres.js';
import { communesOfDepartement, departementCodes, preloadGeography } from '../../shared/domain/geography.js';
import type { PassInjection } from '../../shared/store/entities/pass-injections.js';
import { Store } from '../../shared/store/store.js';
import { getTerritories } from '../../shared/usecases/console/territories.js';
import { startConsoleApp } from '../integration/console/harness.js';

/**
 * The territory view (goal p99 ≤ 200 ms locally, no Scan): 101 départements, 5,000 injections of the last 12 months,
 * 3,000 qualified actors' places, 2,000 active applications and 20,000 prospect-like items in the same table (the
 * load of the issue's « 20,000 prospects »; the view does not read them). The store is seeded with BatchWriteItem in
 * the entities' own layout (checked by reading it back through the store), since seeding is not what is measured.
 *
 * Paths timed: the full computation (three Queries and the arithmetic, reach included: the first request of a day or
 * after a configuration change), the view after one change of each kind (an injection, a place moved, an
 * application's stage: only what moved is read again), the snapshot read by a new process (a cold Lambda: counters +
 * snapshot item), and the steady state (one GetItem of the counters, then the in-process copy). Also the size of
 * the coverage page.
 */
const INJECTIONS = 5_000;
const ACTORS = 3_000;
const ACTIVE = 2_000;
const PROSPECTS = 20_000;

/** A place's point in its département (a commune centre there, shifted a little), as a geocoded address would be. */
function pointIn(departement: string, k: number): { latitude?: number; longitude?: number } {
  const communes = communesOfDepartement(departement);
  const centre = communes.length
    ? communeCentre((communes[(k * 7919) % communes.length] as { code: string }).code)
    : null;
  if (!centre) return {};
  return { latitude: centre.latitude + ((k % 5) - 2) / 500, longitude: centre.longitude + ((k % 3) - 1) / 500 };
}

async function timeRuns(n: number, run: () => Promise<unknown>, warmup = 3, before?: (i: number) => Promise<unknown>) {
  for (let i = 0; i < warmup; i++) {
    await before?.(-1 - i);
    await run();
  }
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await before?.(i); // the change, not timed
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)] ?? Number.NaN;
  return `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms (n=${n})`;
}

export async function benchTerritories(): Promise<string[]> {
  preloadGeography();
  const app = await startConsoleApp({ lite: true });
  try {
    const { deps } = app;
    const store = deps.store;
    const codes = departementCodes();
    const at = new Date().toISOString();
    const day = (i: number) => new Date(Date.now() - (i % 360) * 86_400_000).toISOString().slice(0, 10);
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < INJECTIONS; i++) {
      const code = codes[i % codes.length] as string;
      const passes = 100 + (i % 400);
      const injection = {
        id: `bench-${i}`,
        version: 1,
        financeur: `Financeur ${i}`,
        financeurType: 'departement',
        territoire: { niveau: 'departement', code, nom: code },
        passes,
        valeurFaciale: 10,
        date: day(i),
        finValidite: '2030-12-31',
        departements: [{ code, passes }],
        source: 'import',
        createdAt: at,
        createdBy: 'bench',
        updatedAt: at,
        updatedBy: 'bench',
      };
      const sort = `${injection.date}#${injection.id}`;
      const pk = `INJECTION#${injection.id}`;
      items.push({ pk, sk: 'INJECTION', type: 'injection', gsi3pk: 'INJECTIONS', gsi3sk: sort, ...injection });
      items.push({
        pk,
        sk: `DEP#${code}`,
        type: 'injection-link',
        gsi3pk: `INJECTIONS#${code}`,
        gsi3sk: sort,
        ...injection,
        departement: code,
      });
    }
    for (let i = 0; i < ACTORS; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const dep = codes[i % codes.length] as string;
      items.push({
        pk: `APP#${id}`,
        sk: 'PLACE#0000',
        type: 'place',
        gsi2pk: 'PLACE',
        gsi2sk: `${dep}#${id}#0000`,
        applicationId: id,
        n: 0,
        departement: dep,
        place: {
          id: `${id}-1`,
          nom: `Lieu ${i}`,
          code_insee: '',
          ...pointIn(dep, i),
        },
        publishedAt: at,
      });
    }
    for (let i = 0; i < ACTIVE; i++) {
      const id = `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;
      const stage = i % 5 === 0 ? 'waitlisted' : 'staff_review';
      items.push({
        pk: `APP#${id}`,
        sk: 'APP',
        type: 'application',
        gsi3pk: 'ACTIVE',
        gsi3sk: `${stage}#${id}`,
        id,
        version: 1,
        stage,
        departements: [codes[i % codes.length]],
        document: { lieux: [{ nom: 'Lieu', code_postal: '87000', commune: 'Limoges' }], filler: 'x'.repeat(1_500) },
      });
    }
    for (let i = 0; i < PROSPECTS; i++) {
      const dep = codes[i % codes.length] as string;
      items.push({
        pk: `PROSPECT#bench-${i}`,
        sk: 'PROSPECT',
        type: 'prospect',
        gsi3pk: `PROSPECTS#${dep}`,
        gsi3sk: `bench-${i}`,
        nom: `Lieu de médiation ${i}`,
        pivot: String(10_000_000_000_000 + i),
        commune: 'Commune',
        adresse: `${i} rue de la Mairie`,
        services: 'Prendre en main un ordinateur|Naviguer sur Internet',
      });
    }
    const t0 = performance.now();
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const batch = batches[next++] as Record<string, unknown>[];
          let pending = batch.map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const res = await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.tableName]: pending } }));
            pending = (res.UnprocessedItems?.[store.tableName] ?? []) as typeof pending;
          }
        }
      }),
    );
    await store.territorySnapshot.bump();
    const seeded = ((performance.now() - t0) / 1000).toFixed(1);
    // The seed's layout is the entities': read back through the store.
    const since = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
    const [inj, places, active] = await Promise.all([
      store.passInjections.listFigures(since),
      store.places.listFigures(),
      store.applications.listActiveFigures(),
    ]);
    if (inj.length !== INJECTIONS || places.length !== ACTORS || active.length !== ACTIVE) {
      throw new Error(`seed not read back: ${inj.length} injections, ${places.length} places, ${active.length} active`);
    }

    const query = { niveau: 'departement' as const };
    const injectionsOnly = await timeRuns(5, () => store.passInjections.listFigures(since), 1);
    const placesOnly = await timeRuns(5, () => store.places.listFigures(), 1);
    const activeOnly = await timeRuns(5, () => store.applications.listActiveFigures(), 1);
    // In full (each run follows a bump of everything: what the first request of a day or after a configuration change
    // pays).
    const computed = await timeRuns(
      8,
      () => getTerritories(deps, query),
      1,
      () => store.territorySnapshot.bump(),
    );
    // After one change of each kind (the write not timed): only what moved is read again.
    const { pk: _pk, sk: _sk, type: _type, gsi3pk: _g, gsi3sk: _gs, ...template } = items[0] as Record<string, unknown>;
    const afterInjection = await timeRuns(
      20,
      () => getTerritories(deps, query),
      2,
      async (i) => {
        const code = codes[(i + 40) % codes.length] as string;
        const id = `bench-new-${i}`;
        await store.passInjections.create({
          ...(template as unknown as PassInjection),
          id,
          territoire: { niveau: 'departement', code, nom: code },
          departements: [{ code, passes: 300 }],
          passes: 300,
          date: day(0),
        });
      },
    );
    const afterPlace = await timeRuns(
      20,
      () => getTerritories(deps, query),
      2,
      async (i) => {
        const n = (i + 10) % ACTORS;
        const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
        await store.places.replace(id, [
          {
            departement: codes[n % codes.length] as string,
            place: {
              id: `${id}-1`,
              nom: `Lieu ${n}`,
              code_insee: '',
              ...pointIn(codes[n % codes.length] as string, n + i + 1),
            },
          },
        ]);
      },
    );
    const versions = new Map<number, number>();
    const afterApplication = await timeRuns(
      20,
      () => getTerritories(deps, query),
      2,
      async (i) => {
        const n = (i + 10) % ACTIVE;
        const id = `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
        const version = versions.get(n) ?? 1;
        const updated = await store.applications.update(id, version, {
          stage: version % 2 ? 'waitlisted' : 'staff_review',
        });
        versions.set(n, updated.version);
      },
    );
    // A new process: no copy in memory, the snapshot item read from the table.
    const coldDeps = () => ({ ...deps, store: new Store(store.doc, store.tableName) });
    const fromTable = await timeRuns(20, () => getTerritories(coldDeps(), query));
    // Steady state: the change counter, then the in-process copy.
    const steady = await timeRuns(200, () => getTerritories(deps, query));
    const admin = await app.staff('admin');
    const http = await timeRuns(200, () => app.call('GET', '/api/console/territories', { token: admin.token }));
    const body = (await app.call('GET', '/api/console/territories', { token: admin.token })).text;
    const view = JSON.parse(body) as { territories: { reach: number | null }[] };
    const withReach = view.territories.filter((t) => t.reach !== null).length;

    const page = ['coverage.html', 'coverage.js', 'departements.svg', 'console.css', 'common.js'].map((f) => {
      try {
        return readFileSync(new URL(`../../functions/web/console/${f}`, import.meta.url));
      } catch {
        return Buffer.alloc(0);
      }
    });
    const raw = page.reduce((s, b) => s + b.length, 0);
    const gz = page.reduce((s, b) => s + gzipSync(b).length, 0);
    return [
      `seeded ${INJECTIONS} injections, ${ACTORS} places, ${ACTIVE} active applications, ${PROSPECTS} prospect-like items in ${seeded} s`,
      `Queries (projections): injections ${injectionsOnly}; places ${placesOnly}; active applications ${activeOnly}`,
      `view computed in full (${codes.length} départements, reach for ${withReach}): ${computed}`,
      `view after a change, only what moved read again: an injection ${afterInjection}; a place moved ${afterPlace}; an application's stage ${afterApplication}`,
      `view from the stored snapshot (new process): ${fromTable}`,
      `view, steady state (use case): ${steady}`,
      `GET /api/console/territories, steady state: ${http}, ${(body.length / 1024).toFixed(1)} KiB`,
      `coverage page (html + js + svg map + console.css + common.js): ${(raw / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped`,
    ];
  } finally {
    await app.close();
  }
}
