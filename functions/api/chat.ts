// The chat on AWS: one Lambda behind the HTTP API for the chat routes (page and assets, /go/:code, sessions,
// webhook POST /api/messages, GET /api/faq). API Gateway HTTP APIs carry no websocket: the page falls back to the
// webhook by itself. Dialog state lives in DynamoDB, so any instance continues any conversation.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setAnalysisStore } from '../../bot/faq/analysis-store.js';
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
 * bundle's own). Training it was most of the chat's first turn after a cold start (docs/infra.md). A version staff
 * published in the console with other phrasings has another key: the first instance that reads it trains it and keeps
 * it in the table, where the others read it (bot/faq-live.ts).
 */
const FAQ_MODEL_DIR = fileURLToPath(new URL('./faq-model/', import.meta.url));

/**
 * Build step: trains the file's FAQ classifier and analyses its phrasings with this very code, and writes both to
 * `dir` (`<key>.bin`, `<key>.analysis`; bot/faq/analysis-store.ts says why the analyses are only kept this way).
 */
export function writeFaqModel(dir: string = FAQ_MODEL_DIR): void {
  mkdirSync(dir, { recursive: true });
  const writeTo = (ext: string) => ({
    get: () => undefined,
    set: (key: string, data: Uint8Array) => writeFileSync(join(dir, `${key}.${ext}`), data),
  });
  setClassifierStore(writeTo('bin'));
  setAnalysisStore(writeTo('analysis'));
  try {
    createFaqPort();
  } finally {
    setClassifierStore(null);
    setAnalysisStore(null);
  }
}

let bundledModelReads = 0;
let bundledAnalysisReads = 0;

/** How many classifiers this process read from the build-time models (test/infra/chat-bundle.test.ts checks ≥ 1). */
export const bundledFaqModelReads = (): number => bundledModelReads;
/** How many analyses of the phrasings this process read from the build step's (the same test checks ≥ 1). */
export const bundledFaqAnalysisReads = (): number => bundledAnalysisReads;

/** The build-time models and analyses, read-only (Lambda's code directory is): a missing key trains or analyses. */
function useBundledFaqModels(dir: string): void {
  if (!existsSync(dir)) return; // running from sources: nothing was built
  const readFrom = (ext: string, counted: () => void) => ({
    get: (key: string) => {
      try {
        const data = readFileSync(join(dir, `${key}.${ext}`));
        counted();
        return data;
      } catch {
        return undefined;
      }
    },
    set: () => undefined,
  });
  setClassifierStore(readFrom('bin', () => bundledModelReads++));
  setAnalysisStore(readFrom('analysis', () => bundledAnalysisReads++));
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
