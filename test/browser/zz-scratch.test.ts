import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { tabStops } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

let app: ConsoleApp;
let browser: Browser;
beforeAll(async () => {
  app = await startConsoleApp();
  await createStaff(
    app.deps,
    { email: 'x@aptic.test', password: 'correct horse battery staple', role: 'admin' },
    'test',
  );
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});
it('shots', async () => {
  const { id } = await app.submit({ nom: 'Accessible' });
  await app.waitForTask(id, 'staff_review');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.route(/openstreetmap\.org/, (r) => r.abort());
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', 'x@aptic.test');
  await page.fill('#login-password', 'correct horse battery staple');
  await page.click('#login-submit');
  await page.waitForSelector('#tasks tbody tr');
  for (const [name, path] of [
    ['inbox', '/console'],
    ['application', `/console/application.html?id=${id}`],
    ['admin', '/console/admin.html'],
    ['campaigns', '/console/campaigns.html'],
    ['coverage', '/console/coverage.html'],
    ['carte', '/carte'],
  ]) {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}${path}`);
    await page.waitForTimeout(800);
    console.log(name, (await tabStops(page)).map((s) => s.what).join(' → '));
    await page.screenshot({ path: `/tmp/a11y-shots/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 320, height: 640 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/a11y-shots/${name}-320.png`, fullPage: true });
  }
}, 120_000);
