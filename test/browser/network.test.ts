import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import {
  expectDocumentBasics,
  expectKeyboardReachable,
  expectNoAxeViolations,
  expectNoOverflowAt,
  expectReflow,
} from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from '../integration/console/harness.js';
import { seedApplication } from '../integration/console/seed.js';

/**
 * A network's page in headless Chromium (lite runtime): member states, the bulk final approval with keyboard only
 * (one member already approved by someone else: a result per item), invitations, a removal notice; axe on every
 * state; the imported names stay inert text.
 */
const XSS = '<img src=x onerror=alert(1)>';
const ADMIN = 'chef-reseau@aptic.test';
const PASSWORD = 'correct horse battery staple';
let app: ConsoleApp;
let browser: Browser;
let networkId: string;
const sirets = [makeSiret(81), makeSiret(82), makeSiret(83), makeSiret(84), makeSiret(85)];
const taskIds: string[] = [];

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await createStaff(app.deps, { email: ADMIN, password: PASSWORD, role: 'admin' }, 'test');
  const admin = await app.staff('admin');
  const saved = await app.call('POST', '/api/console/networks', {
    token: admin.token,
    body: { name: 'Réseau Navigateur', agreement: { signedAt: '2026-01-15', departements: ['87'] } },
  });
  networkId = saved.body.network.id;
  const csv = [
    'siret;nom;code_postal;commune;courriel_structure',
    `${sirets[0]};Membre ${XSS};87280;Limoges;invite@membre.test`,
    `${sirets[1]};Membre Deux;87280;Limoges;`,
    `${sirets[2]};Membre Trois;87280;Limoges;`,
    `${sirets[3]};Membre Quatre;87280;Limoges;`,
    `${sirets[4]};Membre Cinq;87280;Limoges;`,
  ].join('\n');
  const imported = await app.call('POST', `/api/console/networks/${networkId}/members`, {
    token: admin.token,
    raw: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(imported.status).toBe(200);
  for (const siret of sirets.slice(1, 4)) {
    const { taskId } = await seedApplication(app.deps, { siret, stage: 'final_approval', route: 'reseau' });
    taskIds.push(taskId!);
  }
  await seedApplication(app.deps, { siret: sirets[4], stage: 'staff_review', route: 'reseau' });
  // The last member leaves the list while its application is in review: staff get a notice.
  const replaced = await app.call('POST', `/api/console/networks/${networkId}/members?mode=replace`, {
    token: admin.token,
    raw: csv.split('\n').slice(0, 5).join('\n'),
    headers: { 'content-type': 'text/csv; charset=utf-8' },
  });
  expect(replaced.body.notices).toBe(1);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on('dialog', (d) => void d.dismiss());
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', ADMIN);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#nav a');
  await page.goto(`${app.url}/console/network.html?id=${networkId}`);
  await page.waitForSelector('body[data-loaded="true"]');
  return page;
}

describe("a network's page in Chromium", () => {
  it('shows states, approves a selection by keyboard with a result per member, invites, acknowledges a notice', async () => {
    const page = await signedIn();
    await expectDocumentBasics(page, /Réseau Navigateur · Réseau · Console #APTIC/);
    expect(await page.textContent('#net-title')).toBe('Réseau Réseau Navigateur');
    expect(await page.locator('#members tbody tr').count()).toBe(4);
    expect(await page.textContent(`#members tr[data-siret="${sirets[0]}"]`)).toContain(`Membre ${XSS}`);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"], [onerror]').length)).toBe(0);
    expect(await page.textContent(`#members tr[data-siret="${sirets[1]}"] td.state`)).toBe('En examen');
    expect(await page.locator('#notices-card').isVisible()).toBe(true);
    expect(await page.textContent('#notices')).toContain('Membre Cinq');
    expect(await page.textContent('#imports')).toContain('Liste complète');
    await expectNoAxeViolations(page, 'network page');
    await expectNoOverflowAt(page, 'network page');
    await expectReflow(page, 'network page');
    await expectKeyboardReachable(page, ['#f-state', '#select-all', '#members input.pick', '#invite', 'button.ack']);

    // Someone else approves one of them first.
    const other = await app.staff('reviewer');
    expect(
      (
        await app.call('POST', `/api/console/tasks/${taskIds[1]}/decision`, {
          token: other.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(200);

    // Keyboard only: select all, approve, confirm.
    await page.focus('#select-all');
    await page.keyboard.press('Space');
    expect(await page.locator('#members input.pick:checked').count()).toBe(3);
    expect(await page.textContent('#bulk-approve')).toBe('Approuver la sélection (3)');
    await page.focus('#bulk-approve');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#bulk-confirm:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bulk-confirm-yes');
    expect(await page.textContent('#bulk-confirm-text')).toMatch(/3 membres/);
    await expectNoAxeViolations(page, 'network page, bulk confirmation');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#bulk-results li');
    expect(await page.locator('#bulk-results li[data-status="ok"]').count()).toBe(2);
    expect(await page.locator('#bulk-results li[data-status="already_decided"]').count()).toBe(1);
    expect(await page.textContent('#bulk-status')).toBe('2 approuvées sur 3. Voir le détail ci-dessous.');
    await expectNoAxeViolations(page, 'network page, bulk results');

    // Filter by state, then invite the members who have not applied.
    await page.selectOption('#f-state', 'not_invited');
    expect(await page.locator('#members tbody tr').count()).toBe(1);
    await page.click('#invite');
    await expect.poll(() => page.textContent('#invite-status')).toMatch(/^1 invitation envoyée\./);
    await page.selectOption('#f-state', 'invited');
    await expect.poll(() => page.locator('#members tbody tr').count()).toBe(1);
    await expectNoAxeViolations(page, 'network page, after invitations');

    // The removal notice, acknowledged: the card goes away.
    await page.click('button.ack');
    await expect.poll(() => page.locator('#notices-card').isHidden()).toBe(true);
    expect(await page.textContent('#notices-status')).toMatch(/marqué comme lu/);
    await page.close();
  }, 180_000);
});
