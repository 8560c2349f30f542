import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../shared/usecases/staff-auth.js';
import { openSupportRequest } from '../../shared/usecases/support.js';
import { expectDocumentBasics, expectKeyboardReachable, expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * The console's « Demandes de contact » and « Base de connaissances » pages in headless Chromium: axe on each state,
 * keyboard use, reflow; what the actor wrote stays inert text.
 */
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const ADMIN = 'admin-support@aptic.test';
const PASSWORD = 'correct horse battery staple';

let app: ConsoleApp;
let browser: Browser;
const problems: string[] = [];

async function signedIn(): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${app.url}/console`);
  await page.fill('#login-email', ADMIN);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#nav a');
  return page;
}

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  await createStaff(app.deps, { email: ADMIN, password: PASSWORD, role: 'admin' }, 'test');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('support requests page', () => {
  it('lists the requests, opens one with its excerpt as text, answers it with the keyboard; axe finds nothing', async () => {
    await openSupportRequest(app.deps, {
      conversationId: 'conv-browser-1',
      applicationId: null,
      trigger: 'misunderstood',
      message: `Je ne comprends pas ${XSS}`,
      excerpt: [
        { who: 'actor', text: `blorp ${XSS}` },
        { who: 'bot', text: 'Je ne suis pas sûr de comprendre.' },
      ],
      courriel: 'personne@example.org',
    });
    const page = await signedIn();
    await page.goto(`${app.url}/console/support.html`);
    await page.waitForSelector('#support-list tbody tr button');
    await expectDocumentBasics(page, /Demandes de contact/);
    expect(await page.textContent('#support-summary')).toContain('1 demande(s) en attente');
    await expectNoAxeViolations(page, 'support list');
    await expectKeyboardReachable(page, ['#nav a[href="/console/support.html"]', '#support-list tbody button']);

    // Keyboard: focus the « Ouvrir » button and press Enter.
    await page.focus('#support-list tbody button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#support-detail:not([hidden])');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    expect(await page.textContent('#detail-message')).toBe(`Je ne comprends pas ${XSS}`);
    expect(await page.textContent('#detail-excerpt')).toContain(`blorp ${XSS}`);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"], main script').length)).toBe(0);
    await expectNoAxeViolations(page, 'support detail');

    // An empty answer is refused on the page.
    await page.click('#answer-form button[type="submit"]');
    // (the textarea is `required`: the browser stops the submit; nothing was sent)
    expect((await app.deps.store.support.listRecent())[0]!.answers).toEqual([]);

    await page.focus('#answer-text');
    await page.keyboard.type('Bonjour, nous vous rappelons demain.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#answer-status'), { timeout: 15_000 }).toBe('Réponse envoyée.');
    expect(await page.textContent('#detail-answers')).toContain('Bonjour, nous vous rappelons demain.');
    expect(await page.textContent('#support-list tbody')).toContain('Répondue');
    await expectNoAxeViolations(page, 'support answered');
    await expectReflow(page, 'support page');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('knowledge base page', () => {
  it('edits a topic, previews, shows field errors, publishes and rolls back; axe finds nothing', async () => {
    const page = await signedIn();
    await page.goto(`${app.url}/console/kb.html`);
    await page.waitForSelector('#topic-select option', { state: 'attached' });
    await expectDocumentBasics(page, /Base de connaissances/);
    expect(await page.textContent('#kb-in-force')).toContain('Le fichier');
    await expectNoAxeViolations(page, 'kb initial');
    await expectKeyboardReachable(page, [
      '#topic-select',
      '#topic-answer',
      '#preview-question',
      '#publish-form button',
    ]);

    await page.selectOption('#topic-select', 'cost-kit');
    await page.fill('#topic-answer', 'Trop court');
    await page.click('#publish-form button[type="submit"]');
    await page.waitForSelector('#publish-errors li');
    expect(await page.textContent('#publish-errors')).toMatch(/answer/);
    await expectNoAxeViolations(page, 'kb field errors');

    await page.fill(
      '#topic-answer',
      'Le Kit #APTIC coûte {{kitPrice}} € HT par {{kitPeriod}} ; il reste facultatif (réponse de test).',
    );
    await page.fill('#preview-question', 'combien coûte le kit ?');
    await page.click('#preview-form button[type="submit"]');
    await page.waitForSelector('#preview-result blockquote');
    expect(await page.textContent('#preview-result')).toContain('réponse de test');
    await expectNoAxeViolations(page, 'kb preview');

    await page.fill('#publish-note', 'Essai');
    await page.click('#publish-form button[type="submit"]');
    await expect
      .poll(async () => `${await page.textContent('#publish-status')} ${await page.textContent('#publish-errors')}`, {
        timeout: 15_000,
      })
      .toMatch(/Version publiée/);
    expect(await page.textContent('#kb-in-force')).toContain('Version publiée');
    expect(await page.textContent('#kb-versions tbody')).toContain('Essai');
    await page.click('#kb-rollback');
    await expect
      .poll(() => page.textContent('#rollback-status'), { timeout: 15_000 })
      .toMatch(/Version précédente rétablie/);
    expect(await page.textContent('#kb-in-force')).toContain('Le fichier');
    await expectNoAxeViolations(page, 'kb rolled back');
    await expectReflow(page, 'kb page');
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
