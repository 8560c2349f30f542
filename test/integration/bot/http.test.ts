// The chat's transports on a real HTTP server (random port): sessions, webhook, websocket, FAQ API, pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FaqVariables } from '../../../bot/faq/knowledge-base.js';
import { type ChatService, createChatService } from '../../../bot/service.js';
import { type LocalServer, startLocalServer } from '../../../infra/local/server.js';
import { logger } from '../../../shared/runtime/logger.js';
import { verifySignIn } from '../../../shared/usecases/actor-sign-in.js';
import { listCampaignsWithFunnel } from '../../../shared/usecases/console/campaigns.js';
import { submitApplication } from '../../../shared/usecases/submit-application.js';
import { completeSiret, validApplication } from '../../helpers/fixtures.js';
import { type BotWorld, startBotWorld } from './world.js';

let w: BotWorld;
let service: ChatService;
let server: LocalServer;
let origin: string;
let brokenFaq = false;

beforeAll(async () => {
  w = await startBotWorld();
  const ports = {
    ...w.ports,
    faq: {
      ...w.ports.faq,
      match(q: string, vars: FaqVariables) {
        if (brokenFaq) throw new Error('matcher down');
        return w.ports.faq.match(q, vars);
      },
    },
  };
  // The public origin is set once the port is known; allowedOrigins is checked at request time through this list.
  const allowed: string[] = [];
  service = createChatService(ports, {
    allowedOrigins: allowed,
    publicBaseUrl: 'http://127.0.0.1:1',
    ratePerMinute: 600,
  });
  server = await startLocalServer({
    host: '127.0.0.1',
    port: 0,
    dispatchers: [(req) => service.handle(req)],
    upgrades: [(req, socket, head) => service.handleUpgrade(req, socket, head)],
    logger,
  });
  origin = server.url;
  // Rebuild with the real origin now that the port is known.
  await service.close();
  service = createChatService(ports, {
    allowedOrigins: [origin],
    publicBaseUrl: origin,
    ratePerMinute: 600,
    sessionsPerMinute: 6000,
  });
});

afterAll(async () => {
  await service?.close();
  await server?.close();
  await w?.close();
});

async function session(body: unknown = {}): Promise<string> {
  const res = await fetch(`${origin}/api/chat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function post(token: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${origin}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { text: string; quick_replies?: unknown[] }[] };
}

function openSocket(token: string, o: string = origin): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`, { origin: o });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function nextReplies(ws: WebSocket): Promise<{ text: string }[]> {
  return new Promise((resolve) =>
    ws.once('message', (d) => resolve((JSON.parse(d.toString()) as { replies: { text: string }[] }).replies)),
  );
}

describe('webhook', () => {
  it('answers with the bot replies as a JSON array, with quick replies', async () => {
    const token = await session();
    const r = await post(token, { type: 'hello' });
    expect(r.status).toBe(200);
    expect(r.body[0]!.text).toContain('Bonjour');
    expect(r.body[1]!.quick_replies?.length).toBe(6); // the five profiles and « J’ai déjà fait une demande »;
  });

  it('ignores the user id a client claims: the conversation is the token’s', async () => {
    const a = await session();
    await post(a, { type: 'hello' });
    await post(a, { type: 'message', text: '1' });
    const progressed = await post(a, { type: 'message', text: 'Clic Solidaire', user: 'someone-else' });
    expect(progressed.body.at(-1)!.text).toContain('forme juridique');
    // Another token cannot reach A's conversation, whatever `user` it claims.
    const b = await session();
    const other = await post(b, { type: 'message', text: '1', user: 'a', channel: 'a' });
    expect(other.body.map((x) => x.text).join('\n')).toContain('Bonjour');
    expect(other.body.map((x) => x.text).join('\n')).not.toContain('forme juridique');
  });

  it('refuses a missing, forged or tampered token', async () => {
    expect((await post('not-a-real-token-at-all', { type: 'hello' })).status).toBe(401);
    const t = await session();
    const tampered = `${t.slice(0, -2)}${t.endsWith('A') ? 'B' : 'A'}A`;
    expect((await post(tampered, { type: 'hello' })).status).toBe(401);
  });

  it('refuses an oversized body with 413 and empty or binary text politely', async () => {
    const token = await session();
    const big = await post(token, { type: 'message', text: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
    const empty = await post(token, { type: 'message', text: '   ' });
    expect(empty.body[0]!.text).toContain('Je n’ai rien reçu');
    const binary = await post(token, { type: 'message', text: 'abc\u0000\u0001' });
    expect(binary.body[0]!.text).toContain('que du texte');
    const long = await post(token, { type: 'message', text: 'é'.repeat(1500) });
    expect(long.body[0]!.text).toContain('trop long');
  });

  it('answers two simultaneous messages of one conversation, both, in order', async () => {
    const token = await session();
    await post(token, { type: 'hello' });
    await post(token, { type: 'message', text: '1' });
    const [first, second] = await Promise.all([
      post(token, { type: 'message', text: 'Clic Solidaire' }),
      post(token, { type: 'message', text: '1' }),
    ]);
    expect(first.body.at(-1)!.text).toContain('forme juridique');
    expect(second.body.at(-1)!.text).toContain('SIRET');
  });

  it('answers with an apology when a handler throws, and the process keeps serving', async () => {
    const token = await session();
    await post(token, { type: 'hello' });
    brokenFaq = true;
    try {
      const r = await post(token, { type: 'message', text: 'une question bizarre' });
      expect(r.status).toBe(200);
      expect(r.body[0]!.text).toContain('Désolé, une erreur est survenue');
    } finally {
      brokenFaq = false;
    }
    const ok = await post(token, { type: 'message', text: '2' });
    expect(ok.body[0]!.text).toContain('Pour acheter des pass');
  });

  it('refuses a POST from a foreign origin', async () => {
    const res = await fetch(`${origin}/api/chat/session`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});

describe('websocket', () => {
  it('runs the conversation over the socket with the same token', async () => {
    const token = await session();
    const ws = await openSocket(token);
    const replies = nextReplies(ws);
    ws.send(JSON.stringify({ type: 'hello' }));
    expect((await replies)[0]!.text).toContain('Bonjour');
    ws.close();
  });

  it('answers two quick messages in order', async () => {
    const token = await session();
    const ws = await openSocket(token);
    const got: string[][] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        got.push((JSON.parse(d.toString()) as { replies: { text: string }[] }).replies.map((r) => r.text));
        if (got.length === 4) resolve();
      }),
    );
    ws.send(JSON.stringify({ type: 'hello' }));
    ws.send(JSON.stringify({ type: 'message', text: '1' }));
    ws.send(JSON.stringify({ type: 'message', text: 'Clic Solidaire' }));
    ws.send(JSON.stringify({ type: 'message', text: 'association' }));
    await done;
    expect(got[2]!.at(-1)).toContain('forme juridique');
    expect(got[3]!.at(-1)).toContain('SIRET');
    ws.close();
  });

  it('closes with 1009 on an oversized frame', async () => {
    const token = await session();
    const ws = await openSocket(token);
    const code = new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    ws.send(JSON.stringify({ type: 'message', text: 'x'.repeat(64 * 1024) }));
    expect(await code).toBe(1009);
  });

  it('refuses a bad Origin and a bad token', async () => {
    const token = await session();
    await expect(openSocket(token, 'https://evil.example')).rejects.toThrow('403');
    await expect(openSocket('forged.token')).rejects.toThrow('401');
  });

  it('closes the older socket when a second one opens with the same token', async () => {
    const token = await session();
    const older = await openSocket(token);
    const closed = new Promise<number>((resolve) => older.on('close', (c) => resolve(c)));
    const newer = await openSocket(token);
    expect(await closed).toBe(4001);
    const replies = nextReplies(newer);
    newer.send(JSON.stringify({ type: 'hello' }));
    expect((await replies)[0]!.text).toContain('Bonjour');
    newer.close();
  });
});

describe('pages and FAQ API', () => {
  it('serves the page with a strict CSP, and the assets', async () => {
    const res = await fetch(`${origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain('role="log"');
    expect(html).not.toMatch(/<script>|https?:\/\/(?!127)/);
    for (const p of ['/chat.js', '/chat.css', '/embed.js']) expect((await fetch(`${origin}${p}`)).status).toBe(200);
  });

  it('opens an unknown campaign link as the plain chat with a note, never an error', async () => {
    const res = await fetch(`${origin}/go/nope-unknown`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-notice="1"');
    const weird = await fetch(`${origin}/go/%3Cscript%3E`);
    expect(weird.status).toBe(200);
    expect(await weird.text()).not.toContain('<script>');
  });

  it('carries a running campaign from /go/:code into the session', async () => {
    await w.runtime.deps.store.campaigns.put({
      code: 'tour-23',
      kind: 'tour',
      label: 'Tour Creuse',
      route: 'territoriale',
      territory: '23',
      createdAt: new Date().toISOString(),
    });
    const page = await (await fetch(`${origin}/go/tour-23`)).text();
    expect(page).toContain('data-campaign="tour-23"');
    const token = await session({ campaign: 'tour-23' });
    const r = await post(token, { type: 'hello' });
    expect(r.body[0]!.text).toContain('Bienvenue depuis l’#APTIC Tour « Creuse »');
    // The campaign's funnel counted the visit and the conversation.
    const { campaigns } = await listCampaignsWithFunnel(w.runtime.deps);
    expect(campaigns.find((c) => c.code === 'tour-23')?.funnel).toMatchObject({ visits: 1, conversations: 1 });
  });

  it('counts a visit of /go/:code for a GET only, once per browser (HEAD, prefetch and reloads are no visit)', async () => {
    await w.runtime.deps.store.campaigns.put({
      code: 'webinaire-87',
      kind: 'webinar',
      label: 'Webinaire Haute-Vienne',
      territory: '87',
      createdAt: new Date().toISOString(),
    });
    const visits = async () =>
      (await listCampaignsWithFunnel(w.runtime.deps)).campaigns.find((c) => c.code === 'webinaire-87')?.funnel.visits;
    const head = await fetch(`${origin}/go/webinaire-87`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('set-cookie')).toBeNull();
    const prefetch = await fetch(`${origin}/go/webinaire-87`, { headers: { 'sec-purpose': 'prefetch' } });
    expect(prefetch.status).toBe(200);
    expect(await visits()).toBe(0);

    const first = await fetch(`${origin}/go/webinaire-87`);
    expect(await first.text()).toContain('data-campaign="webinaire-87"');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      /^aptic_visite_webinaire-87=1; Max-Age=86400; Path=\/go\/webinaire-87; HttpOnly; SameSite=Lax/,
    );
    expect(await visits()).toBe(1);
    // The same browser reloads, or opens a second tab: the same visit.
    const again = await fetch(`${origin}/go/webinaire-87`, {
      headers: { cookie: 'autre=x; aptic_visite_webinaire-87=1' },
    });
    expect(await again.text()).toContain('data-campaign="webinaire-87"');
    expect(await visits()).toBe(1);
    // Another browser is another visit.
    await fetch(`${origin}/go/webinaire-87`);
    expect(await visits()).toBe(2);
  });

  it('answers GET /api/faq with the contract and validates the query', async () => {
    const ok = await fetch(`${origin}/api/faq?q=${encodeURIComponent('combien coûte le kit ?')}`);
    const body = (await ok.json()) as { topic: string; score: number; answer: string };
    expect(body.topic).toBe('cost-kit');
    expect(typeof body.score).toBe('number');
    expect(body.answer).toBeTypeOf('string');
    expect((await fetch(`${origin}/api/faq`)).status).toBe(400);
    expect((await fetch(`${origin}/api/faq?q=${'a'.repeat(600)}`)).status).toBe(400);
  });

  it('GET /api/faq: a missing or empty q is a French 400, an emoji-only question gets the « je ne sais pas » answer', async () => {
    for (const path of ['/api/faq', '/api/faq?q=', '/api/faq?q=%20%20', '/api/faq?question=kit']) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('validation_error');
      expect(body.message, path).toMatch(/^Question (manquante|vide)/);
      expect(body.message).not.toMatch(/Invalid|expected|received/i);
    }
    for (const q of ['😀', '👩‍💻👩‍💻', '🤔 ?']) {
      const res = await fetch(`${origin}/api/faq?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { topic: string | null; score: number; answer: string | null };
      expect(body.topic).toBeNull();
      expect(body.answer, q).toContain('Je ne sais pas répondre');
      expect(body.answer).toMatch(/@/);
    }
  });

  it('GET /api/faq: suggestions (≤ 3, { topic, label }) when it declines or is unsure, an empty list when confident', async () => {
    const ask = async (q: string) => {
      const res = await fetch(`${origin}/api/faq?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (await res.json()) as {
        topic: string | null;
        score: number;
        answer: string | null;
        suggestions: { topic: string; label: string }[];
      };
    };
    const declined = await ask('un souci avec aptic');
    expect(declined.topic).toBeNull();
    expect(declined.answer).toContain('Je ne sais pas répondre');
    expect(typeof declined.score).toBe('number');
    expect(declined.suggestions.length).toBeGreaterThan(0);
    expect(declined.suggestions.length).toBeLessThanOrEqual(3);
    for (const s of declined.suggestions) {
      expect(Object.keys(s).sort()).toEqual(['label', 'topic']);
      expect(s.label).toBe(w.ports.faq.labelOf(s.topic));
    }
    // Unsure (answered, a close second topic): the answered topic first, then the others.
    const unsure = await ask('des infos sur la qualif svp');
    expect(unsure.topic).not.toBeNull();
    expect(unsure.answer).not.toContain('Je ne sais pas répondre');
    expect(unsure.suggestions.length).toBeGreaterThan(1);
    expect(unsure.suggestions.length).toBeLessThanOrEqual(3);
    expect(unsure.suggestions[0]!.topic).toBe(unsure.topic);
    const confident = await ask('combien coûte le kit ?');
    expect(confident.topic).toBe('cost-kit');
    expect(confident.suggestions).toEqual([]);
    const elsewhere = await ask('😀');
    expect(elsewhere).toMatchObject({ topic: null, suggestions: [] });
  });
});

describe('rate limits', () => {
  // Issue 12 (7): every 429 says when to come back (Retry-After, seconds).
  it('answers 429 with Retry-After on session creation and on messages', async () => {
    const tight = createChatService(w.ports, {
      allowedOrigins: [],
      publicBaseUrl: 'http://127.0.0.1:1',
      ratePerMinute: 1,
      sessionsPerMinute: 1,
    });
    const call = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      tight.handle({
        method: 'POST',
        path,
        params: {},
        query: {},
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        sourceIp: '192.0.2.9',
      });
    try {
      const first = await call('/api/chat/session', {});
      expect(first?.statusCode).toBe(200);
      const refused = await call('/api/chat/session', {});
      expect(refused?.statusCode).toBe(429);
      expect(Number(refused?.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
      const token = JSON.parse(first!.body).token as string;
      let last = null as Awaited<ReturnType<typeof call>>;
      for (let i = 0; i < 10 && last?.statusCode !== 429; i++) {
        last = await call('/api/messages', { type: 'hello' }, { authorization: `Bearer ${token}` });
      }
      expect(last?.statusCode).toBe(429);
      expect(Number(last?.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      await tight.close();
    }
  });
});

describe('a chat opened from the actor space', () => {
  it('binds a new session to an application the actor token reaches, and resumes there', async () => {
    const deps = w.runtime.deps;
    const doc = validApplication({ siret: completeSiret('9123456789012') });
    doc.structure.representant_legal = { nom: 'Claire Martin', courriel: `http-${process.pid}@exemple.fr` };
    const { id } = await submitApplication(deps, doc, { source: 'api' });
    const code = await w.latestSignInCode(id);
    const { token: actorToken } = await verifySignIn(deps, { code: code! });

    const chatToken = await session({ resume: { applicationId: id, token: actorToken } });
    const r = await post(chatToken, { type: 'hello' });
    const text = r.body.map((b) => b.text).join('\n');
    expect(text).toContain('Vous êtes connecté·e');
    expect(text).toContain(`référence ${id.slice(0, 8)}`);

    const refuse = (resumeToken: string, applicationId = id) =>
      fetch(`${origin}/api/chat/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ resume: { applicationId, token: resumeToken } }),
      });
    expect((await refuse(`acs_${'x'.repeat(43)}`)).status).toBe(401);
    expect((await refuse(actorToken, '00000000-0000-4000-8000-000000000000')).status).toBe(403);
  });
});
