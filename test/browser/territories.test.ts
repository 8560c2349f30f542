import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectDocumentBasics,
  expectKeyboardReachable,
  expectNoAxeViolations,
  expectNoOverflowAt,
  expectReflow,
} from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * The territory pages in headless Chromium (lite runtime, store seeded over the API and directly): the map of
 * France by département, coloured and patterned by status, one tab stop moved with the arrows, with the same
 * figures as the table; the page of one département; axe clean, keyboard usable, reflowing.
 */
let app: ConsoleApp;
let browser: Browser;
let admin: { email: string; token: string };
const errors: string[] = [];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  admin = await app.staff('admin');
  const inject = (code: string, passes: number) =>
    app.call('POST', '/api/console/pass-injections', {
      token: admin.token,
      body: {
        financeur: `Conseil départemental ${code}`,
        financeurType: 'departement',
        territoire: { niveau: 'departement', code },
        passes,
        date: daysAgo(15),
        finValidite: '2030-12-31',
      },
    });
  // Haute-Vienne: 15,000 € (1 sustainable), 2 qualified → saturated; Creuse: 60,000 € (4), none → to stimulate;
  // Corrèze: 15,000 €, 1 qualified → balanced.
  expect((await inject('87', 1_500)).status).toBe(201);
  expect((await inject('23', 6_000)).status).toBe(201);
  expect((await inject('19', 1_500)).status).toBe(201);
  // With their position (a place without one reaches nobody: reach 0 → to stimulate, docs/territory.md).
  const at: Record<string, [number, number]> = { Limoges: [45.8336, 1.2611], Tulle: [45.2675, 1.7705] };
  const place = (dep: string, nom: string, commune: string) => [
    {
      departement: dep,
      place: {
        id: `${nom}-1`,
        nom,
        commune,
        structure_parente: `Association ${nom}`,
        latitude: at[commune]![0],
        longitude: at[commune]![1],
      },
    },
  ];
  await app.deps.store.places.replace('00000000-0000-4000-8000-0000000000b1', place('87', 'Lieu A', 'Limoges'));
  await app.deps.store.places.replace('00000000-0000-4000-8000-0000000000b2', place('87', 'Lieu B', 'Limoges'));
  await app.deps.store.places.replace('00000000-0000-4000-8000-0000000000b3', place('19', 'Lieu C', 'Tulle'));
  await app.call('POST', '/api/console/campaigns', {
    token: admin.token,
    body: { kind: 'tour', label: 'Tour de la Creuse', territory: '23' },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedInPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/console`);
  await page.evaluate((token) => {
    sessionStorage.setItem('aptic.console.token', token);
    sessionStorage.setItem('aptic.console.role', 'admin');
  }, admin.token);
  return page;
}

describe('territory map in Chromium', () => {
  it('map and table give the same figures; status by colour and pattern and words; axe clean; reflows', async () => {
    const page = await signedInPage();
    await page.goto(`${app.url}/console/territoires.html`);
    await page.waitForSelector('body[data-loaded="true"]');
    await expectDocumentBasics(page, 'Maillage territorial · Console #APTIC');
    await expectNoAxeViolations(page, 'territory map');
    // One map link per table row, and each says the row's figures.
    const mismatches = await page.evaluate(() => {
      const out: string[] = [];
      const rows = Array.from(document.querySelectorAll<HTMLTableRowElement>('#territories tbody tr'));
      const links = new Map(
        Array.from(document.querySelectorAll('#map svg a')).map((a) => [
          a.getAttribute('data-code'),
          a.getAttribute('aria-label') ?? '',
        ]),
      );
      if (rows.length !== links.size) out.push(`${rows.length} rows, ${links.size} map links`);
      for (const r of rows) {
        const code = r.dataset.code as string;
        const label = links.get(code) ?? '';
        const cell = (f: string) => r.querySelector(`[data-field="${f}"]`)?.textContent ?? '';
        const expected = [
          cell('status').toLowerCase(),
          `${cell('passesInjected12m')} passes`,
          `${cell('sustainableActors')} acteur(s) soutenable(s)`,
          `${cell('qualifiedActors')} qualifié(s)`,
          `${cell('inProgress')} en cours`,
          `${cell('waitlisted')} en attente`,
          `portée ${cell('reach')}`,
        ];
        for (const e of expected) if (!label.includes(e)) out.push(`${code}: « ${e} » not in « ${label} »`);
      }
      return out;
    });
    expect(mismatches).toEqual([]);
    const row = (code: string) => page.locator(`#territories tr[data-code="${code}"]`);
    expect(await row('87').locator('[data-field="status"]').textContent()).toBe('Saturé');
    expect(await row('23').locator('[data-field="status"]').textContent()).toBe('À stimuler');
    expect(await row('19').locator('[data-field="status"]').textContent()).toBe('Équilibré');
    expect(await row('2A').locator('[data-field="status"]').textContent()).toBe('Sans passes');
    // Colour is never the only cue: patterned fills for two statuses, and the legend in words.
    expect(await page.getAttribute('#map a[data-code="87"] path', 'fill')).toBe('url(#st-saturated)');
    expect(await page.getAttribute('#map a[data-code="23"] path', 'fill')).toBe('url(#st-to_stimulate)');
    expect(await page.textContent('#legend')).toMatch(/Saturé : 1 département.*Sans passes/);
    // Overseas départements are on the map too (labelled boxes).
    expect(await page.textContent('#map a[data-code="974"]')).toContain('974');
    await expectNoOverflowAt(page, 'territory map');
    await expectReflow(page, 'territory map');
    await page.close();
  }, 90_000);

  it('the map is one tab stop; arrows move between départements; Enter opens the département’s page', async () => {
    const page = await signedInPage();
    await page.goto(`${app.url}/console/territoires.html`);
    await page.waitForSelector('body[data-loaded="true"]');
    const stops = await expectKeyboardReachable(page, ['#map a[tabindex="0"]', '#territories a']);
    expect(stops.filter((s) => s.what.startsWith('a ') && /\(\d|\(2[AB]/.test(s.what)).length).toBeGreaterThan(0);
    expect(await page.locator('#map a[tabindex="0"]').count()).toBe(1);
    await page.focus('#map a[tabindex="0"]');
    const active = () => page.evaluate(() => document.activeElement?.getAttribute('data-code'));
    expect(await active()).toBe('01');
    await page.keyboard.press('ArrowRight');
    expect(await active()).toBe('02');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await active()).toBe(await page.locator('#map svg a').last().getAttribute('data-code'));
    await page.keyboard.press('Home');
    for (let i = 0; i < 120 && (await active()) !== '87'; i++) await page.keyboard.press('ArrowRight');
    expect(await active()).toBe('87');
    expect(await page.locator('#map a[tabindex="0"]').getAttribute('data-code')).toBe('87');
    await page.keyboard.press('Enter');
    await page.waitForURL(/territoire\.html\?departement=87/);
    await page.waitForSelector('body[data-loaded="true"]');

    // The département's page: its figures, injections, EPCI, places, campaigns; prospects when the route exists.
    await expectDocumentBasics(page, 'Haute-Vienne (87) · Console #APTIC');
    expect(await page.textContent('#figures')).toMatch(/Saturé/);
    expect(await page.textContent('#injections')).toContain('Conseil départemental 87');
    expect(await page.locator('#epci tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('#places')).toContain('Lieu A');
    expect(await page.textContent('#prospects')).toMatch(
      /prospects ne sont pas encore disponibles|Aucun prospect|Lieu/,
    );
    await expectNoAxeViolations(page, 'département page');
    await expectNoOverflowAt(page, 'département page');
    await expectReflow(page, 'département page');
    await page.goto(`${app.url}/console/territoire.html?departement=23`);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.textContent('#funnel')).toContain('Tour de la Creuse');
    await expectNoAxeViolations(page, 'département page with a campaign');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
