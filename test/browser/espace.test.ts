import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKeyboardReachable, expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { signInCodeIn } from '../helpers/local-app.js';
import { applicationDocument, type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/** The actor space /espace: sign-in link → list of applications, token in sessionStorage only, accessible. */
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let app: ConsoleApp;
let browser: Browser;

beforeAll(async () => {
  app = await startConsoleApp({ lite: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function axeViolations(page: import('playwright-core').Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return result.violations.map((v: any) => `${v.id}: ${v.nodes.length}`);
  });
}

describe('actor space /espace', () => {
  it('opens from the e-mailed link, lists the applications in French, keeps nothing after sign-out', async () => {
    const doc = applicationDocument({ nom: 'Clic <b>Solidaire</b>' });
    doc.structure.representant_legal = { nom: 'Claire Martin', courriel: `espace-${process.pid}@exemple.fr` };
    const created = await app.call('POST', '/api/applications', { body: doc });
    expect(created.status).toBe(201);
    const message = (await app.deps.store.outbox.list(created.body.id)).find((m) => m.key.startsWith('signin#'));
    const code = signInCodeIn(message!.text)!;

    // bypassCSP only so that the test can inject axe-core; the page's own CSP is checked on the response.
    const page = await browser.newPage({ bypassCSP: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const res = await page.goto(`${app.url}/espace#code=${code}`);
    expect(res?.headers()['content-security-policy']).toMatch(/^default-src 'self'/);
    await page.waitForSelector('#app-list li');
    expect(await page.textContent('#app-list h3')).toBe('Clic <b>Solidaire</b>');
    expect(await page.textContent('#app-list li p')).toMatch(/^Étape : Demande reçue/);
    expect(await page.getAttribute('#app-list a', 'href')).toBe(`/?reprise=${created.body.id}`);
    expect(page.url()).not.toContain('code=');
    expect(await page.evaluate(() => sessionStorage.getItem('aptic.actor.token'))).toMatch(/^acs_/);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.textContent('.note')).toMatch(/rien de personnel ne reste dans ce navigateur/);
    expect(await axeViolations(page)).toEqual([]);

    // The same link again: refused, with the French message.
    const again = await browser.newPage();
    await again.goto(`${app.url}/espace#code=${code}`);
    await expect.poll(() => again.textContent('#status')).toMatch(/n’est plus valable/);
    await again.close();

    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.evaluate(() => sessionStorage.getItem('aptic.actor.token'))).toBeNull();
    expect(await page.textContent('#status')).toMatch(/déconnecté/);
    // Asking for a link from the page: the same sentence as for any address.
    await page.fill('#courriel', 'quelqu.un@exemple.fr');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.textContent('#status'), { timeout: 15_000 })
      .toMatch(/Si une demande est associée à cette adresse/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('actor space actions (whole workflow)', () => {
  let full: ConsoleApp;
  beforeAll(async () => {
    full = await startConsoleApp();
  }, 120_000);
  afterAll(() => full?.close());

  async function decide(id: string, step: string, body: Record<string, unknown>) {
    const staff = await full.staff('reviewer');
    const { taskId } = await full.waitForTask(id, step);
    const res = await full.call('POST', `/api/console/tasks/${taskId}/decision`, { token: staff.token, body });
    expect(res.status, res.text).toBe(200);
  }

  it('signs in from the link, answers a change request, then signs the commitments, keyboard only, axe-clean', async () => {
    // Prepare: an application, its confirmation link from the outbox.
    const doc = applicationDocument({ nom: 'Clic Espace' });
    doc.structure.representant_legal = { nom: 'Claire Martin', courriel: `espace-actions-${process.pid}@exemple.fr` };
    const created = await full.call('POST', '/api/applications', { body: doc });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    let code: string | null = null;
    await expect
      .poll(async () => {
        const m = (await full.deps.store.outbox.list(id)).find((x) => x.key.startsWith('signin#'));
        code = m ? signInCodeIn(m.text) : null;
        return code;
      })
      .not.toBeNull();
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // Act: the link opens the space (and confirms the address); the timeline shows the path so far.
    await page.goto(`${full.url}/espace#code=${code}`);
    await page.waitForSelector('#app-list .timeline li');
    await decide(id, 'staff_review', { decision: 'request_changes', comment: 'Précisez le code postal du lieu.' });
    await full.waitForStage(id, 'changes_requested');
    await page.reload();
    await page.waitForSelector('blockquote.request');

    // Assess: the request, what is expected and by when, the timeline in French, the messages.
    expect(await page.textContent('blockquote.request')).toBe('Précisez le code postal du lieu.');
    expect(await page.textContent('.expected')).toMatch(/Corriger votre demande.*Au plus tard le \d{1,2} \S+ \d{4}/);
    const timeline = await page.locator('.timeline li').allTextContents();
    expect(timeline.join('\n')).toMatch(/Demande envoyée/);
    expect(timeline.join('\n')).toMatch(/Adresse e-mail confirmée/);
    expect(timeline.join('\n')).toMatch(/L’équipe a demandé des modifications/);
    expect(await page.locator('.messages li').count()).toBeGreaterThan(0);
    expect(await page.inputValue('#a0-structure-nom')).toBe('Clic Espace');
    await expectNoAxeViolations(page, '/espace, changes requested');
    await expectReflow(page, '/espace, changes requested');
    await expectKeyboardReachable(page, [
      '#a0-lieux-0-code_postal',
      '#a0-lieux-0-horaires',
      '#app-list form button[type=submit]',
    ]);

    // A wrong postal code: the domain's French message next to the field, the field marked invalid and focused.
    await page.focus('#a0-lieux-0-code_postal');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('8728');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#a0-lieux-0-code_postal[aria-invalid=true]');
    expect(await page.textContent('#a0-lieux-0-code_postal-error')).toMatch(/postal/i);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-lieux-0-code_postal');
    await expectNoAxeViolations(page, '/espace, field errors');

    // Corrected: back to review.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('87280');
    await page.focus('#a0-lieux-0-horaires');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Mo-Sa 09:00-18:00');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toMatch(/corrigée est envoyée/);
    await expect.poll(async () => (await full.deps.store.applications.get(id))?.round).toBe(2);
    expect((await full.deps.store.applications.get(id))?.document).toMatchObject({
      lieux: [{ horaires: 'Mo-Sa 09:00-18:00', code_postal: '87280' }],
    });

    // Later: staff approve; the commitments, with the documents' versions and the Kit's price.
    await decide(id, 'staff_review', { decision: 'approve' });
    await full.waitForStage(id, 'actor_commitments');
    await page.reload();
    await page.waitForSelector('#a0-charte');
    expect(await page.textContent('label[for=a0-charte]')).toMatch(/Charte #APTIC \(version 2024-01\)/);
    expect(await page.getAttribute('label[for=a0-charte] a', 'href')).toBe('https://www.aptic.fr/charte');
    expect(await page.textContent('label[for=a0-abonnement]')).toMatch(/77 € HT par an/);
    await expectNoAxeViolations(page, '/espace, commitments');
    await expectReflow(page, '/espace, commitments');
    await expectKeyboardReachable(page, ['#a0-charte', '#a0-cgu', '#a0-abonnement']);
    // Submitting with a box left unchecked: said, and the box focused.
    await page.focus('#a0-charte');
    await page.keyboard.press('Space');
    await page.focus('#a0-cgu');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#a0-commit-error')).toMatch(/Cochez les trois cases/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-abonnement');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toMatch(/engagements sont enregistrés/);
    await full.waitForStage(id, 'final_approval');
    expect((await full.deps.store.applications.get(id))?.commitments).toMatchObject({
      charte: { version: '2024-01' },
      channel: 'espace',
      kit: { priceHtEur: 77, period: 'an' },
    });

    // My data: the export downloads; the erasure asks first (an accessible dialog), Escape cancels.
    await page.waitForSelector('text=Validation finale');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger mes données (JSON)' }).press('Enter'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^mes-donnees-aptic-.*\.json$/);
    await page.getByRole('button', { name: 'Demander l’effacement de mes données' }).press('Enter');
    await page.waitForSelector('#erase-dialog[open]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('erase-cancel');
    await expectNoAxeViolations(page, '/espace, erasure dialog');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#erase-dialog:not([open])', { state: 'attached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Demander l’effacement de mes données');
    expect((await full.deps.store.applications.get(id))?.erasedAt).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
