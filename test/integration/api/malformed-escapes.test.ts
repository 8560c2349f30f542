import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatServiceFromDeps } from '../../../bot/index.js';
import { startAppServer } from '../../../infra/local/app.js';
import type { LocalServer } from '../../../infra/local/server.js';
import { logger } from '../../../shared/runtime/logger.js';
import { type AppHarness, startAppHarness } from '../../helpers/local-app.js';

/**
 * Malformed percent-escapes in a path parameter (`%`, `%ZZ`, `%C3%28`: not UTF-8) are the client's mistake: a French
 * 400 on API routes, the plain chat on a campaign link; never a 500, never a stack trace in the logs.
 */
const MALFORMED = ['%', '%ZZ', '%C3%28', 'a%2', '%E0%A4%A'];

let base: AppHarness;
let server: LocalServer;
let chat: Awaited<ReturnType<typeof createChatServiceFromDeps>>;
const logged: { level: number; msg: string; err?: unknown }[] = [];

beforeAll(async () => {
  base = await startAppHarness({ lite: true });
  // What the routes and the chat would log at warn and above (errors with their stacks): the deps' logger and the
  // module logger toHttpResponse uses.
  const recording = logger.child({});
  for (const target of [recording, logger]) {
    for (const level of ['warn', 'error', 'fatal'] as const) {
      vi.spyOn(target, level).mockImplementation(((obj: unknown, msg?: string) => {
        const o = typeof obj === 'object' && obj !== null ? (obj as { err?: unknown }) : {};
        logged.push({
          level: level === 'warn' ? 40 : 50,
          msg: typeof obj === 'string' ? obj : (msg ?? ''),
          err: o.err,
        });
      }) as never);
    }
  }
  const deps = { ...base.deps, logger: recording };
  chat = await createChatServiceFromDeps(deps, { allowedOrigins: [], publicBaseUrl: 'http://127.0.0.1' });
  server = await startAppServer(deps, {
    host: '127.0.0.1',
    port: 0,
    dispatchers: [(req) => chat.handle(req)],
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await chat?.close();
  await base?.close();
});

async function get(path: string, method = 'GET', body?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('malformed percent-escapes in route parameters', () => {
  it('GET /go/<malformed> opens the plain chat with the note, like an unknown code', async () => {
    for (const bad of MALFORMED) {
      const res = await get(`/go/${bad}`);
      expect(res.status, bad).toBe(200);
      expect(res.type).toMatch(/^text\/html/);
      expect(res.text).toContain('data-notice="1"');
      expect(res.text).toContain('data-campaign=""');
    }
  });

  it('API routes answer 400 with a French message', async () => {
    const routes: [string, string, string?][] = [
      ['GET', '/api/applications/:p'],
      ['PUT', '/api/applications/:p', '{}'],
      ['POST', '/api/applications/:p/commitments', '{}'],
      ['POST', '/api/console/tasks/:p/decision', '{}'],
      ['GET', '/api/console/applications/:p'],
      ['GET', '/api/console/networks/:p'],
    ];
    for (const [method, path, body] of routes) {
      for (const bad of MALFORMED) {
        const res = await get(path.replace(':p', bad), method, body);
        expect(res.status, `${method} ${path} ${bad}`).toBe(400);
        const payload = JSON.parse(res.text);
        expect(payload.error).toBe('malformed_path');
        expect(payload.message).toMatch(/adresse/i);
      }
    }
  });

  it('pages with a file parameter answer 400 too, not 500', async () => {
    for (const bad of MALFORMED) {
      expect((await get(`/console/${bad}`)).status).toBe(400);
      expect((await get(`/carte/${bad}`)).status).toBe(400);
    }
  });

  it('logs no error and no stack trace for any of them', () => {
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
    expect(logged.filter((l) => l.err !== undefined)).toEqual([]);
  });
});
