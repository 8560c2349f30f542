import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKeyboardReachable, expectNoAxeViolations } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';
import { seedApplication } from '../integration/console/seed.js';

/**
 * /carte as a pass holder uses it (docs/places-geo.md): markers for located places, a commune or a postal code puts
 * the nearest places first with their distance, hours in plain French and an itinerary; without tiles the map says
 * so and the list works; beyond a few hundred places the markers are grouped.
 */
let app: ConsoleApp;
let browser: Browser;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: 'Préau',
    lieu: {
      nom: 'Le Préau',
      adresse: '1 place Bonnyaud',
      code_postal: '23000',
      commune: 'Guéret',
      horaires: 'Mo-Fr 09:00-12:00,14:00-17:30',
    },
  });
  await seedApplication(app.deps, { stage: 'qualified', nom: 'Clic Limoges', lieu: { nom: 'Clic Beaubreuil' } });
  await seedApplication(app.deps, {
    stage: 'qualified',
    nom: 'Atelier de Saint-Junien',
    lieu: { nom: 'Atelier Glane', adresse: '2 rue Louis Codet', code_postal: '87200', commune: 'Saint-Junien' },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(): Promise<{ page: Page; tiles: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const tiles: string[] = [];
  await page.route(/openstreetmap\.org/, (route) => {
    tiles.push(route.request().url());
    return route.abort();
  });
  await page.goto(`${app.url}/carte`);
  await page.waitForSelector('body[data-loaded="true"]');
  return { page, tiles };
}

const names = (page: Page) => page.locator('#list li .nom').allTextContents();

describe('/carte: markers and the nearest places', () => {
  it('draws a marker per place (places published before get their commune centre) and says when tiles fail', async () => {
    const { page, tiles } = await open();
    expect(await page.locator('#map').getAttribute('data-markers')).toBe('3');
    expect(await page.locator('#map path.lieu-marker').count()).toBe(3);
    expect(tiles.length).toBeGreaterThan(0);
    await expect.poll(() => page.textContent('#map-status')).toMatch(/fond de carte ne peut pas être chargé/);
    // Hours in words, never the OSM syntax; an itinerary link to openstreetmap.org.
    const preau = page.locator('#list li', { hasText: 'Le Préau' });
    expect(await preau.locator('.horaires').textContent()).toBe(
      'Horaires : du lundi au vendredi de 9 h à 12 h et de 14 h à 17 h 30',
    );
    expect(await page.locator('#list').textContent()).not.toContain('Mo-Fr');
    expect(await preau.locator('a.itineraire').getAttribute('href')).toMatch(
      /^https:\/\/www\.openstreetmap\.org\/directions\?route=%3B46\./,
    );
    await page.close();
  }, 60_000);

  it('a postal code typed with the keyboard puts the nearest first, with the distance; axe stays clean', async () => {
    const { page } = await open();
    await expectKeyboardReachable(page, ['#q', '#search button[type="submit"]', 'a.itineraire']);
    await page.focus('#q');
    await page.keyboard.type('87200');
    await page.keyboard.press('Enter');
    // 87200 is the postal code of several communes: the origin is their mean centre, and the title names them.
    await expect
      .poll(() => page.textContent('#list-title'))
      .toMatch(/^Lieux les plus proches de 87200 \(.*Saint-Junien/);
    expect(await names(page)).toEqual(['Atelier Glane', 'Clic Beaubreuil', 'Le Préau']);
    const distances = await page.locator('#list li .distance').allTextContents();
    expect(distances[0]).toMatch(/^À (\d+ m|\d,\d km)$/);
    const km = distances.map((d) => Number(d.replace(/^À /, '').replace(' km', '').replace(',', '.')));
    expect(km[1]).toBeGreaterThan(20);
    expect(km[1]).toBeLessThan(40);
    expect(km[2]).toBeGreaterThan(km[1]!);
    expect(await page.textContent('#count')).toMatch(/^3 lieu\(x\), les plus proches de 87200 \(.*\) d’abord$/);
    // The searched commune is on the map too, and the itinerary starts from it.
    expect(await page.locator('#map path.origine-marker').count()).toBe(1);
    expect(await page.locator('#list li a.itineraire').first().getAttribute('href')).toMatch(
      /route=45\.\d+%2C0\.\d+%3B/,
    );
    await expectNoAxeViolations(page, '/carte, nearest places');

    // A commune by name; then an unknown one (said in French, the list stays).
    await page.fill('#q', 'Guéret');
    await page.keyboard.press('Enter');
    await expect.poll(() => names(page)).toEqual(['Le Préau', 'Clic Beaubreuil', 'Atelier Glane']);
    await page.fill('#q', 'Atlantide');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#status')).toMatch(/introuvable : « Atlantide »/);
    expect(await names(page)).toHaveLength(3);
    await expectNoAxeViolations(page, '/carte, unknown commune');
    await page.close();
  }, 90_000);

  it('asks which commune when several share the name, with buttons reachable by keyboard', async () => {
    const { page } = await open();
    await page.fill('#q', 'Saint-Martin');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#choices button');
    expect(await page.locator('#choices').isHidden()).toBe(false);
    // Focus moved to the first choice: Enter picks it.
    const first = await page.locator('#choices button').first().textContent();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(first);
    await expectNoAxeViolations(page, '/carte, choices');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#list-title')).toBe(`Lieux les plus proches de ${first}`);
    expect(await page.locator('#choices').isHidden()).toBe(true);
    await page.close();
  }, 60_000);

  it('groups markers beyond a few hundred places, and a group opens on click', async () => {
    // 400 places around Limoges (a published row carries its coordinates, as after geocoding).
    const rows = Array.from({ length: 400 }, (_, i) => ({
      departement: '87',
      precision: 'address' as const,
      place: {
        id: `bulk-${i}`,
        nom: `Lieu ${i}`,
        adresse: `${i} avenue du Général Leclerc`,
        code_postal: '87000',
        commune: 'Limoges',
        code_insee: '87085',
        latitude: 45.8 + (i % 20) * 0.01,
        longitude: 1.2 + Math.floor(i / 20) * 0.01,
      },
    }));
    await app.deps.store.places.replace('bulk-application', rows);
    const { page } = await open();
    expect(await page.locator('#list li').count()).toBe(403);
    const clusters = Number(await page.locator('#map').getAttribute('data-clusters'));
    const markers = Number(await page.locator('#map').getAttribute('data-markers'));
    expect(clusters).toBeGreaterThan(0);
    expect(clusters + markers).toBeLessThan(100);
    expect(await page.locator('.cluster-count').first().textContent()).toMatch(/^\d+$/);
    const zoom = Number(await page.locator('#map').getAttribute('data-zoom'));
    // Leaflet redraws its SVG layer while the first view settles: a group can be briefly without a box. Click again
    // until one takes (each try short), instead of once at a moment the machine's load decides.
    await expect
      .poll(
        async () =>
          page
            .locator('path.lieu-cluster')
            .first()
            .click({ force: true, timeout: 2_000 })
            .then(() => true)
            .catch(() => false),
        { timeout: 20_000 },
      )
      .toBe(true);
    await expect.poll(async () => Number(await page.locator('#map').getAttribute('data-zoom'))).toBeGreaterThan(zoom);
    // Closer in, the groups split: more, smaller groups or single markers.
    await expect
      .poll(async () => {
        const m = Number(await page.locator('#map').getAttribute('data-markers'));
        const c = Number(await page.locator('#map').getAttribute('data-clusters'));
        return m + c;
      })
      .toBeGreaterThan(clusters + markers);
    await expectNoAxeViolations(page, '/carte, 403 places');
    await page.close();
  }, 90_000);
});
