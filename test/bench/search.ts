import '../../shared/runtime/polyfills.js';
import { performance } from 'node:perf_hooks';
import { parseApplication } from '../../shared/domain/application.js';
import type { ApplicationItem } from '../../shared/store/store.js';
import { searchApplications } from '../../shared/usecases/console/search.js';
import { applicationDocument, makeSiret, startConsoleApp } from '../integration/console/harness.js';

/**
 * Console search with 10,000 applications (goal: p99 ≤ 50 ms). Applications are created through
 * store.applications.create, which writes the search index as every submission does; names, e-mails and communes
 * vary so that queries hit few, some, and many applications. In-memory dynalite, the same HTTP server as `npm start`.
 */
const APPLICATIONS = 10_000;
const COMMUNES = [
  { code_postal: '87000', commune: 'Limoges' },
  { code_postal: '42000', commune: 'Saint-Étienne' },
  { code_postal: '23000', commune: 'Guéret' },
  { code_postal: '19100', commune: 'Brive-la-Gaillarde' },
  { code_postal: '33000', commune: 'Bordeaux' },
];
const WORDS = ['Clic', 'Fabrique', 'Numérique', 'Solidaire', 'Atelier', 'Médiathèque', 'Espace', 'Tiers-lieu'];

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Items the DynamoDB client hands back (Query items, BatchGet responses) while `run` goes. */
async function itemsRead(client: { send: unknown }, run: () => Promise<unknown>): Promise<number> {
  const send = (client.send as (...a: unknown[]) => Promise<Record<string, any>>).bind(client);
  let items = 0;
  client.send = async (...args: unknown[]) => {
    const out = await send(...args);
    items += Array.isArray(out?.Items) ? out.Items.length : 0;
    for (const list of Object.values(out?.Responses ?? {})) items += (list as unknown[]).length;
    return out;
  };
  try {
    await run();
  } finally {
    client.send = send;
  }
  return items;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timeRuns(n: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await run(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? Number.NaN;
  return { p50: at(50), p99: at(99) };
}

export async function benchSearch(): Promise<string[]> {
  const out: string[] = [];
  const app = await startConsoleApp({ lite: true });
  try {
    const { deps } = app;
    const parsed = parseApplication(applicationDocument());
    if (!parsed.ok) throw new Error('bad document');
    const base = parsed.value as Record<string, any>;
    const sirets: string[] = [];
    const ids: string[] = [];
    const t0 = performance.now();
    await pool(
      Array.from({ length: APPLICATIONS }, (_, i) => i),
      16,
      async (i) => {
        const siret = makeSiret(i % 10_000);
        const place = COMMUNES[i % COMMUNES.length]!;
        const nom = `${WORDS[i % WORDS.length]} ${WORDS[(i >> 3) % WORDS.length]} ${i}`;
        const at = new Date(Date.now() - (APPLICATIONS - i) * 1000).toISOString();
        const item: ApplicationItem = {
          id: deps.newId(),
          version: 1,
          stage: 'staff_review',
          status: 'eligible_now',
          phase: 1,
          route: 'libre',
          flags: [],
          reasons: [],
          document: {
            ...base,
            structure: {
              ...base.structure,
              nom,
              siret,
              representant_legal: { nom: 'Claire Martin', courriel: `contact${i}@structure${i % 97}.fr` },
            },
            lieux: [{ ...base.lieux[0], nom: `Lieu ${i}`, ...place }],
          } as never,
          siret,
          departements: ['87'],
          actorTokenHash: 'x'.repeat(64),
          round: 1,
          createdAt: at,
          updatedAt: at,
        };
        await deps.store.applications.create(item);
        sirets.push(siret);
        ids.push(item.id);
      },
    );
    out.push(`seeded ${APPLICATIONS} applications + search index in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const staff = { kind: 'staff', email: 'bench@aptic.test', role: 'reviewer' } as never;
    const pick = <T>(list: T[], i: number) => list[(i * 7919) % list.length] as T;
    const queries: [string, (i: number) => string][] = [
      ['SIRET with spaces', (i) => pick(sirets, i).replace(/^(\d{3})(\d{3})(\d{3})/, '$1 $2 $3 ')],
      ['id prefix (8 chars)', (i) => pick(ids, i).slice(0, 8)],
      ['e-mail', (i) => `contact${(i * 37) % APPLICATIONS}@structure${((i * 37) % APPLICATIONS) % 97}.fr`],
      ['name, two words + number', (i) => `fabrique numerique ${(i * 37) % APPLICATIONS}`],
      ['commune (2,000 matches, first 20)', () => 'saint etienne'],
      ['one common word (1,250 matches)', () => 'mediatheque'],
    ];
    for (const [label, q] of queries) {
      const r = await timeRuns(200, (i) => searchApplications(deps, staff, q(i)));
      // Items read (index entries, records, applications): the same on any machine, unlike the times.
      const read = await itemsRead(deps.store.client, () => searchApplications(deps, staff, q(1)));
      out.push(
        `search, ${label} (use case): p50 ${ms(r.p50)}, p99 ${ms(r.p99)} (goal p99 ≤ 50 ms); ${read} items read`,
      );
    }
    const token = (await app.staff('reviewer')).token;
    const http = await timeRuns(200, (i) =>
      fetch(`${app.url}/api/console/search?q=${encodeURIComponent(pick(sirets, i))}`, {
        headers: { authorization: `Bearer ${token}` },
      }).then((r) => r.text()),
    );
    out.push(
      `GET /api/console/search over HTTP (SIRET, session check included): p50 ${ms(http.p50)}, p99 ${ms(http.p99)}`,
    );
  } finally {
    await app.close();
  }
  return out;
}
