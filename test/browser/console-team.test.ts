import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { expectKeyboardReachable, expectNoAxeViolations, expectNoOverflowAt } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, makeSiret, startConsoleApp } from '../integration/console/harness.js';
import { seedApplication } from '../integration/console/seed.js';

/**
 * The console as a team's tool in Chromium (issue 13): the overdue filter, bulk selection with one result per task,
 * the search and the closed applications; axe clean and usable with the keyboard in each state.
 */
const EMAIL = 'equipe@aptic.test';
const PASSWORD = 'correct horse battery staple';
let app: ConsoleApp;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  app = await startConsoleApp();
  await createStaff(app.deps, { email: EMAIL, password: PASSWORD, role: 'reviewer' }, 'test');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.dismiss());
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', EMAIL);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#tasks tbody tr');
  return page;
}

describe('console team tools in Chromium', () => {
  it('overdue filter, bulk decision with a result per task, search and closed list', async () => {
    const late = await seedApplication(app.deps, {
      nom: 'Atelier Très En Retard',
      siret: makeSiret(70),
      stage: 'staff_review',
      openedAt: new Date(Date.now() - 12 * 86_400_000).toISOString(),
      flags: [{ code: 'opening_hours_unparsed', message: '…' }],
    });
    await seedApplication(app.deps, { nom: 'Qualifiée Close', siret: makeSiret(71), stage: 'qualified' });
    const one = await app.submit({ nom: 'Premier Lot' });
    const two = await app.submit({ nom: 'Second Lot' });
    const t1 = await app.waitForTask(one.id, 'staff_review');
    const t2 = await app.waitForTask(two.id, 'staff_review');

    const page = await signedIn();
    const lateRow = page.locator(`#tasks tbody tr[data-application-id="${late.app.id}"]`);
    await expect.poll(() => lateRow.count(), { timeout: 20_000 }).toBe(1);
    // People's words, not codes: name, commune, reference, the flag's label, « En retard » in text.
    const text = (await lateRow.textContent()) ?? '';
    for (const part of ['Atelier Très En Retard', 'Limoges', `réf. ${late.app.id.slice(0, 8)}`, 'En retard']) {
      expect(text).toContain(part);
    }
    expect(text).toContain('Horaires non lus automatiquement');
    expect(text).not.toContain('opening_hours_unparsed');
    await expectNoOverflowAt(page, 'inbox with due dates');

    // Overdue filter, with the keyboard: the box, then Enter on the filter button.
    await page.focus('#f-overdue');
    await page.keyboard.press('Space');
    await page.focus('#filters button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      ([fresh, old]) =>
        !document.querySelector(`#tasks tbody tr[data-application-id="${fresh}"]`) &&
        document.querySelector(`#tasks tbody tr[data-application-id="${old}"]`),
      [one.id, late.app.id],
    );
    const shown = await page.locator('#tasks tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.overdue));
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(['true']));
    await expectNoAxeViolations(page, 'inbox, overdue filter');
    await expectKeyboardReachable(page, ['#f-overdue', '#f-sort', '#select-all', 'input.pick', '#bulk-submit']);

    // Bulk: the two fresh ones, one of which a colleague decides in the meantime.
    await page.focus('#f-overdue');
    await page.keyboard.press('Space');
    await page.click('#filters button[type="submit"]');
    const pick = (id: string) => page.locator(`#tasks tbody tr[data-application-id="${id}"] input.pick`);
    await expect.poll(() => pick(two.id).count(), { timeout: 20_000 }).toBe(1);
    await pick(one.id).focus();
    await page.keyboard.press('Space');
    await pick(two.id).focus();
    await page.keyboard.press('Space');
    expect(await page.textContent('#bulk-count')).toBe('2 tâches sélectionnées.');
    const colleague = await app.staff('admin');
    const first = await app.call('POST', `/api/console/tasks/${t2.taskId}/decision`, {
      token: colleague.token,
      body: { decision: 'approve' },
    });
    expect(first.status).toBe(200);
    await page.focus('#bulk-submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('dialog.confirm[open]');
    await expectNoAxeViolations(page, 'inbox, bulk confirmation');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    await page.focus('#confirm-ok');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#bulk-results li[data-status="ok"]');
    const results = await page
      .locator('#bulk-results li')
      .evaluateAll((lis) => lis.map((li) => [li.dataset.taskId, li.dataset.status, li.textContent]));
    const byTask = new Map(results.map(([id, status, line]) => [id, { status, line }]));
    expect(byTask.size).toBe(2);
    expect(byTask.get(t1.taskId)?.status).toBe('ok');
    expect(byTask.get(t1.taskId)?.line).toContain('Premier Lot');
    expect(byTask.get(t2.taskId)?.status).toBe('already_decided');
    expect(byTask.get(t2.taskId)?.line).toContain('Second Lot');
    expect(byTask.get(t2.taskId)?.line).toContain('Déjà décidée');
    await expect
      .poll(() => page.textContent('#bulk-status'), { timeout: 20_000 })
      .toContain('1 décision enregistrée sur 2');
    await expectNoAxeViolations(page, 'inbox, bulk results');

    // Search and closed applications.
    await page.click('nav#nav a[href="/console/search.html"]');
    await page.waitForSelector('body[data-loaded="true"]');
    await page.focus('#q');
    await page.keyboard.type('atelier tres');
    await page.keyboard.press('Enter');
    const hit = page.locator(`#search-results tbody tr[data-application-id="${late.app.id}"]`);
    await expect.poll(() => hit.count(), { timeout: 20_000 }).toBe(1);
    expect(await hit.textContent()).toContain("Examen par l'équipe");
    expect(await page.locator('#closed tbody tr').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('Qualifiée Close')]),
    );
    await page.selectOption('#c-stage', 'rejected');
    await page.click('#closed-form button[type="submit"]');
    await expect.poll(() => page.textContent('#closed-status'), { timeout: 20_000 }).toContain('Aucune demande close');
    await expectNoAxeViolations(page, 'search page with results');
    await expectKeyboardReachable(page, ['#q', '#search-results a', '#c-stage', '#c-from', '#c-export']);
    await expectNoOverflowAt(page, 'search page');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
