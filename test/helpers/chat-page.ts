import type { Browser } from 'playwright-core';
import { type ChatService, createChatService } from '../../bot/service.js';
import { type LocalServer, startLocalServer } from '../../infra/local/server.js';
import { logger } from '../../shared/runtime/logger.js';
import { type BotWorld, startBotWorld } from '../integration/bot/world.js';
import { launchChromium } from './browser.js';

/** The chat page served on a random port over a bot world, with a Chromium: what the chat browser tests share. */
export interface ChatPageHarness {
  w: BotWorld;
  service: ChatService;
  server: LocalServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startChatPage(): Promise<ChatPageHarness> {
  const w = await startBotWorld();
  let current: ChatService | null = null;
  const server = await startLocalServer({
    host: '127.0.0.1',
    port: 0,
    dispatchers: [(req) => current!.handle(req)],
    upgrades: [(req, socket, head) => current!.handleUpgrade(req, socket, head)],
    logger,
  });
  const service = createChatService(w.ports, {
    allowedOrigins: [server.url],
    publicBaseUrl: server.url,
    ratePerMinute: 600,
  });
  current = service;
  const browser = await launchChromium();
  return {
    w,
    service,
    server,
    browser,
    async close() {
      await browser.close();
      await service.close();
      await server.close();
      await w.close();
    },
  };
}
