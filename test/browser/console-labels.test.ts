import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOverdueDigest } from '../../shared/usecases/digest.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from '../integration/console/harness.js';
import { seedApplication } from '../integration/console/seed.js';

/**
 * « Readable by people » (issue 13): flags, statuses, stages, answer keys, audit actions and states appear with their
 * French labels on every console page, never as a raw code. For seeded data touching each list (inbox, application
 * page and its history, closed list, admin audit trail, outbox, support, staff, network members and notices), no
 * visible table cell, list item or description matches the shape of a code (`opening_hours_unparsed`).
 */
const CODE = /^[a-z]+(_[a-z]+)+$/;
const ADMIN = 'libelles@aptic.test';
const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;
let app: ConsoleApp;
let browser: Browser;
let networkId: string;
let reviewId: string;
let rejectedId: string;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await createStaff(app.deps, { email: ADMIN, password: PASSWORD, role: 'admin' }, 'test');
  const admin = await app.staff('admin');
  const reviewer = await app.staff('reviewer');
  const review = await seedApplication(app.deps, {
    nom: 'Atelier Libellés',
    siret: makeSiret(61),
    stage: 'staff_review',
    openedAt: new Date(Date.now() - 9 * DAY).toISOString(),
    flags: [
      { code: 'opening_hours_unparsed', message: '…' },
      { code: 'siret_possibly_used', message: '…' },
    ],
  });
  reviewId = review.app.id;
  await seedApplication(app.deps, { nom: 'Qualifiée Libellés', siret: makeSiret(62), stage: 'qualified' });
  rejectedId = (await seedApplication(app.deps, { nom: 'Refusée Libellés', siret: makeSiret(63), stage: 'rejected' }))
    .app.id;
  await seedApplication(app.deps, { nom: 'En Attente', siret: makeSiret(64), stage: 'waitlisted', phase: 2 });
  // Audit records of several kinds: assignment, configuration, staff account, network import.
  await app.call('POST', `/api/console/tasks/${review.taskId}/assign`, {
    token: admin.token,
    body: { assignee: reviewer.email },
  });
  const cfg = await app.call('GET', '/api/console/config', { token: admin.token });
  await app.call('PUT', '/api/console/config', {
    token: admin.token,
    body: { version: cfg.body.version, set: { console: { fourEyes: true } } },
  });
  await app.call('POST', '/api/console/staff', {
    token: admin.token,
    body: { email: 'nouveau@aptic.test', role: 'reviewer' },
  });
  const saved = await app.call('POST', '/api/console/networks', {
    token: admin.token,
    body: { name: 'Réseau Libellés', agreement: { signedAt: '2026-01-15', departements: ['87'] } },
  });
  networkId = saved.body.network.id;
  const sirets = [makeSiret(65), makeSiret(66)];
  const csv = [
    'siret;nom;code_postal;commune;courriel_structure',
    ...sirets.map((s, i) => `${s};Membre ${i};87280;Limoges;`),
  ];
  await app.call('POST', `/api/console/networks/${networkId}/members`, {
    token: admin.token,
    raw: csv.join('\n'),
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  await seedApplication(app.deps, { siret: sirets[1]!, stage: 'staff_review', route: 'reseau' });
  // The member with an application leaves the list: a notice with its stage.
  await app.call('POST', `/api/console/networks/${networkId}/members?mode=replace`, {
    token: admin.token,
    raw: csv.slice(0, 2).join('\n'),
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  // The outbox: a digest of the overdue step, a few days on.
  const moved = new Date(Math.floor((Date.now() + 2 * DAY) / DAY) * DAY + 7 * 3_600_000);
  await sendOverdueDigest({ ...app.deps, clock: () => moved });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (d) => void d.dismiss());
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', ADMIN);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#tasks tbody tr');
  return page;
}

/** Visible cells, items and descriptions whose whole text looks like a code, with where they are. */
async function rawCodes(page: Page): Promise<string[]> {
  const texts = await page.$$eval('td, th, li, dd, dt, .tag, option, summary, .what', (els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null || e.tagName === 'OPTION')
      .map((e) => `${e.closest('[id]')?.id ?? '?'}: ${(e.textContent ?? '').trim()}`),
  );
  return texts.filter((t) => CODE.test(t.slice(t.indexOf(': ') + 2)));
}

describe('console pages show French labels, not codes', () => {
  it('inbox, application page, search and closed list, admin, outbox, support, staff, network', async () => {
    const page = await signedIn();
    const pages: [string, string][] = [
      ['/console', '#tasks tbody tr'],
      [`/console/application.html?id=${reviewId}`, 'body[data-loaded="true"]'],
      [`/console/application.html?id=${rejectedId}`, 'body[data-loaded="true"]'],
      ['/console/search.html', 'body[data-loaded="true"]'],
      ['/console/admin.html', 'body[data-loaded="true"]'],
      ['/console/outbox.html', 'body[data-loaded="true"]'],
      ['/console/support.html', '#support-list tbody tr'],
      ['/console/staff.html', 'body[data-loaded="true"]'],
      ['/console/injections.html', 'body[data-loaded="true"]'],
      [`/console/network.html?id=${networkId}`, 'body[data-loaded="true"]'],
    ];
    const found: Record<string, string[]> = {};
    for (const [path, ready] of pages) {
      await page.goto(`${app.url}${path}`);
      await page.waitForSelector(ready, { state: 'attached' });
      // Lists fill after the flag: wait for the network so every row is drawn.
      await page.waitForLoadState('networkidle');
      const codes = await rawCodes(page);
      if (codes.length) found[path] = codes;
    }
    expect(found).toEqual({});
    // The seeded data did reach the pages checked (a page that shows nothing would pass without this).
    await page.goto(`${app.url}/console/admin.html`);
    await page.waitForSelector('body[data-loaded="true"]');
    await expect.poll(() => page.locator('#changes tbody tr').count()).toBeGreaterThanOrEqual(3);
    await expect(page.locator('#changes tbody').innerText()).resolves.toContain('Étape assignée');
    await page.goto(`${app.url}/console/application.html?id=${reviewId}`);
    await page.waitForSelector('body[data-loaded="true"]');
    await expect(page.locator('body').innerText()).resolves.toContain('Horaires non lus automatiquement');
  }, 120_000);
});
