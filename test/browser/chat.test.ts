// Headless Chromium: from the chat page, through the questionnaire, to a submitted application (real use cases on
// dynalite, the real workflow engine).

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatService, createChatService } from '../../bot/service.js';
import { type LocalServer, startLocalServer } from '../../infra/local/server.js';
import { logger } from '../../shared/runtime/logger.js';
import { launchChromium } from '../helpers/browser.js';
import { type BotWorld, HAPPY_ANSWERS, startBotWorld } from '../integration/bot/world.js';

let w: BotWorld;
let service: ChatService;
let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  w = await startBotWorld();
  let current: ChatService | null = null;
  server = await startLocalServer({
    host: '127.0.0.1',
    port: 0,
    dispatchers: [(req) => current!.handle(req)],
    upgrades: [(req, socket, head) => current!.handleUpgrade(req, socket, head)],
    logger,
  });
  service = createChatService(w.ports, { allowedOrigins: [server.url], publicBaseUrl: server.url, ratePerMinute: 600 });
  current = service;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await server?.close();
  await w?.close();
});

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
    expect(await page.locator('.msg--bot').last().textContent()).toContain('Votre demande est enregistrée');

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
