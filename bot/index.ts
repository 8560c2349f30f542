// bot/: the #APTIC chat. Mount `createChatServiceFromDeps(deps, …)` on a server (see docs/bot.md); everything below
// talks to the engine interfaces of ./conversation.ts, Botkit stays inside ./engine.ts.

import { publishedKnowledgeBaseSince } from '../shared/usecases/console/knowledge-base.js';
import type { Deps } from '../shared/usecases/ports.js';
import { loadKnowledgeBase } from './faq/knowledge-base.js';
import { createLiveFaqPort } from './faq-live.js';
import { createBotPorts } from './ports.js';
import { chatSessionSecret } from './secret.js';
import { type ChatService, type ChatServiceOptions, createChatService } from './service.js';
import { createHmacSessions } from './sessions.js';

export interface ChatServiceFromDepsOptions extends ChatServiceOptions {
  /** ≥ 32 bytes, identical on every instance; default: generated once and kept in the table. */
  sessionSecret?: string;
  /**
   * Build the FAQ matcher of the version in force now rather than at its first use: a long-lived server (`npm start`)
   * does, so that its first question does not wait. A Lambda does not: an instance may never meet a FAQ question.
   */
  warmFaq?: boolean;
}

export async function createChatServiceFromDeps(deps: Deps, options: ChatServiceFromDepsOptions): Promise<ChatService> {
  const { sessionSecret, warmFaq, ...serviceOptions } = options;
  const secret = sessionSecret ?? (await chatSessionSecret(deps.store, deps.clock));
  // The FAQ follows the version staff publish in the console; the file while none is (bot/faq-live.ts).
  // The file, read once: the default FAQ, and the training sets a published version is read with.
  const file = loadKnowledgeBase();
  const faq = createLiveFaqPort(
    {
      since: (known) => publishedKnowledgeBaseSince(deps, known, () => file),
      checkSeconds: async () => (await deps.config()).faqPublished.checkSeconds,
      now: () => Date.now(),
      models: {
        get: (versionId) => deps.store.knowledgeBase.getModel(versionId),
        put: (versionId, model) => deps.store.knowledgeBase.putModel(versionId, model),
      },
      warn: (fields, msg) => deps.logger.warn(fields, msg),
    },
    { file },
  );
  if (warmFaq) await faq.warm();
  const ports = createBotPorts(deps, {
    faq,
    faqRefresh: () => faq.refresh(),
    sessions: createHmacSessions({ secret, clock: deps.clock }),
  });
  return createChatService(ports, {
    log: deps.logger,
    ...serviceOptions,
  });
}

export { createChatEngine } from './chat-bot.js';
export type { Engine, Reply, TurnInput } from './conversation.js';
export type { BotPorts } from './ports.js';
export { createBotPorts } from './ports.js';
export type { ChatService, ChatServiceOptions } from './service.js';
export { createChatService } from './service.js';
export { createHmacSessions } from './sessions.js';
