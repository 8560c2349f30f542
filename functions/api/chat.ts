// The chat on AWS: one Lambda behind the HTTP API for the chat routes (page and assets, /go/:code, sessions,
// webhook POST /api/messages, GET /api/faq). API Gateway HTTP APIs carry no websocket: the page falls back to the
// webhook by itself. Dialog state lives in DynamoDB, so any instance continues any conversation.
import { createChatServiceFromDeps } from '../../bot/index.js';
import type { ChatService } from '../../bot/service.js';
import { json, lambdaFor, type RouteFactory } from '../../shared/http/http.js';
import { getDeps } from '../../shared/runtime/clients.js';
import { parseEnv } from '../../shared/runtime/env.js';
import { loadSecretString } from '../../shared/runtime/secrets.js';

export const createRoute: RouteFactory = (deps) => {
  let service: Promise<ChatService> | null = null;
  return async (req) => {
    service ??= (async () => {
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
