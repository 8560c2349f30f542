import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../shared/config/config.js';
import { ibanCheckDigits } from '../../shared/domain/bank.js';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { expectKeyboardReachable, expectNoAxeViolations } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { TEST_SUBMISSION_LIMITS } from '../helpers/test-config.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * The console's bank details card (docs/actor.md « Bank details »), with bank details required (the product default):
 * the final approval is refused with the reason shown, an admin shows the details in full and validates them, then
 * the approval goes through. Actor text stays text.
 */
const BBAN = '30006000011234567812345';
const IBAN = `FR${ibanCheckDigits('FR', BBAN)}${BBAN}`;
const HOLDER = 'Asso <img src=x onerror=alert(1)>';
const ADMIN = 'admin-banque@aptic.test';
const PASSWORD = 'correct horse battery staple';

let app: ConsoleApp;
let browser: Browser;
const errors: string[] = [];

beforeAll(async () => {
  app = await startConsoleApp({
    config: parseConfig({
      ...DEFAULT_CONFIG,
      submissionLimits: TEST_SUBMISSION_LIMITS,
      // The product default, written out: the test is about the gate.
      commitments: { ...DEFAULT_CONFIG.commitments, bankDetailsRequired: true },
    }),
  });
  await createStaff(app.deps, { email: ADMIN, password: PASSWORD, role: 'admin' }, 'test');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function signedInPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(/openstreetmap\.org/, (route) => route.abort());
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', ADMIN);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#tasks');
  return page;
}

describe('bank details card in the console (Chromium)', () => {
  it('refuses the final approval with the reason, shows in full, validates, then approves', async () => {
    // Prepare: an application at final approval with bank details entered by the actor.
    const { id, actorToken } = await app.submit();
    await app.confirmAddress(id);
    const reviewer = await app.staff('reviewer');
    const { taskId } = await app.waitForTask(id, 'staff_review');
    await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
      token: reviewer.token,
      body: { decision: 'approve' },
    });
    await app.waitForStage(id, 'actor_commitments');
    const put = await app.call('PUT', `/api/applications/${id}/bank-details`, {
      token: actorToken,
      body: { iban: IBAN, bic: 'BNPAFRPP', titulaire: HOLDER },
    });
    expect(put.status, put.text).toBe(200);
    await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    await app.waitForTask(id, 'final_approval');

    // Act: the admin opens the application.
    const page = await signedInPage();
    await page.goto(`${app.url}/console/application.html?id=${id}`);
    await page.waitForSelector('body[data-loaded="true"]');
    await page.waitForSelector('#bank-card:not([hidden])');

    // Assess: masked, text stays text, accessible.
    const card = (await page.textContent('#bank-card')) ?? '';
    expect(card).toContain('••12 345');
    expect(card).not.toContain(BBAN);
    expect(card).toContain(HOLDER);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"]').length)).toBe(0);
    await expectNoAxeViolations(page, 'console application with bank details');
    await expectKeyboardReachable(page, ['#bank-reveal', '#bank-validate', '#bank-reject']);

    await page.click('#approve');
    await page.click('#confirm-ok'); // « Approuver » asks for confirmation first
    await expect.poll(() => page.textContent('#decision-status')).toMatch(/coordonnées bancaires/);

    await page.click('#bank-reveal');
    await expect.poll(() => page.textContent('#bank-full')).toContain(IBAN);
    await page.click('#bank-validate');
    await expect.poll(() => page.textContent('#bank-status')).toBe('Coordonnées validées.');

    await page.click('#approve');
    await page.click('#confirm-ok'); // « Approuver » asks for confirmation first
    await expect.poll(() => page.textContent('#decision-status')).toBe('Décision enregistrée.');
    await app.waitForStage(id, 'qualified');
    expect(errors).toEqual([]);
  }, 90_000);
});
