// Issue 14 item 4: the chat page on a phone (390 px wide). Nine quick replies must not push the question off the
// screen, long answers come as short bubbles with their links, and every chat state passes axe (the newer ones too:
// FAQ suggestions, sign-in from the chat, SIRET help).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../infra/local/server.js';
import { expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { type ChatPageHarness, startChatPage } from '../helpers/chat-page.js';
import { HAPPY_ANSWERS } from '../integration/bot/world.js';

let h: ChatPageHarness;
let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  h = await startChatPage();
  ({ server, browser } = h);
}, 120_000);

afterAll(() => h?.close());

const PHONE = { width: 390, height: 844 };

async function phonePage(): Promise<Page> {
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#quick-replies button');
  return page;
}

/** Types an answer and waits until the bot's reply is in (and its quick replies drawn). */
async function say(page: Page, text: string): Promise<void> {
  const before = await page.locator('.msg--user').count();
  const bots = await page.locator('.msg--bot').count();
  await page.fill('#message', text);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (n) => document.querySelectorAll('.msg--user').length > n.u && document.querySelectorAll('.msg--bot').length > n.b,
    { u: before, b: bots },
    { timeout: 10_000 },
  );
  await page.waitForTimeout(150);
}

/** Where `selector`'s element is, relative to the message log and the window. */
function placeOf(page: Page, text: string) {
  return page.evaluate((t) => {
    const log = document.getElementById('messages')!.getBoundingClientRect();
    const msg = Array.from(document.querySelectorAll('.msg--bot'))
      .reverse()
      .find((m) => m.textContent!.includes(t))!;
    const r = msg.getBoundingClientRect();
    const quick = document.getElementById('quick-replies')!;
    const input = document.getElementById('message')!.getBoundingClientRect();
    return {
      top: r.top,
      logTop: log.top,
      logBottom: log.bottom,
      visible: r.top >= log.top - 1 && r.top + 24 <= log.bottom,
      quickHeight: quick.getBoundingClientRect().height,
      quickScrolls: quick.scrollHeight > quick.clientHeight,
      inputInWindow: input.bottom <= window.innerHeight && input.top >= 0,
    };
  }, text);
}

describe('chat page on a phone (390 px)', () => {
  it('keeps the question in view above nine quick replies, and explains an empty « Valider »', async () => {
    const page = await phonePage();
    await page.getByRole('button', { name: 'J’accompagne au numérique' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.msg--bot').length > 1);
    for (const a of HAPPY_ANSWERS.slice(0, 10)) await say(page, a);
    await page.waitForSelector('.chat__validate');
    expect(await page.locator('#quick-replies button[aria-pressed]').count()).toBe(9);

    const place = await placeOf(page, 'Quels types d’accompagnement proposez-vous ?');
    expect(place.visible, JSON.stringify(place)).toBe(true);
    expect(place.inputInWindow, JSON.stringify(place)).toBe(true);
    // The nine options sit in a bounded area (at most 16rem) that scrolls, its buttons reachable with Tab.
    expect(place.quickHeight).toBeLessThanOrEqual(16 * 16 + 1);
    expect(place.quickScrolls).toBe(true);
    await page.getByRole('button', { name: 'Valider ma sélection' }).focus();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Valider ma sélection');
    await expectNoAxeViolations(page, 'phone, nine quick replies');
    await expectReflow(page, 'phone, nine quick replies');

    // « Valider » with nothing selected: says why, in French, announced (role="alert"); nothing is sent.
    const users = await page.locator('.msg--user').count();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#quick-hint')).toMatch(/Sélectionnez au moins une réponse/);
    expect(await page.locator('.msg--user').count()).toBe(users);
    await expectNoAxeViolations(page, 'phone, « Valider » with nothing selected');

    // A free-text question next: no empty « Réponses proposées » box.
    await page.getByRole('button', { name: 'Aide aux démarches administratives' }).click();
    await page.getByRole('button', { name: 'Valider ma sélection' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.msg--user').length > n, users);
    await page.waitForTimeout(300);
    await expectNoAxeViolations(page, 'phone, after the multi-select');
    await page.close();
  }, 120_000);

  it('shows the SIRET help, FAQ suggestions, a long answer in short bubbles with its link, and the sign-in, each without axe violations', async () => {
    const page = await phonePage();
    await expectNoAxeViolations(page, 'phone, greeting');

    // SIRET help (issue 14 item 1): an invalid number, then the help.
    await page.getByRole('button', { name: 'J’accompagne au numérique' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.msg--bot').length > 1);
    for (const a of HAPPY_ANSWERS.slice(0, 2)) await say(page, a);
    await say(page, '12345678901234');
    await expect.poll(() => page.locator('#messages').textContent()).toContain('Annuaire des Entreprises');
    await expectNoAxeViolations(page, 'phone, SIRET help');
    await page.close();

    const faq = await phonePage();
    await say(faq, '4');
    // FAQ suggestions: « Vous parlez de : … ? » as quick replies.
    await say(faq, 'un souci avec aptic');
    await expect.poll(() => faq.locator('#messages').textContent()).toContain('Vous parlez de');
    expect(await faq.locator('#quick-replies button').count()).toBeGreaterThan(1);
    await expectNoAxeViolations(faq, 'phone, FAQ suggestions');

    // A long answer: short bubbles (no wall of text), the actor space's path as a link.
    await say(faq, 'comment retrouver ma demande ?');
    const link = faq.locator('#messages a[href="/espace"]').last();
    await expect.poll(() => link.count()).toBeGreaterThan(0);
    const lengths = await faq.locator('.msg--bot').evaluateAll((ms) => ms.map((m) => m.textContent!.length));
    expect(Math.max(...lengths.slice(-3))).toBeLessThanOrEqual(330);
    await expectNoAxeViolations(faq, 'phone, FAQ answer with a link');
    await expectReflow(faq, 'phone, FAQ answer with a link');

    // Sign-in from the chat (« J’ai déjà fait une demande »).
    await faq.getByRole('button', { name: 'J’ai déjà fait une demande' }).click();
    await expect.poll(() => faq.locator('.msg--bot').last().textContent()).toContain('adresse e-mail');
    await expectNoAxeViolations(faq, 'phone, sign-in from the chat');
    await faq.close();
  }, 120_000);
});
