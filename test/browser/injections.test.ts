import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { expectDocumentBasics, expectKeyboardReachable, expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * The console page of pass injections and prospects in headless Chromium: an admin enters an injection with the
 * keyboard, uploads a CSV of injections and a Latin-1 CSV of prospects, reads the row-by-row report, lists the
 * prospects. axe-core on every state; names from files stay inert text.
 */
const XSS = '<img src=x onerror=alert(1)>';
const PASSWORD = 'correct horse battery staple';
let app: ConsoleApp;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await createStaff(app.deps, { email: 'territoire@aptic.test', password: PASSWORD, role: 'admin' }, 'test');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    errors.push(`dialog ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', 'territoire@aptic.test');
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('nav#nav a[href="/console/injections.html"]');
  return page;
}

describe('console: injections and prospects page', () => {
  it('enters an injection by keyboard, imports CSV files with their report, lists prospects; axe clean', async () => {
    const page = await signedIn();
    await page.click('nav#nav a[href="/console/injections.html"]');
    await page.waitForSelector('body[data-loaded="true"]');
    await expectDocumentBasics(page, /Injections et prospects/);
    await expectNoAxeViolations(page, 'injections page');
    await expectKeyboardReachable(page, [
      '#i-financeur',
      '#i-type',
      '#i-code',
      '#i-passes',
      '#i-date',
      '#i-fin',
      '#injection-form button',
      '#injection-file',
      '#prospect-file',
      '#p-dep',
      '#stimulate-form button',
    ]);

    // One injection, typed and sent with the keyboard only.
    await page.focus('#i-financeur');
    await page.keyboard.type('Département de la Creuse');
    await page.selectOption('#i-type', 'departement');
    await page.focus('#i-code');
    await page.keyboard.type('23');
    await page.focus('#i-passes');
    await page.keyboard.type('3000');
    await page.fill('#i-date', new Date().toISOString().slice(0, 10));
    await page.fill('#i-fin', '2030-12-31');
    await page.focus('#injection-form button');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('#injection-status'), { timeout: 15_000 })
      .toMatch(/Injection enregistrée : 3000 passes pour Creuse/);

    // A CSV of injections with one bad line: the report names it.
    await page.setInputFiles('#injection-file', {
      name: 'injections.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'financeur;financeur_type;niveau;code_territoire;passes;date;fin_validite\nVille;commune;commune;87085;100;01/02/2026;31/12/2030\nVille;commune;commune;87999;-5;01/02/2026;31/12/2030\n',
      ),
    });
    await page.click('#injection-import-form button');
    await page.waitForSelector('#injection-report[data-done="true"]');
    expect(await page.textContent('#injection-report')).toMatch(
      /1 injection\(s\) importée\(s\).*1 ligne\(s\) refusée\(s\)/,
    );
    expect(await page.textContent('#injection-report table')).toMatch(/3.*Commune inconnue|3.*négatif/);

    // A Latin-1 CSV of prospects (what a spreadsheet saves), with a name carrying markup and a bad line.
    const header = 'id;pivot;nom;commune;code_postal;adresse;date_maj;courriels';
    await page.setInputFiles('#prospect-file', {
      name: 'lieux.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        `${header}\nl1;73282932000074;Médiathèque ${XSS};Guéret;23000;1 place;2024-05-02;contact@media.example.org\nl2;1;Bad;Guéret;23000;1 place;2024-05-02;\n`,
        'latin1',
      ),
    });
    await page.click('#prospect-import-form button');
    await page.waitForSelector('#prospect-report[data-done="true"]');
    expect(await page.textContent('#prospect-report')).toMatch(/1 lieu\(x\) importé\(s\).*1 ligne\(s\) refusée\(s\)/);
    expect(await page.textContent('#prospect-report table')).toMatch(/3.*pivot/);
    await expectNoAxeViolations(page, 'injections page with reports');

    await page.fill('#p-dep', '23');
    await page.click('#prospects-form button');
    await page.waitForSelector('#prospects tbody tr');
    expect(await page.textContent('#prospects tbody')).toContain(`Médiathèque ${XSS}`);
    expect(await page.locator('img[src="x"], [onerror]').count()).toBe(0);
    await expectNoAxeViolations(page, 'injections page with prospects');
    await expectReflow(page, 'injections page');
    expect(errors).toEqual([]);
  });
});
