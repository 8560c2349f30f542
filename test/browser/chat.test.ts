// Headless Chromium: from the chat page, through the questionnaire, to a submitted application (real use cases on
// dynalite, the real workflow engine).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalServer } from '../../infra/local/server.js';
import { expectDocumentBasics, expectKeyboardReachable, expectNoAxeViolations, expectReflow } from '../helpers/a11y.js';
import { type ChatPageHarness, startChatPage } from '../helpers/chat-page.js';
import { type BotWorld, HAPPY_ANSWERS } from '../integration/bot/world.js';

let h: ChatPageHarness;
let w: BotWorld;
let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  h = await startChatPage();
  ({ w, server, browser } = h);
}, 120_000);

afterAll(() => h?.close());

async function botCount(page: Page): Promise<number> {
  return page.locator('.msg--bot').count();
}

/** Type an answer like a person (keyboard only) and wait for the bot to answer. */
async function answer(page: Page, text: string): Promise<void> {
  const before = await botCount(page);
  await page.fill('#message', text);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before, { timeout: 10_000 });
}

describe('chat page in Chromium', () => {
  it('goes through the questionnaire to a submitted application', async () => {
    const errors: string[] = [];
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.msg--bot');
    await expect.poll(() => page.textContent('#chat-status')).toBe('Connecté');
    expect(await page.getAttribute('#messages', 'role')).toBe('log');
    expect(await page.getAttribute('#messages', 'aria-live')).toBe('polite');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');

    // A1 with a quick-reply button.
    const before = await botCount(page);
    await page.getByRole('button', { name: 'J’accompagne au numérique' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before);

    const answers = [...HAPPY_ANSWERS];
    answers[0] = '<img src=x onerror=alert(1)> Clic 🎉';
    answers[2] = '43493312300029';
    for (const [i, a] of answers.entries()) {
      if (i === 10) {
        // C2, multi-select with the toggle buttons and « Valider ».
        const n = await botCount(page);
        await page.getByRole('button', { name: 'Aide aux démarches administratives' }).click();
        await page.getByRole('button', { name: 'Maîtrise des outils numériques du quotidien' }).click();
        expect(
          await page.getByRole('button', { name: 'Aide aux démarches administratives' }).getAttribute('aria-pressed'),
        ).toBe('true');
        await page.getByRole('button', { name: 'Valider ma sélection' }).click();
        await page.waitForFunction((k) => document.querySelectorAll('.msg--bot').length > k, n);
        continue;
      }
      await answer(page, a);
    }
    await expect.poll(() => page.locator('.msg--bot').last().textContent()).toContain('Tout est-il correct');
    // Markup typed by the user is shown as text, never as an element.
    expect(await page.locator('#messages img').count()).toBe(0);
    expect(
      await page.locator('.msg--bot', { hasText: '<img src=x onerror=alert(1)> Clic 🎉' }).count(),
    ).toBeGreaterThan(0);

    const n = await botCount(page);
    await page.getByRole('button', { name: 'Confirmer et envoyer' }).click();
    await page.waitForFunction((k) => document.querySelectorAll('.msg--bot').length > k, n);
    // A long reply comes as several bubbles (issue 14 item 5): the confirmation is among the last ones.
    expect(await page.locator('#messages').textContent()).toContain('Votre demande est enregistrée');

    const app = await w.runtime.deps.store.applications.getBySiret('43493312300029');
    expect(app?.source).toBe('chat');
    expect(app?.document).toMatchObject({ structure: { nom: '<img src=x onerror=alert(1)> Clic 🎉' } });

    // Reload: the session token in sessionStorage brings the same conversation back.
    await page.reload();
    await expect
      .poll(() =>
        page
          .locator('.msg--bot')
          .allTextContents()
          .then((t) => t.join('\n')),
      )
      .toContain('Re-bonjour');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 120_000);
});

/** Waits for a bot message beyond `before` and returns the last bot message's text. */
async function nextBot(page: Page, before: number): Promise<string> {
  await page.waitForFunction((n) => document.querySelectorAll('.msg--bot').length > n, before, { timeout: 10_000 });
  return (await page.locator('.msg--bot').last().textContent()) ?? '';
}

describe('chat page accessibility (RGAA 4.1 gate, docs/accessibility.md)', () => {
  it('passes axe A/AA in every state and is usable with the keyboard alone', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // Empty: the page before the first bot message (the session request is held back until axe has run).
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/chat/session', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/`);
    await expectDocumentBasics(page, 'Assistant #APTIC — devenir lieu qualifié');
    expect(await page.locator('.msg').count()).toBe(0);
    expect(await page.locator('#quick-replies').isVisible()).toBe(false);
    await expectNoAxeViolations(page, 'chat, empty');
    release();

    // Greeting with quick replies (A1): axe, reflow, every control reachable with Tab.
    await page.waitForSelector('#quick-replies button');
    await expectNoAxeViolations(page, 'chat, quick replies');
    await expectReflow(page, 'chat, quick replies');
    await expectKeyboardReachable(page, ['#messages', '#quick-replies button', '#message', '#composer button']);
    // The log scrolls: reachable with Tab (axe scrollable-region-focusable), named, announced politely.
    expect(await page.getAttribute('#messages', 'tabindex')).toBe('0');
    expect(await page.getAttribute('#messages', 'aria-live')).toBe('polite');

    // Keyboard only: Tab to the first quick reply, Enter. The button disappears; focus lands in the input.
    let before = await botCount(page);
    await page.focus('#message');
    await page.keyboard.press('Shift+Tab');
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== 'J’accompagne au numérique')
      await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    let text = await nextBot(page, before);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');

    // A free-text question (B1): no empty « Réponses proposées » group left behind.
    expect(await page.locator('#quick-replies').isVisible()).toBe(false);
    expect(await page.locator('#quick-replies button').count()).toBe(0);
    await expectNoAxeViolations(page, 'chat, free-text question');

    // Mid-questionnaire: typing, Enter. A new message is announced by the log and scrolled into view; focus stays
    // in the input so that typing the next answer just works.
    for (const a of HAPPY_ANSWERS.slice(0, 2)) {
      before = await botCount(page);
      await page.keyboard.type(a);
      await page.keyboard.press('Enter');
      text = await nextBot(page, before);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');
    }
    expect(text).toMatch(/SIRET/);
    const lastInView = await page.evaluate(() => {
      const log = document.getElementById('messages')!.getBoundingClientRect();
      const last = Array.from(document.querySelectorAll('.msg--bot')).at(-1)!.getBoundingClientRect();
      return { inView: last.bottom <= log.bottom + 1 && last.top >= log.top - 1, log, last };
    });
    expect(lastInView.inView, JSON.stringify(lastInView)).toBe(true);

    // After an error: an invalid SIRET is re-asked, in the log.
    before = await botCount(page);
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    text = await nextBot(page, before);
    expect(text).toMatch(/SIRET/);
    await expectNoAxeViolations(page, 'chat, after an invalid answer');

    // To the multi-select question (C2).
    for (const a of HAPPY_ANSWERS.slice(2, 10)) {
      before = await botCount(page);
      await page.keyboard.type(a);
      await page.keyboard.press('Enter');
      await nextBot(page, before);
    }
    await page.waitForSelector('.chat__validate');
    await expectNoAxeViolations(page, 'chat, multi-select');
    await expectReflow(page, 'chat, multi-select');

    // « Valider » with nothing selected says so in French (role="alert"), and sends nothing.
    before = await botCount(page);
    await page.focus('.chat__validate');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#quick-hint')).toMatch(/Sélectionnez au moins une réponse/);
    expect(await page.getAttribute('#quick-hint', 'role')).toBe('alert');
    expect(await page.getAttribute('.chat__validate', 'aria-describedby')).toBe('quick-hint');
    expect(await page.locator('.msg--user').count()).toBe(HAPPY_ANSWERS.slice(0, 10).length + 2);
    await expectNoAxeViolations(page, 'chat, « Valider » with nothing selected');

    // Toggle two options with Space, validate with Enter: all from the keyboard.
    for (const name of ['Aide aux démarches administratives', 'Maîtrise des outils numériques du quotidien']) {
      await page.getByRole('button', { name }).focus();
      await page.keyboard.press('Space');
      expect(await page.getByRole('button', { name }).getAttribute('aria-pressed')).toBe('true');
    }
    expect(await page.textContent('#quick-hint')).toBe('');
    await page.focus('.chat__validate');
    await page.keyboard.press('Enter');
    await nextBot(page, before);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('message');

    // A message arriving while the user reads the log does not pull focus away.
    await page.focus('#messages');
    before = await botCount(page);
    await page.evaluate((value) => {
      const input = document.getElementById('message') as HTMLInputElement;
      input.value = value;
      (document.getElementById('composer') as HTMLFormElement).requestSubmit();
      document.getElementById('messages')!.focus();
    }, HAPPY_ANSWERS[11]!);
    await nextBot(page, before);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('messages');
    await expectNoAxeViolations(page, 'chat, mid-questionnaire');
    expect(errors).toEqual([]);
    await page.close();

    // The service down: the note and the status say so, the page stays clean.
    const down = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await down.route('**/api/chat/session', (route) => route.fulfill({ status: 503, body: '{}' }));
    await down.goto(`${server.url}/`);
    await down.waitForSelector('.msg--note');
    expect(await down.textContent('#chat-status')).toBe('Service indisponible pour le moment.');
    await expectNoAxeViolations(down, 'chat, service unavailable');
    await expectReflow(down, 'chat, service unavailable');
    await down.close();
  }, 90_000);
});
