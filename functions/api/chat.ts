// The chat on AWS: one Lambda behind the HTTP API for the chat routes (page and assets, /go/:code, sessions,
// webhook POST /api/messages, GET /api/faq). API Gateway HTTP APIs carry no websocket: the page falls back to the
// webhook by itself. Dialog state lives in DynamoDB, so any instance continues any conversation.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setClassifierStore } from '../../bot/faq/classifier.js';
import { createFaqPort } from '../../bot/faq-port.js';
import { createChatServiceFromDeps } from '../../bot/index.js';
import type { ChatService } from '../../bot/service.js';
import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { parseEnv } from '../../shared/runtime/env.js';
import { loadSecretString } from '../../shared/runtime/secrets.js';

/**
 * The FAQ classifier of the file's knowledge base, trained once at build time beside the bundle (ENTRY_BUILD_STEPS in
 * functions/routes.ts runs `writeFaqModel` on the bundle itself, so the key, which hashes the training code, is the
 * bundle's own). Training it was most of the chat's first turn after a cold start (docs/infra.md); a version staff
 * published in the console has another key and is trained when it is first read, as before.
 */
const FAQ_MODEL_DIR = fileURLToPath(new URL('./faq-model/', import.meta.url));

/** Build step: trains the file's FAQ classifier with this very code and writes it to `dir` (`<key>.bin`). */
export function writeFaqModel(dir: string = FAQ_MODEL_DIR): void {
  mkdirSync(dir, { recursive: true });
  setClassifierStore({ get: () => undefined, set: (key, data) => writeFileSync(join(dir, `${key}.bin`), data) });
  try {
    createFaqPort();
  } finally {
    setClassifierStore(null);
  }
}

let bundledModelReads = 0;

/** How many classifiers this process read from the build-time models (test/infra/chat-bundle.test.ts checks ≥ 1). */
export const bundledFaqModelReads = (): number => bundledModelReads;

/** The build-time models, read-only (Lambda's code directory is): a missing key trains as without a store. */
function useBundledFaqModels(dir: string): void {
  if (!existsSync(dir)) return; // running from sources: nothing was built
  setClassifierStore({
    get: (key) => {
      try {
        const data = readFileSync(join(dir, `${key}.bin`));
        bundledModelReads++;
        return data;
      } catch {
        return undefined;
      }
    },
    set: () => undefined,
  });
}

export const createRoute: RouteFactory = (deps) => {
  let service: Promise<ChatService> | null = null;
  return async (req) => {
    service ??= (async () => {
      useBundledFaqModels(FAQ_MODEL_DIR);
      const env = parseEnv();
      return createChatServiceFromDeps(deps, {
        allowedOrigins: [],
        publicBaseUrl: env.PUBLIC_BASE_URL,
        // On AWS the token-signing secret lives in Secrets Manager (infra/stack.ts); without it, in the table.
        ...(env.CHAT_SESSION_SECRET_ARN
          ? { sessionSecret: await loadSecretString(env.CHAT_SESSION_SECRET_ARN, { minLength: 43 }) }
          : {}),
      });
    })().catch((err) => {
      service = null; // a failed cold start is retried by the next request
      throw err;
    });
    return (await (await service).handle(req)) ?? json(404, { error: 'not_found', message: 'Adresse inconnue.' });
  };
};

export const handler = lambdaFor(createRoute, getDeps);
