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
import { type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * Headless Chromium against the whole local runtime: a staff member signs in, filters the inbox, opens an
 * application, approves it; after the actor's commitments and the final approval the map lists the new place.
 * Every actor-supplied field carries markup that must stay inert text on every page.
 */
const XSS_IMG = '<img src=x onerror=alert(1)>';
const XSS_SCRIPT = '<script>alert(2)</script>';
const NAME = `Asso ${XSS_IMG}${XSS_SCRIPT}`;
const PLACE = `Lieu ${XSS_SCRIPT} ${XSS_IMG}`;
const ADDRESS = `5 rue ${XSS_IMG}`;
const HOURS = `Le mardi ${XSS_SCRIPT}`;
const REPRESENTATIVE = `Jean ${XSS_IMG}`;
const NETWORK = `Réseau ${XSS_IMG}`;
const COMMENT = `Vu. ${XSS_SCRIPT}${XSS_IMG}`;

const EMAIL = 'revue@aptic.test';
const PASSWORD = 'correct horse battery staple';

let app: ConsoleApp;
let browser: Browser;
const dialogs: string[] = [];

const consoleLines: string[] = [];
async function newPage(): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`pageerror ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // No network in tests: the pages must work without tiles.
  await page.route(/openstreetmap\.org/, (route) => route.abort());
  return page;
}

async function noInjectedMarkup(page: Page): Promise<void> {
  const injected = await page.evaluate(
    () => document.querySelectorAll('img[src="x"], script:not([src]), [onerror]').length,
  );
  expect(injected).toBe(0);
}

beforeAll(async () => {
  app = await startConsoleApp();
  await createStaff(app.deps, { email: EMAIL, password: PASSWORD, role: 'reviewer' }, 'test');
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('console in Chromium', () => {
  it('sign in, filter, open, approve; the qualified place appears on the map; actor text stays inert', async () => {
    const { id, actorToken } = await app.submit({
      nom: NAME,
      lieu: { nom: PLACE, adresse: ADDRESS, horaires: HOURS, code_postal: '87100', commune: 'Limoges' },
      extra: (doc) => {
        doc.structure.representant_legal.nom = REPRESENTATIVE;
        doc.contexte.reseau = NETWORK;
      },
    });
    const other = await app.submit({ nom: 'Autre département', lieu: { code_postal: '23000', commune: 'Guéret' } });
    await app.waitForTask(id, 'staff_review');
    await app.waitForTask(other.id, 'staff_review');

    const page = await newPage();
    await page.goto(`${app.url}/console`);
    await page.fill('#login-email', EMAIL);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#tasks tbody tr');
    expect(await page.locator(`#tasks tbody tr[data-application-id="${other.id}"]`).count()).toBe(1);

    await page.selectOption('#f-step', 'staff_review');
    await page.fill('#f-departement', '87');
    await page.click('#filters button[type="submit"]');
    await page.waitForFunction(
      (otherId) => !document.querySelector(`#tasks tbody tr[data-application-id="${otherId}"]`),
      other.id,
    );
    const row = page.locator(`#tasks tbody tr[data-application-id="${id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await row.locator('button.assign-me').click();
    await expect.poll(() => row.locator('td.assignee').textContent()).toBe(EMAIL);

    await row.locator('a.open').click();
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.textContent('#app-title')).toBe(NAME);
    const answers = (await page.textContent('#answers')) ?? '';
    for (const text of [NAME, PLACE, ADDRESS, HOURS, REPRESENTATIVE, NETWORK]) expect(answers).toContain(text);
    expect(await page.textContent('#places')).toContain(PLACE);
    await noInjectedMarkup(page);

    await page.fill('#comment', COMMENT);
    await page.click('#comment-form button[type="submit"]');
    await page.waitForSelector('#timeline li.comment');
    expect(await page.textContent('#timeline li.comment .comment')).toBe(COMMENT);
    expect(await page.textContent('#timeline li.comment .who')).toBe(EMAIL);

    // Asking for changes without a comment is refused on the page already.
    await page.click('#request-changes');
    expect(await page.textContent('#decision-status')).toMatch(/commentaire est obligatoire/);
    // « Approuver » asks first: cancelling sends nothing, confirming decides.
    await page.click('#approve');
    await page.click('#confirm-cancel');
    // The dialog closes after the click's handler has run: wait for it, as a person would see it go.
    await expect.poll(() => page.locator('dialog.confirm').count()).toBe(0);
    expect((await app.deps.store.tasks.list(id)).find((t) => t.step === 'staff_review')?.status).toBe('open');
    await page.click('#approve');
    await page.click('#confirm-ok');
    await expect.poll(() => page.textContent('#decision-status')).toBe('Décision enregistrée.');

    // The actor's commitments (API), then the final approval on the page.
    await app.waitForTask(id, 'actor_commitments');
    const commit = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    expect(commit.status).toBe(200);
    await app.bankDetails(id, actorToken);
    await app.waitForTask(id, 'final_approval');
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    await expect.poll(() => page.textContent('#decision-step')).toMatch(/Validation finale/);
    // Four eyes: whoever approved the review cannot give the final approval; the page says why, in French.
    await page.click('#approve');
    await page.click('#confirm-ok');
    await expect.poll(() => page.textContent('#decision-status')).toMatch(/quatre yeux/);
    const second = await app.staff('reviewer');
    const finalTask = await app.waitForTask(id, 'final_approval');
    const final = await app.call('POST', `/api/console/tasks/${finalTask.taskId}/decision`, {
      token: second.token,
      body: { decision: 'approve' },
    });
    expect(final.status).toBe(200);
    await app.waitForStage(id, 'qualified');
    await noInjectedMarkup(page);

    const map = await newPage();
    await map.goto(`${app.url}/carte`);
    await map.waitForSelector('body[data-loaded="true"]');
    const items = await map.locator('#list li .nom').allTextContents();
    expect(items).toContain(PLACE);
    await noInjectedMarkup(map);
    expect(dialogs).toEqual([]);
    expect(consoleLines.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  }, 120_000);

  it('a decided step: the second reviewer is told who decided and when', async () => {
    const { id } = await app.submit({ nom: 'Décidée deux fois' });
    const { taskId } = await app.waitForTask(id, 'staff_review');
    const page = await newPage();
    await page.goto(`${app.url}/console/application.html?id=${id}`);
    // Not signed in in this context: sent to the sign-in page, then back.
    await page.waitForSelector('#login-form');
    await page.fill('#login-email', EMAIL);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('body[data-loaded="true"]');
    const admin = await app.staff('admin');
    expect(
      (
        await app.call('POST', `/api/console/tasks/${taskId}/decision`, {
          token: admin.token,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(200);
    await page.click('#approve');
    await page.click('#confirm-ok');
    await expect.poll(() => page.textContent('#decision-status')).toContain(`déjà été décidée par ${admin.email}`);
  }, 60_000);

  it('admin, campaigns and coverage pages render network, campaign and place text inertly', async () => {
    const admin = await app.staff('admin', 'chef@aptic.test');
    await app.call('POST', '/api/console/networks', {
      token: admin.token,
      body: { name: `Réseau ${XSS_SCRIPT}`, agreement: null },
    });
    const networks = await app.call('GET', '/api/console/networks', { token: admin.token });
    const networkId = networks.body.networks[0].id;
    await app.call('POST', `/api/console/networks/${networkId}/members`, {
      token: admin.token,
      raw: `siret,nom,code_postal,commune\n73282932000074,Membre ${XSS_IMG},87280,Limoges\n`,
      headers: { 'content-type': 'text/csv' },
    });
    await app.call('POST', '/api/console/campaigns', {
      token: admin.token,
      body: { kind: 'hub', label: `Hub ${XSS_IMG}` },
    });

    const page = await newPage();
    await page.goto(`${app.url}/console`);
    await page.fill('#login-email', 'chef@aptic.test');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#tasks tbody tr');
    await page.click('nav#nav a[href="/console/admin.html"]');
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.textContent('#networks')).toContain(`Réseau ${XSS_SCRIPT}`);
    await page.click('#networks button.link');
    await expect.poll(() => page.textContent('#members')).toContain(`Membre ${XSS_IMG}`);
    await noInjectedMarkup(page);

    await page.goto(`${app.url}/console/campaigns.html`);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.textContent('#campaigns')).toContain(`Hub ${XSS_IMG}`);
    await noInjectedMarkup(page);

    await page.goto(`${app.url}/console/coverage.html`);
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.locator('#chart svg rect').count()).toBeGreaterThan(0);
    expect(await page.textContent('#coverage')).toContain('Haute-Vienne');
    await noInjectedMarkup(page);
    expect(dialogs).toEqual([]);
  }, 60_000);
});

describe('console accessibility (RGAA 4.1 gate, docs/accessibility.md)', () => {
  it('every console page passes axe A/AA, has its title, is usable with the keyboard and reflows', async () => {
    const email = 'a11y@aptic.test';
    await createStaff(app.deps, { email, password: PASSWORD, role: 'admin' }, 'test');
    const { id } = await app.submit({ nom: 'Accessible', lieu: { code_postal: '87100', commune: 'Limoges' } });
    const admin = await app.staff('admin');
    await app.call('POST', '/api/console/networks', {
      token: admin.token,
      body: { name: 'Réseau accessible', agreement: null },
    });
    const network = (await app.call('GET', '/api/console/networks', { token: admin.token })).body.networks.find(
      (n: { name: string }) => n.name === 'Réseau accessible',
    );
    await app.call('POST', `/api/console/networks/${network.id}/members`, {
      token: admin.token,
      raw: 'siret,nom,code_postal,commune\n73282932000074,Membre accessible,87280,Limoges\n',
      headers: { 'content-type': 'text/csv' },
    });
    await app.call('POST', '/api/console/campaigns', {
      token: admin.token,
      body: { kind: 'webinar', label: 'Webinaire du mardi pour les lieux de médiation numérique de Haute-Vienne' },
    });
    await app.waitForTask(id, 'staff_review');
    const page = await newPage();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Sign-in page, then a refused password (an error state), then signing in with the keyboard alone.
    await page.goto(`${app.url}/console`);
    await page.waitForSelector('#login-form');
    await expectDocumentBasics(page, 'Connexion · Console #APTIC');
    await expectNoAxeViolations(page, 'console sign-in');
    await expectKeyboardReachable(page, ['#login-email', '#login-password', '#login-submit']);
    await expectReflow(page, 'console sign-in');
    await page.focus('#login-email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('mauvais mot de passe');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#login-status'), { timeout: 10_000 }).toMatch(/incorrect/);
    await expectNoAxeViolations(page, 'console sign-in, refused');
    await page.fill('#login-password', '');
    await page.focus('#login-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#tasks tbody tr[data-application-id="${id}"]`);

    // Inbox.
    await expectDocumentBasics(page, 'Boîte de réception · Console #APTIC');
    await expectNoAxeViolations(page, 'console inbox');
    const stops = await expectKeyboardReachable(page, [
      'a.skip',
      'nav#nav a',
      '#logout',
      '#filters select',
      '#filters button',
      'a.open',
    ]);
    expect(stops[0]?.what).toMatch(/Aller au contenu/);
    await page.focus('a.skip');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
    await expectNoOverflowAt(page, 'console inbox');
    await expectReflow(page, 'console inbox');
    // At 320 px the inbox table scrolls inside a named region that the keyboard can reach.
    await page.setViewportSize({ width: 320, height: 640 });
    await expect.poll(() => page.locator('.table-wrap:has(#tasks)').getAttribute('tabindex')).toBe('0');
    expect(await page.locator('.table-wrap:has(#tasks)').getAttribute('aria-label')).toBe('Tableau : Tâches à traiter');
    await expectNoAxeViolations(page, 'console inbox at 320 px');
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => page.locator('.table-wrap:has(#tasks)').getAttribute('tabindex')).toBe(null);

    // One application, opened from the inbox with the keyboard.
    await page.locator(`#tasks tbody tr[data-application-id="${id}"] a.open`).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-loaded="true"]');
    await expectDocumentBasics(page, 'Accessible · Console #APTIC');
    await expectNoAxeViolations(page, 'console application');
    await expectKeyboardReachable(page, ['#approve', '#request-changes', '#reject', '#decision-comment', '#comment']);
    await expectNoOverflowAt(page, 'console application');
    await expectReflow(page, 'console application');
    // The refusal without a comment (an error state).
    await page.focus('#reject');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#decision-status')).toMatch(/commentaire est obligatoire/);
    await expectNoAxeViolations(page, 'console application, decision refused');

    const pages: [string, string, string[]][] = [
      ['/console/campaigns.html', 'Campagnes · Console #APTIC', ['#c-kind', '#c-label', '#campaign-form button']],
      ['/console/coverage.html', 'Couverture · Console #APTIC', ['nav#nav a']],
      ['/console/search.html', 'Recherche et demandes closes · Console #APTIC', ['#q', '#c-stage', '#c-export']],
      ['/console/outbox.html', 'Messages · Console #APTIC', ['#o-app', '#o-state']],
      ['/console/staff.html', 'Comptes de l’équipe · Console #APTIC', ['#n-email', '#n-role']],
      [
        '/console/admin.html',
        'Administration · Console #APTIC',
        ['#phase-1', '#cap-add', '#w-start', '#webinars-save', '#release-run', '#network-name'],
      ],
    ];
    for (const [path, title, controls] of pages) {
      await page.goto(`${app.url}${path}`);
      await page.waitForSelector('body[data-loaded="true"]');
      await expectDocumentBasics(page, title);
      await expectNoAxeViolations(page, path);
      await expectKeyboardReachable(page, controls);
      await expectNoOverflowAt(page, path);
      // At 1280 px the tables fit their cards: no table needs its own scroll bar.
      expect(await page.locator('.table-wrap[tabindex]').count(), `${path}: tables scrolling at 1280 px`).toBe(0);
      await expectReflow(page, path);
    }
    // Admin with a network's members open (opened with the keyboard).
    await page.getByRole('button', { name: 'Membres de Réseau accessible' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#members'), { timeout: 10_000 }).toContain('Membre accessible');
    await expectNoAxeViolations(page, 'console admin, network members');
    await expectReflow(page, 'console admin, network members');
    await page.close();
  }, 300_000);
});
