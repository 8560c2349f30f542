import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations } from '../helpers/a11y.js';
import { launchChromium } from '../helpers/browser.js';
import { signInCodeIn } from '../helpers/local-app.js';
import { applicationDocument, type ConsoleApp, startConsoleApp } from '../integration/console/harness.js';

/** After final approval: the actor signs in on /espace from the e-mailed link, edits a place, and /carte follows. */
let app: ConsoleApp;
let browser: Browser;

beforeAll(async () => {
  app = await startConsoleApp();
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

describe('actor space after qualification', () => {
  it('edits a place’s hours in French on /espace and sees them on /carte; axe-clean', async () => {
    // Prepare: an application taken to qualification through the real workflow.
    const courriel = `espace-lieux-${process.pid}@exemple.fr`;
    const doc = applicationDocument({ nom: 'Clic Après Qualif', lieu: { nom: 'Clic Lieu Modifiable' } });
    doc.structure.representant_legal = { nom: 'Claire Martin', courriel };
    const created = await app.call('POST', '/api/applications', { body: doc });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await decide(id, 'staff_review', { decision: 'approve' });
    await app.waitForTask(id, 'actor_commitments');
    const signed = await app.call('POST', `/api/applications/${id}/commitments`, {
      token: created.body.actorToken,
      body: { charte: true, cgu: true, abonnement: 'oui' },
    });
    expect(signed.status, signed.text).toBe(200);
    await app.bankDetails(id, created.body.actorToken);
    await decide(id, 'final_approval', { decision: 'approve' });
    await app.waitForStage(id, 'qualified');

    // The actor asks for a link (the outbox is the mailbox on one machine) and opens it.
    const asked = await app.call('POST', '/api/actor/sign-in', { body: { courriel } });
    expect(asked.status).toBe(202);
    let code: string | null = null;
    await expect
      .poll(async () => {
        const signIns = (await app.deps.store.outbox.list(id)).filter((m) => m.key.startsWith('signin#'));
        code = signIns.length > 1 ? signInCodeIn(signIns.at(-1)!.text) : null;
        return code;
      })
      .not.toBeNull();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/espace#code=${code}`);
    await page.waitForSelector('#a0-place-0-horaires');
    expect(await page.textContent('#a0-places-title')).toBe('Mes lieux sur la carte');
    await expectNoAxeViolations(page, '/espace, places after qualification');

    // Act: hours that neither French nor OSM reads are refused on the field; then everyday French is accepted.
    await page.fill('#a0-place-0-horaires', 'quand on peut');
    await page.press('#a0-place-0-horaires', 'Enter');
    await page.waitForSelector('#a0-place-0-horaires[aria-invalid=true]');
    expect(await page.textContent('#a0-place-0-horaires-error')).toMatch(/Horaires non compris/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('a0-place-0-horaires');
    await expectNoAxeViolations(page, '/espace, places field error');
    await page.fill('#a0-place-0-horaires', 'le mardi de 14h à 17h');
    await page.press('#a0-place-0-horaires', 'Enter');
    await expect
      .poll(() => page.textContent('#status'), { timeout: 15_000 })
      .toMatch(/Vos lieux sont enregistrés : 1 lieu sur la carte/);

    // Assess: the map's list shows the new hours (OSM syntax) for that place, dated today.
    const rows = (await app.call('GET', '/api/lieux')).body as Record<string, string>[];
    expect(rows.find((r) => r.nom === 'Clic Lieu Modifiable')).toMatchObject({
      horaires: 'Tu 14:00-17:00',
      date_maj: new Date().toISOString().slice(0, 10),
    });
    const map = await browser.newPage();
    await map.goto(`${app.url}/carte`);
    await map.waitForSelector('body[data-loaded="true"]');
    const item = map.locator('#list li', { hasText: 'Clic Lieu Modifiable' });
    // Hours in plain French on the map, never the OSM syntax.
    await expect.poll(() => item.textContent()).toMatch(/Horaires : le mardi de 14 h à 17 h/);
    await map.close();

    // The position the map uses, said in words; the actor corrects it and confirms the pin.
    await expect
      .poll(() => page.textContent('#a0-place-0-position-said'))
      .toMatch(
        /^Nous situons ce lieu à Limoges \(latitude 45,\d+, longitude 1,\d+, au centre de sa commune\) : est-ce juste \?$/,
      );
    await expectNoAxeViolations(page, '/espace, position to confirm');
    await page.fill('#a0-place-0-position', '45,8402');
    await page.fill('#a0-place-0-longitude', '1.2705');
    await page.check('#a0-place-0-pin');
    await page.getByRole('button', { name: 'Enregistrer mes lieux' }).click();
    await expect
      .poll(async () => (await app.deps.store.places.listFor(id)).map((p) => [p.precision, p.place.latitude]))
      .toEqual([['pin', 45.8402]]);
    await expect
      .poll(() => page.textContent('#a0-place-0-position-said'))
      .toBe('Position confirmée par vous : latitude 45,8402, longitude 1,2705.');

    // The end of the qualification asks first, in an accessible dialog; Escape cancels and nothing changes.
    await page.waitForSelector('text=Lieux modifiés');
    await page.getByRole('button', { name: 'Mettre fin à ma qualification' }).press('Enter');
    await page.waitForSelector('dialog[open]');
    await expectNoAxeViolations(page, '/espace, end of qualification dialog');
    await page.keyboard.press('Escape');
    expect((await app.deps.store.applications.get(id))?.stage).toBe('qualified');
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
