import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApplication } from '../../../shared/domain/application.js';
import type { ApplicationItem } from '../../../shared/store/store.js';
import { SEARCH_RESULTS, searchApplications } from '../../../shared/usecases/console/search.js';
import { applicationDocument, type ConsoleApp, makeSiret, startConsoleApp } from './harness.js';

// What a search reads, counted at the DynamoDB client: a commune shared by many applications must cost a bounded
// number of items (the first results), not every index entry of the commune and a record per candidate. The
// benchmark (npm run bench -- search) gives the times; this test holds the reads, which do not depend on the machine.
const SAINT_ETIENNE = 240;
let app: ConsoleApp;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  const parsed = parseApplication(applicationDocument());
  if (!parsed.ok) throw new Error('bad document');
  const base = parsed.value as Record<string, any>;
  const at = new Date().toISOString();
  for (let i = 0; i < SAINT_ETIENNE + 30; i++) {
    const place =
      i < SAINT_ETIENNE
        ? { code_postal: '42000', commune: 'Saint-Étienne' }
        : { code_postal: '87000', commune: 'Limoges' };
    const siret = makeSiret(500 + i);
    const item: ApplicationItem = {
      // Fixed ids, the first starting with « 231 »: a word of a longer query is not an id prefix (below).
      id: `${i === 0 ? '23100000' : '00000000'}-0000-4000-8000-${String(i).padStart(12, '0')}`,
      version: 1,
      stage: 'staff_review',
      status: 'eligible_now',
      phase: 1,
      route: 'libre',
      flags: [],
      reasons: [],
      document: {
        ...base,
        structure: { ...base.structure, nom: `Atelier ${i}`, siret },
        lieux: [{ ...base.lieux[0], nom: `Lieu ${i}`, ...place }],
      } as never,
      siret,
      departements: ['42'],
      actorTokenHash: 'x'.repeat(64),
      round: 1,
      createdAt: at,
      updatedAt: at,
    };
    await app.deps.store.applications.create(item);
  }
}, 120_000);
afterAll(() => app?.close());

/** Items the DynamoDB client hands back (Query items, BatchGet responses) while `run` goes. */
async function itemsRead(run: () => Promise<unknown>): Promise<number> {
  const client = app.deps.store.client;
  const send = client.send.bind(client);
  let items = 0;
  (client as { send: unknown }).send = async (command: unknown, ...rest: unknown[]) => {
    const out = (await (send as (...a: unknown[]) => Promise<any>)(command, ...rest)) as Record<string, any>;
    items += Array.isArray(out?.Items) ? out.Items.length : 0;
    for (const list of Object.values(out?.Responses ?? {})) items += (list as unknown[]).length;
    return out;
  };
  try {
    await run();
  } finally {
    (client as { send: unknown }).send = send;
  }
  return items;
}

describe('search reads what its first results need', () => {
  const staff = { kind: 'staff', email: 'r@aptic.test', role: 'reviewer', sessionHash: '' } as const;

  it(`a commune of ${SAINT_ETIENNE} applications: ${SEARCH_RESULTS} results for a bounded read`, async () => {
    let results: { commune: string | null }[] = [];
    const read = await itemsRead(async () => {
      results = (await searchApplications(app.deps, staff, 'saint etienne')).results;
    });
    expect(results).toHaveLength(SEARCH_RESULTS);
    expect(results.every((r) => r.commune === 'Saint-Étienne')).toBe(true);
    // Two probes of the words, the first records checked, the results: well under the 240 entries of one word.
    expect(read).toBeLessThanOrEqual(160);
  });

  it('a word rare among common ones is found (the candidates come from the rarest word)', async () => {
    const results = (await searchApplications(app.deps, staff, 'saint etienne atelier 231')).results;
    // « Atelier 231 » only, not « Atelier 0 » whose id starts with 231: an id prefix is a query of its own.
    expect(results.map((r) => r.nom)).toEqual(['Atelier 231']);
    expect(results.map((r) => r.commune)).toEqual(['Saint-Étienne']);
    expect((await searchApplications(app.deps, staff, '23100000')).results.map((r) => r.nom)).toEqual(['Atelier 0']);
    expect((await searchApplications(app.deps, staff, 'limoges atelier 231')).results).toEqual([]);
    // « limoges » (30) read whole gives the candidates of « atelier limoges »: 20 of its 30.
    const limoges = (await searchApplications(app.deps, staff, 'atelier limoges')).results;
    expect(limoges).toHaveLength(SEARCH_RESULTS);
    expect(limoges.every((r) => r.commune === 'Limoges')).toBe(true);
  });

  it('a prefix is read on from where the first page stopped, each application once', async () => {
    const first = await app.deps.store.search.pageByPrefix('saint', 50);
    expect(first.ids).toHaveLength(50);
    expect(first.next).toBeDefined();
    const rest = await app.deps.store.search.pageByPrefix('saint', 1000, first.next);
    expect(rest.next).toBeUndefined();
    const all = new Set([...first.ids, ...rest.ids]);
    expect(all.size).toBe(SAINT_ETIENNE);
    expect(first.ids.length + rest.ids.length).toBe(SAINT_ETIENNE);
  });
});
