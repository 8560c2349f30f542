import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKeyboardReachable, expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { TEST_IBAN } from '../helpers/bank.js';
import { launchChromium } from '../helpers/browser.js';
import { signInCodeIn } from '../helpers/local-app.js';
import { applicationDocument, type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/**
 * Issue 10's journey in Chromium, on one server with the chat mounted as `npm start` mounts it: an actor closes the
 * chat, asks it for a sign-in link (« J’ai déjà fait une demande »), opens the link from the e-mail (the outbox),
 * answers a change request, signs the commitments and enters the bank details on /espace; after the bank details are
 * validated and the final approval given, edits a place (hours and services) and sees it on /carte. Axe on each new
 * state of the bank details form.
 */
let app: ConsoleApp;
let browser: Browser;

beforeAll(async () => {
  app = await startConsoleApp({ chat: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function decide(id: string, step: string, body: Record<string, unknown>) {
  // A new reviewer per decision: four eyes refuses the final approval to the one who approved the review.
  const staff = await app.staff('reviewer');
  const { taskId } = await app.waitForTask(id, step);
  const res = await app.call('POST', `/api/console/tasks/${taskId}/decision`, { token: staff.token, body });
  expect(res.status, res.text).toBe(200);
}

const botCount = (page: Page) => page.locator('.msg--bot').count();
async function nextBot(page: Page, act: () => Promise<void>): Promise<string> {
  const before = await botCount(page);
  await act();
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before, { timeout: 15_000 });
  return (await page.locator('.msg--bot').last().textContent()) ?? '';
}

describe('the actor’s way back, end to end (Chromium)', () => {
  it('chat → e-mailed link → change request → commitments → bank details → qualified → place edited on /carte', async () => {
    // Prepare: an application (as the chat submits it); the actor never opened the link e-mailed at submission.
    const courriel = `parcours-${process.pid}@exemple.fr`;
    const doc = applicationDocument({ nom: 'Clic Parcours', lieu: { nom: 'Clic Parcours — Centre' } });
    doc.structure.representant_legal = { nom: 'Claire Martin', courriel };
    const created = await app.call('POST', '/api/applications', { body: doc });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    const signIns = async () => (await app.deps.store.outbox.list(id)).filter((m) => m.key.startsWith('signin#'));
    await expect.poll(async () => (await signIns()).length).toBe(1);
    const errors: string[] = [];

    // Act 1: the chat, days later — « J’ai déjà fait une demande », the address, then the tab is closed.
    const chat = await browser.newPage();
    chat.on('pageerror', (e) => errors.push(e.message));
    await chat.goto(`${app.url}/`);
    await chat.waitForSelector('.msg--bot');
    const asked = await nextBot(chat, () => chat.getByRole('button', { name: 'J’ai déjà fait une demande' }).click());
    expect(asked).toMatch(/Quelle adresse e-mail/);
    const sent = await nextBot(chat, async () => {
      await chat.fill('#message', courriel);
      await chat.keyboard.press('Enter');
    });
    expect(sent).toMatch(/Ouvrez ce lien/);
    await chat.close();

    // The link of the new message (the outbox is the mailbox on one machine) opens /espace.
    let code: string | null = null;
    await expect
      .poll(async () => {
        const list = await signIns();
        code = list.length > 1 ? signInCodeIn(list.at(-1)!.text) : null;
        return code;
      })
      .not.toBeNull();
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/espace#code=${code}`);
    await page.waitForSelector('#app-list .timeline li');
    expect(await page.textContent('#app-list h3')).toBe('Clic Parcours');

    // Act 2: staff ask for a change; the actor answers it on the page.
    await decide(id, 'staff_review', { decision: 'request_changes', comment: 'Indiquez vos horaires d’ouverture.' });
    await app.waitForStage(id, 'changes_requested');
    await page.reload();
    await page.waitForSelector('blockquote.request');
    await page.fill('#a0-lieux-0-horaires', 'Mo-Fr 09:00-12:00');
    await page.press('#a0-lieux-0-horaires', 'Enter');
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toMatch(/corrigée est envoyée/);

    // Act 3: approved; the commitments are signed on the page; the bank details step is there too.
    await decide(id, 'staff_review', { decision: 'approve' });
    await app.waitForStage(id, 'actor_commitments');
    await page.reload();
    await page.waitForSelector('#a0-charte');
    expect(await page.textContent('.expected')).toMatch(/coordonnées bancaires/);
    expect(await page.textContent('#a0-bank-title')).toBe('Coordonnées bancaires');
    for (const box of ['#a0-charte', '#a0-cgu', '#a0-abonnement']) await page.check(box);
    await page.getByRole('button', { name: 'Signer mes engagements' }).click();
    await expect.poll(() => page.textContent('#status'), { timeout: 15_000 }).toMatch(/engagements sont enregistrés/);
    await app.waitForStage(id, 'final_approval');

    // Act 4: at the final approval, « what is expected » is the bank details; the form is accessible.
    await page.reload();
    await page.waitForSelector('#a0-bank-iban');
    expect(await page.textContent('.expected')).toMatch(
      /Ce qui est attendu : Donner les coordonnées bancaires .* la validation finale les attend/,
    );
    expect(await page.getAttribute('#a0-bank-iban', 'autocomplete')).toBe('off');
    await expectNoAxeViolations(page, '/espace, bank details form');
    await expectReflow(page, '/espace, bank details form');
    await expectKeyboardReachable(page, ['#a0-bank-iban', '#a0-bank-bic', '#a0-bank-titulaire']);

    // A wrong checksum: the use case's French message on the field, announced, the field focused.
    await page.fill('#a0-bank-iban', `${TEST_IBAN.slice(0, -1)}0`);
    await page.fill('#a0-bank-bic', 'BNPAFRPP');
    await page.fill('#a0-bank-titulaire', 'Association Clic Parcours');
    await page.press('#a0-bank-titulaire', 'Enter');
    await page.waitForSelector('#a0-bank-iban[aria-invalid=true]');
    expect(await page.textContent('#a0-bank-iban-error')).toMatch(/clé de contrôle incorrecte/);
    expect(await page.getAttribute('#a0-bank-errors', 'role')).toBe('alert');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-bank-iban');
    expect((await page.getAttribute('#a0-bank-iban', 'aria-describedby'))?.split(' ')).toContain('a0-bank-iban-error');
    await expectNoAxeViolations(page, '/espace, bank details field error');
    expect((await app.deps.store.applications.get(id))?.bankDetails).toBeUndefined();

    // Corrected (pasted grouped by four, in lower case): saved, then shown masked only.
    await page.fill('#a0-bank-iban', TEST_IBAN.toLowerCase().replace(/(.{4})/g, '$1 '));
    await page.press('#a0-bank-iban', 'Enter');
    await expect
      .poll(() => page.textContent('#status'), { timeout: 15_000 })
      .toMatch(/coordonnées bancaires sont enregistrées/);
    await page.waitForSelector('#a0-bank-summary');
    const shown = await page.textContent('#a0-bank-summary');
    expect(shown).toContain(`FR${TEST_IBAN.slice(2, 4)} ••••`);
    expect(shown).toContain(TEST_IBAN.slice(-3));
    expect(shown).toMatch(/en attente de vérification/);
    expect(await page.content()).not.toContain(TEST_IBAN.slice(4, 20));
    expect(await page.locator('#a0-bank-iban').count()).toBe(0);
    expect(await page.textContent('.expected')).toMatch(/l’équipe vérifie vos coordonnées bancaires/);
    expect(await page.locator('.timeline li', { hasText: 'Coordonnées bancaires enregistrées' }).count()).toBe(1);
    await expectNoAxeViolations(page, '/espace, bank details saved (masked)');
    // Until validated they can be corrected: the form opens on demand (empty), « Annuler » gives the focus back.
    await page.getByRole('button', { name: 'Corriger mes coordonnées bancaires' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-bank-iban');
    expect(await page.inputValue('#a0-bank-iban')).toBe('');
    await expectNoAxeViolations(page, '/espace, bank details correction form');
    await page.getByRole('button', { name: 'Annuler' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Corriger mes coordonnées bancaires');

    // Act 5: an admin validates them, another person gives the final approval.
    const admin = await app.staff('admin');
    const ok = await app.call('POST', `/api/console/applications/${id}/bank-details/validation`, {
      token: admin.token,
      body: { valid: true },
    });
    expect(ok.status, ok.text).toBe(200);
    await decide(id, 'final_approval', { decision: 'approve' });
    await app.waitForStage(id, 'qualified');

    // Act 6: the places editor — new hours in everyday French and one more service.
    await page.reload();
    await page.waitForSelector('#a0-place-0-horaires');
    const service = page.getByRole('checkbox', { name: 'Loisirs et créations numériques' });
    expect(await service.isChecked()).toBe(false);
    await expectNoAxeViolations(page, '/espace, places and services');
    // No service at all: the domain's message on the group, the focus on its first box.
    const checked = page.locator('#a0-places-title ~ form .services input:checked');
    while ((await checked.count()) > 0) await checked.first().uncheck();
    await page.getByRole('button', { name: 'Enregistrer mes lieux' }).click();
    await expect.poll(() => page.textContent('#a0-services-error'), { timeout: 15_000 }).toMatch(/au moins un type/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-service-0');
    await expectNoAxeViolations(page, '/espace, services error');
    await page.getByRole('checkbox', { name: 'Aide aux démarches administratives' }).check();
    await service.check();
    await page.fill('#a0-place-0-horaires', 'le mardi de 14h à 17h');
    await page.press('#a0-place-0-horaires', 'Enter');
    await expect
      .poll(() => page.textContent('#status'), { timeout: 15_000 })
      .toMatch(/Vos lieux sont enregistrés : 1 lieu sur la carte/);

    // Assess: the map's data and the map page show them.
    const rows = (await app.call('GET', '/api/lieux')).body as Record<string, string>[];
    const row = rows.find((r) => r.nom === 'Clic Parcours — Centre');
    expect(row).toMatchObject({ horaires: 'Tu 14:00-17:00', date_maj: new Date().toISOString().slice(0, 10) });
    expect(row?.services).toContain('Loisirs et créations numériques');
    const map = await browser.newPage();
    await map.goto(`${app.url}/carte`);
    await map.waitForSelector('body[data-loaded="true"]');
    const item = map.locator('#list li', { hasText: 'Clic Parcours — Centre' });
    // Hours in words on the map, never the OSM syntax.
    await expect.poll(() => item.textContent()).toMatch(/le mardi de 14 h à 17 h/);
    await map.close();
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});
