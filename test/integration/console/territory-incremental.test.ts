import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../shared/config/config.js';
import type { TerritorySnapshot } from '../../../shared/store/entities/territory-snapshot.js';
import { Store } from '../../../shared/store/store.js';
import { departementsView } from '../../../shared/usecases/console/territories.js';
import {
  computeDepartementsFully,
  type DepartementsData,
} from '../../../shared/usecases/console/territory-departements.js';
import { application } from '../store/fixtures.js';
import { type ConsoleApp, startConsoleApp } from './harness.js';

// The territory view after a change (docs/territory.md « Performance »): brought up to date from the previous snapshot
// by reading only what moved, it must give the figures of a full computation. A worked example goes through a change
// of each kind; after each, the incremental view (same process, then a new process reading the stored snapshot) is
// compared with a full computation from a separate store object (no shared in-process copy).
let app: ConsoleApp;
let admin: { email: string; token: string };
let config: AppConfig;
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const LIMOGES = { latitude: 45.8336, longitude: 1.2611 };
const SAINT_JUNIEN = { latitude: 45.8877, longitude: 0.9014 };
// In Charente (16), 5 km from Saint-Junien (87): a neighbouring département's place reaches Haute-Vienne's passes.
const NEAR_SAINT_JUNIEN_IN_16 = { latitude: 45.87, longitude: 0.84 };

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  config = await app.deps.config();
});
afterAll(() => app?.close());

const fresh = () => ({ ...app.deps, store: new Store(app.deps.store.doc, app.deps.store.tableName) });
const byCode = (d: DepartementsData) => new Map(d.rows.map((r) => [r.code, r]));

/** The incremental view, checked against a full computation; `cold`: from a new process (the stored snapshot). */
async function viewChecked(options: { cold?: boolean; config?: AppConfig } = {}) {
  const c = options.config ?? config;
  const now = new Date();
  const view: TerritorySnapshot<DepartementsData> = await departementsView(options.cold ? fresh() : app.deps, c, now);
  const full = (await computeDepartementsFully(fresh(), c, now, view.counters)).data;
  expect(view.data.rows).toEqual(full.rows);
  expect(view.data.inputs).toEqual(full.inputs);
  return view;
}

const inject = async (body: Record<string, unknown>) => {
  const res = await app.call('POST', '/api/console/pass-injections', {
    token: admin.token,
    body: {
      financeur: 'Département',
      financeurType: 'departement',
      date: daysAgo(10),
      finValidite: '2030-12-31',
      ...body,
    },
  });
  expect(res.status).toBeLessThan(300);
  return res.body.injection as { id: string; version: number };
};

describe('territory view after a change: only what moved is read again, with the figures of a full computation', () => {
  it('follows injections, applications, places (and the reach around them) and configuration', async () => {
    const store = app.deps.store;
    // Prepare: 600 passes on Limoges and 400 on Saint-Junien (87), 3,000 on the whole Creuse (23); a place in Limoges.
    await inject({ territoire: { niveau: 'commune', code: '87085' }, passes: 600 });
    await inject({ territoire: { niveau: 'commune', code: '87154' }, passes: 400 });
    await inject({ territoire: { niveau: 'departement', code: '23' }, passes: 3_000 });
    await store.places.replace('00000000-0000-4000-8000-00000000i001', [
      { departement: '87', place: { nom: 'Lieu', ...LIMOGES } },
    ]);
    const first = await viewChecked();
    expect(byCode(first.data).get('87')).toMatchObject({ passesInjected12m: 1_000, qualifiedActors: 1, reach: 0.6 });
    const fullAt = first.fullAt;

    // An injection added (JSON) and one imported (CSV), then one corrected from Creuse to Corrèze (19).
    const added = await inject({ territoire: { niveau: 'departement', code: '19' }, passes: 1_500 });
    let v = await viewChecked();
    expect(v.fullAt).toBe(fullAt);
    expect(byCode(v.data).get('19')).toMatchObject({ passesInjected12m: 1_500, status: 'to_stimulate' });
    const csv = `financeur;financeur_type;niveau;code_territoire;passes;date;fin_validite\nCCAS;ccas;commune;23096;50;${daysAgo(3)};2030-12-31\n`;
    const imported = await fetch(`${app.url}/api/console/pass-injections/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(((await imported.json()) as { imported: number }).imported).toBe(1);
    v = await viewChecked();
    expect(byCode(v.data).get('23')).toMatchObject({ passesInjected12m: 3_050 });
    await inject({
      id: added.id,
      version: added.version,
      territoire: { niveau: 'departement', code: '23' },
      passes: 10,
    });
    v = await viewChecked();
    expect(byCode(v.data).get('19')).toMatchObject({ passesInjected12m: 0, status: 'no_passes' });
    expect(byCode(v.data).get('23')).toMatchObject({ passesInjected12m: 3_060 });

    // Applications: one in progress in Creuse, waitlisted, then qualified (its place published); another ended.
    const a = application({ stage: 'staff_review', departements: ['23'] });
    const b = application({ stage: 'staff_review', departements: ['23', '87'] });
    await store.applications.create(a);
    await store.applications.create(b);
    v = await viewChecked();
    expect(byCode(v.data).get('23')).toMatchObject({ inProgress: 2, waitlisted: 0 });
    const waiting = await store.applications.update(a.id, 1, { stage: 'waitlisted' });
    v = await viewChecked();
    expect(byCode(v.data).get('23')).toMatchObject({ inProgress: 1, waitlisted: 1 });
    await store.applications.update(a.id, waiting.version, { stage: 'qualified' });
    await store.places.replace(a.id, [{ departement: '23', place: { nom: 'Lieu', code_insee: '23096' } }]);
    v = await viewChecked();
    expect(byCode(v.data).get('23')).toMatchObject({ inProgress: 1, waitlisted: 0, qualifiedActors: 1 });
    await store.applications.update(b.id, 1, { stage: 'rejected' });
    v = await viewChecked();
    expect(byCode(v.data).get('87')).toMatchObject({ inProgress: 0 });

    // Places: the Limoges place moves to Saint-Junien (reach 0.6 → 0.4), then one in Charente reaches Saint-Junien
    // from across the border (Haute-Vienne's reach moves with a change of Charente's places).
    await store.places.replace('00000000-0000-4000-8000-00000000i001', [
      { departement: '87', place: { nom: 'Lieu', ...SAINT_JUNIEN } },
    ]);
    v = await viewChecked();
    expect(byCode(v.data).get('87')).toMatchObject({ reach: 0.4 });
    await store.places.replace('00000000-0000-4000-8000-00000000i001', [
      { departement: '87', place: { nom: 'Lieu', ...LIMOGES } },
    ]);
    await store.places.replace('00000000-0000-4000-8000-00000000i016', [
      { departement: '16', place: { nom: 'Lieu', ...NEAR_SAINT_JUNIEN_IN_16 } },
    ]);
    v = await viewChecked();
    expect(byCode(v.data).get('87')).toMatchObject({ reach: 1, qualifiedActors: 1 });
    expect(byCode(v.data).get('16')).toMatchObject({ qualifiedActors: 1, status: 'no_passes' });
    // Unpublished: the reach falls back.
    await store.places.replace('00000000-0000-4000-8000-00000000i016', []);
    v = await viewChecked();
    expect(byCode(v.data).get('87')).toMatchObject({ reach: 0.6 });
    expect(v.fullAt).toBe(fullAt);

    // A new process (a cold Lambda) after a change: the stored snapshot brought up to date, places read in full.
    await store.places.replace('00000000-0000-4000-8000-00000000i016', [
      { departement: '16', place: { nom: 'Lieu', ...NEAR_SAINT_JUNIEN_IN_16 } },
    ]);
    v = await viewChecked({ cold: true });
    expect(v.fullAt).toBe(fullAt);
    expect(byCode(v.data).get('87')).toMatchObject({ reach: 1 });

    // Configuration (ratio target, radius): computed in full.
    const other = { ...config, territory: { ...config.territory, ratioTargetEur: 1_000, reachRadiusKm: 2 } };
    v = await viewChecked({ config: other });
    expect(v.fullAt).not.toBe(fullAt);
    expect(byCode(v.data).get('87')).toMatchObject({ sustainableActors: 10 });
  });
});
