// The chat Lambda (functions/api/chat.ts) driven with HTTP API events: session, then webhook turns.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRoute } from '../../../functions/api/chat.js';
import { toLambda } from '../../../shared/http/http.js';
import { type BotWorld, startBotWorld } from './world.js';

let w: BotWorld;
beforeAll(async () => {
  w = await startBotWorld();
});
afterAll(async () => {
  await w?.close();
});

const event = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyEventV2 =>
  ({
    rawPath: path,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { http: { method, sourceIp: '203.0.113.7' } },
  }) as unknown as APIGatewayProxyEventV2;

it('creates a session and answers webhook turns with the replies in the response', async () => {
  const handler = toLambda(createRoute(w.runtime.deps));
  const s = await handler(event('POST', '/api/chat/session', {}));
  expect(s.statusCode).toBe(200);
  const { token } = JSON.parse(String(s.body)) as { token: string };
  const hello = await handler(event('POST', '/api/messages', { type: 'hello' }, { authorization: `Bearer ${token}` }));
  expect(JSON.parse(String(hello.body))[0].text).toContain('Bonjour');
  const next = await handler(
    event('POST', '/api/messages', { type: 'message', text: '1', user: 'x' }, { authorization: `Bearer ${token}` }),
  );
  expect(JSON.parse(String(next.body)).at(-1).text).toContain('nom de votre structure');
  // A second cold start (new route instance) reads the same secret and the same dialog state.
  const other = toLambda(createRoute(w.runtime.deps));
  const resumed = await other(
    event('POST', '/api/messages', { type: 'message', text: 'Clic' }, { authorization: `Bearer ${token}` }),
  );
  expect(JSON.parse(String(resumed.body)).at(-1).text).toContain('forme juridique');
  const page = await handler(event('GET', '/'));
  expect(page.headers?.['content-security-policy']).toContain("default-src 'self'");
  expect((await handler(event('GET', '/nothing-here'))).statusCode).toBe(404);
});
