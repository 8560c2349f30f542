import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    await expect.poll(() => page.textContent('#status')).toMatch(/Si une demande est associée à cette adresse/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
