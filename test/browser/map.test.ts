import type { Browser } from 'playwright-core';
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
import { seedApplication } from '../integration/console/seed.js';

/** The public map: a list that works without tiles, filters by service and département, inert actor text. */
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';
let app: ConsoleApp;
let browser: Browser;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await seedApplication(app.deps, { stage: 'qualified', nom: 'Clic Limoges', lieu: { nom: 'Clic Beaubreuil' } });
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: `Préau ${XSS}`,
    lieu: { nom: `Le Préau ${XSS}`, adresse: `1 place ${XSS}`, code_postal: '23000', commune: 'Guéret' },
    extra: (doc) => {
      doc.activite.services = ['Loisirs et créations numériques'];
    },
  });
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: 'Non publié',
    lieu: { nom: 'Lieu caché' },
    publish: false,
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('public map /carte', () => {
  it('lists published places without tiles, filters them, and keeps actor text inert', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const tiles: string[] = [];
    await page.route(/openstreetmap\.org/, (route) => {
      tiles.push(route.request().url());
      return route.abort();
    });
    const res = await page.goto(`${app.url}/carte`);
    expect(res?.headers()['content-security-policy']).toMatch(/^default-src 'self'; img-src 'self' data: /);
    await page.waitForSelector('body[data-loaded="true"]');
    const names = async () => (await page.locator('#list li .nom').allTextContents()).sort();
    expect(await names()).toEqual(['Clic Beaubreuil', `Le Préau ${XSS}`]);
    expect(await page.textContent('#count')).toBe('2 lieu(x)');
    // Leaflet (from this origin) drew a map and asked the visitor's browser for OSM tiles, which failed here.
    expect(await page.locator('#map.leaflet-container').count()).toBe(1);
    expect(tiles.length).toBeGreaterThan(0);

    await page.selectOption('#f-service', 'Loisirs et créations numériques');
    expect(await names()).toEqual([`Le Préau ${XSS}`]);
    await page.selectOption('#f-service', '');
    await page.selectOption('#f-departement', '87');
    expect(await names()).toEqual(['Clic Beaubreuil']);
    expect(await page.locator('#f-departement option').allTextContents()).toEqual([
      'Tous les départements',
      '23',
      '87',
    ]);

    expect(
      await page.evaluate(() => document.querySelectorAll('img[src="x"], script:not([src]), [onerror]').length),
    ).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('still lists the places when Leaflet cannot load', async () => {
    const page = await browser.newPage();
    await page.route(/leaflet\.js$/, (route) => route.abort());
    await page.route(/openstreetmap\.org/, (route) => route.abort());
    await page.goto(`${app.url}/carte`);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.locator('#list li').count()).toBe(2);
  }, 60_000);
});

describe('public map accessibility (RGAA 4.1 gate, docs/accessibility.md)', () => {
  it('passes axe A/AA, has its title, is usable with the keyboard and reflows', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.route(/openstreetmap\.org/, (route) => route.abort());
    await page.goto(`${app.url}/carte`);
    await page.waitForSelector('body[data-loaded="true"]');
    await expectDocumentBasics(page, 'Carte des lieux qualifiés #APTIC');
    await expectNoAxeViolations(page, '/carte');
    const stops = await expectKeyboardReachable(page, [
      'a.skip',
      '#f-service',
      '#f-departement',
      'a[href="/api/lieux.csv"]',
      'a.leaflet-control-zoom-in',
    ]);
    // « Aller au contenu » comes first; the map's buttons speak French.
    expect(stops[0]?.what).toMatch(/Aller au contenu/);
    expect(await page.getAttribute('a.leaflet-control-zoom-in', 'aria-label')).toBe('Zoomer');
    expect(await page.getAttribute('a.leaflet-control-zoom-out', 'aria-label')).toBe('Dézoomer');
    await page.focus('a.skip');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await expectNoOverflowAt(page, '/carte');
    await expectReflow(page, '/carte');

    // Filtering with the keyboard alone: the count is announced (role="status").
    await page.focus('#f-departement');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.textContent('#count')).toBe('1 lieu(x)');
    expect(await page.getAttribute('#count', 'role')).toBe('status');
    await expectNoAxeViolations(page, '/carte, filtered');

    // A list longer than its box scrolls, and is then reachable with Tab.
    expect(await page.getAttribute('#list', 'tabindex')).toBe(null);
    // (CSSOM: the page's CSP refuses an inserted <style>.)
    await page.evaluate(() => {
      document.getElementById('list')!.style.maxHeight = '2rem';
    });
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getAttribute('#list', 'tabindex')).toBe('0');
    await expectNoAxeViolations(page, '/carte, long list');
    await expectKeyboardReachable(page, ['#list']);
    await page.close();
  }, 60_000);
});
