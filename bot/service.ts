// The chat's transports: the page and its assets, campaign links, sessions, the webhook, the FAQ API and the
// websocket. Everything here talks to the ChatEngine (bot/chat-bot.ts), never to Botkit. Over 400 lines: the transports
// share one closure (rate limits, sessions, sockets); splitting it would pass that state around.
//
// Security decisions (details in docs/bot.md):
// - identity: the conversation is the one inside the server-signed session token; any `user` a client sends is
//   ignored. A token for another conversation cannot be forged or guessed (HMAC, 128-bit random ids).
// - Origin allow-list on the websocket (required) and on POSTs (when the browser sends one).
// - size limits before parsing: webhook body and websocket frame ≤ maxMessageBytes (413 / close 1009), text ≤ 1000
//   characters (polite refusal), control characters refused as binary.
// - per-conversation rate limit (token bucket) on both transports; session creation limited per IP.
// - one open socket per conversation: a second socket with the same token closes the older one (4001), so two tabs
//   cannot interleave answers in one conversation.
// - the page is text only (textContent) under a strict CSP: no inline script, no third-party origin.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  bearerToken,
  decodePathSegment,
  type HttpRequest,
  type HttpResponse,
  json,
  retryAfterHeader,
  toHttpResponse,
} from '../shared/http/http.js';
import { isNewVisit, visitCookie } from './campaign-visit.js';
import { type ChatEngine, type ChatEngineOptions, createChatEngine } from './chat-bot.js';
import type { Reply, TurnInput } from './conversation.js';
import { faqVariables } from './faq/knowledge-base.js';
import { ChatMessageSchema, ChatSessionBodySchema, FaqQuerySchema } from './http-schemas.js';
import { type BotPorts, campaignIsRunning } from './ports.js';
import { RateLimiter } from './rate-limit.js';
import { INVITE_TOKEN } from './sessions.js';
import { staffTurn } from './staff-replies.js';
import type { SessionMeta } from './state.js';

export interface ChatServiceOptions {
  /** Origins allowed to open the websocket and to POST (the public base URL's origin is always allowed). */
  allowedOrigins: string[];
  publicBaseUrl: string;
  /** Largest webhook body / websocket frame, in bytes (default 4 KiB). */
  maxMessageBytes?: number;
  /** Messages per minute and conversation (default 30). */
  ratePerMinute?: number;
  /** New sessions per minute and client IP (default 20). */
  sessionsPerMinute?: number;
  /** Longest message text, in characters (default 1000). */
  maxTextChars?: number;
  /** Who may frame the chat page (embed.js on partner sites). Default: any https site. */
  frameAncestors?: string;
  engine?: ChatEngineOptions;
  log?: { warn(obj: unknown, msg: string): void; error(obj: unknown, msg: string): void };
}

export interface ChatService {
  /** null when the request is not a chat route. */
  handle(req: HttpRequest): Promise<HttpResponse | null>;
  /** Takes `/ws?token=…` upgrades (returns true), leaves others (false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** One turn, transport-free (the Lambda webhook and tests use it). */
  readonly engine: ChatEngine;
  close(): Promise<void>;
}

const WEB = new URL('./web/', import.meta.url);
const assets = new Map<string, string>();
function asset(name: string): string {
  let a = assets.get(name);
  if (a === undefined) {
    a = readFileSync(new URL(name, WEB), 'utf8');
    assets.set(name, a);
  }
  return a;
}

const CAMPAIGN_CODE = /^[A-Za-z0-9_-]{1,40}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what "binary" means here
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD\uFFFE\uFFFF]/;

export const MESSAGES = {
  empty: 'Je n’ai rien reçu : écrivez votre réponse ou votre question.',
  tooLong: (max: number) => `Votre message est trop long (${max} caractères au maximum) : pouvez-vous le raccourcir ?`,
  binary: 'Je ne peux lire que du texte : pouvez-vous réécrire votre message ?',
  rate: 'Vous allez un peu vite : attendez quelques secondes avant d’envoyer un nouveau message.',
  tooLarge: (bytes: number) => `Votre message est trop volumineux (${Math.floor(bytes / 1024)} Ko au maximum).`,
  session: 'Votre session a expiré : rechargez la page pour reprendre.',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Checks one incoming text; a refusal is a polite reply, not an error. */
export function checkText(text: string, maxChars: number): { ok: true; text: string } | { ok: false; reply: string } {
  if (BINARY.test(text)) return { ok: false, reply: MESSAGES.binary };
  const t = text.normalize('NFC').trim();
  if (t === '') return { ok: false, reply: MESSAGES.empty };
  if ([...t].length > maxChars) return { ok: false, reply: MESSAGES.tooLong(maxChars) };
  return { ok: true, text: t };
}

export function createChatService(ports: BotPorts, options: ChatServiceOptions): ChatService {
  const maxBytes = options.maxMessageBytes ?? 4096;
  const maxChars = options.maxTextChars ?? 1000;
  const publicOrigin = originOf(options.publicBaseUrl);
  const allowed = new Set([...options.allowedOrigins, ...(publicOrigin ? [publicOrigin] : [])]);
  const perConversation = new RateLimiter({
    perMinute: options.ratePerMinute ?? 30,
    burst: Math.max(5, Math.ceil((options.ratePerMinute ?? 30) / 3)),
  });
  const sessionsPerMinute = options.sessionsPerMinute ?? 20;
  const perIp = new RateLimiter({ perMinute: sessionsPerMinute, burst: Math.max(1, Math.ceil(sessionsPerMinute / 2)) });
  const log = options.log;
  const engine = createChatEngine(ports, {
    ...options.engine,
    onError: (err, conversationId) => {
      ports.metrics.count('ChatErrors');
      log?.error({ err, conversationId }, 'chat turn failed');
      options.engine?.onError?.(err, conversationId);
    },
  });
  // Built on the first upgrade: on AWS the chat Lambda never gets one (API Gateway HTTP APIs carry no websocket, the
  // page falls back to the webhook), so its bundle leaves `ws` out (UNREACHABLE_PACKAGES) and nothing of it runs.
  let wss: WebSocketServer | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  const sockets = new Map<string, WebSocket>();
  const alive = new WeakSet<WebSocket>();
  const socketServer = (): WebSocketServer => {
    if (wss) return wss;
    const server = new WebSocketServer({ noServer: true, maxPayload: maxBytes, perMessageDeflate: false });
    // Dead sockets (no pong for 30 s) are dropped; the timer is unref'd and cleared in close().
    heartbeat = setInterval(() => {
      for (const ws of server.clients) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    }, 30_000);
    heartbeat.unref();
    wss = server;
    return server;
  };
  let closing = false;

  const originAllowed = (origin: string | undefined) => origin !== undefined && allowed.has(origin);

  function page(campaignCode: string | null, notice: boolean, req: HttpRequest, invite = ''): HttpResponse {
    const host = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.headers.host ?? '') ? req.headers.host : null;
    const ws = host ? ` ws://${host} wss://${host}` : '';
    const html = asset('index.html')
      .replace('__CAMPAIGN__', campaignCode && CAMPAIGN_CODE.test(campaignCode) ? campaignCode : '')
      .replace('__NOTICE__', notice ? '1' : '')
      .replace('__INVITE__', INVITE_TOKEN.test(invite) ? invite : '');
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        ...SECURITY_HEADERS,
        'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${ws}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${options.frameAncestors ?? "'self' https:"}`,
      },
      body: html,
    };
  }

  const file = (name: string, type: string, extra: Record<string, string> = {}): HttpResponse => ({
    statusCode: 200,
    headers: {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=300',
      ...extra,
    },
    body: asset(name),
  });

  async function campaignPage(code: string, req: HttpRequest): Promise<HttpResponse> {
    // Unknown, malformed or expired: the plain chat with a polite note, never an error page.
    if (!CAMPAIGN_CODE.test(code)) return page(null, true, req);
    const c = await ports.campaigns.get(code).catch(() => null);
    if (!c || !campaignIsRunning(c, ports.clock())) return page(null, true, req);
    // A network invitation (`?m=<token>`): the page hands it to the session, which pre-fills the chat.
    const res = page(c.code, false, req, typeof req.query.m === 'string' ? req.query.m : '');
    // The funnel's first step counts people, not requests: a GET only (HEAD, link checkers and browser prefetches
    // are no visit), once per browser and day (a cookie scoped to this link; a reload or a second tab is the same
    // visit). A counting failure must never cost the visitor the page.
    if (!isNewVisit(req, c.code)) return res;
    await ports.campaigns.count?.(c.code, 'visits').catch(() => undefined);
    const secure = options.publicBaseUrl.startsWith('https:');
    return { ...res, headers: { ...res.headers, 'set-cookie': visitCookie(c.code, secure) } };
  }

  async function createSession(req: HttpRequest): Promise<HttpResponse> {
    if (req.headers.origin !== undefined && !originAllowed(req.headers.origin)) {
      return json(403, { error: 'forbidden_origin', message: 'Origine non autorisée.' });
    }
    if (!perIp.take(`ip:${req.sourceIp}`)) {
      return json(
        429,
        { error: 'too_many_requests', message: MESSAGES.rate },
        retryAfterHeader(perIp.retryAfterSeconds(`ip:${req.sourceIp}`)),
      );
    }
    if (Buffer.byteLength(req.body ?? '', 'utf8') > maxBytes)
      return json(413, { error: 'payload_too_large', message: MESSAGES.tooLarge(maxBytes) });
    let body: unknown = {};
    try {
      body = req.body ? JSON.parse(req.body) : {};
    } catch {
      return json(400, { error: 'invalid_json', message: 'Le corps de la requête n’est pas un JSON valide.' });
    }
    const parsed = ChatSessionBodySchema.safeParse(body ?? {});
    const code = parsed.success ? (parsed.data.campaign ?? null) : null;
    let campaignCode: string | null = null;
    let campaignNotice = false;
    if (code) {
      const c = CAMPAIGN_CODE.test(code) ? await ports.campaigns.get(code).catch(() => null) : null;
      if (c && campaignIsRunning(c, ports.clock())) campaignCode = c.code;
      else campaignNotice = true;
    }
    if (campaignCode) await ports.campaigns.count?.(campaignCode, 'conversations').catch(() => undefined);
    const resume = parsed.success ? parsed.data.resume : null;
    const invite = campaignCode && parsed.success ? (parsed.data.invite ?? null) : null;
    const token = ports.sessions.issue({ campaignCode, campaignNotice, resume: Boolean(resume), invite });
    if (resume) {
      const conversationId = ports.sessions.verify(token)?.conversationId;
      // 401 / 403 (the token is not valid, or not for that application) answer as on every API route.
      if (!conversationId || !ports.bindConversation) return json(500, { error: 'internal_error' });
      await ports.bindConversation(conversationId, resume.token, resume.applicationId);
    }
    return json(200, { token });
  }

  async function runTurn(
    conversationId: string,
    meta: SessionMeta,
    input: TurnInput | { type: 'poll' },
  ): Promise<{ status: number; replies: Reply[]; retryAfterSeconds?: number }> {
    if (!perConversation.take(conversationId)) {
      return {
        status: 429,
        replies: [{ text: MESSAGES.rate }],
        retryAfterSeconds: perConversation.retryAfterSeconds(conversationId),
      };
    }
    if (input.type === 'poll') return staffTurn(ports, conversationId, log, []); // no turn (staff-replies.ts)
    await ports.faqRefresh?.();
    const checked = input.type === 'message' ? checkText(input.text, maxChars) : null;
    if (checked && !checked.ok) return { status: 200, replies: [{ text: checked.reply }] };
    const turn: TurnInput = checked ? { type: 'message', text: checked.text } : input;
    ports.metrics.count('ChatTurns');
    return staffTurn(ports, conversationId, log, await engine.turn(conversationId, turn, meta));
  }

  function parseIncoming(raw: string): TurnInput | { type: 'poll' } | { error: string } {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return { error: MESSAGES.binary };
    }
    const parsed = ChatMessageSchema.safeParse(data);
    if (!parsed.success) return { error: 'Message non reconnu : envoyez { "type": "message", "text": "…" }.' };
    // Only type and text are read: `user`, `channel` and anything else a client sends are ignored.
    return parsed.data.type === 'message' ? { type: 'message', text: parsed.data.text } : { type: parsed.data.type };
  }

  async function webhook(req: HttpRequest): Promise<HttpResponse> {
    if (req.headers.origin !== undefined && !originAllowed(req.headers.origin)) {
      return json(403, { error: 'forbidden_origin', message: 'Origine non autorisée.' });
    }
    const token = bearerToken(req);
    const claims = token ? ports.sessions.verify(token) : null;
    if (!claims) return json(401, { error: 'unauthorized', message: MESSAGES.session });
    if (Buffer.byteLength(req.body ?? '', 'utf8') > maxBytes) {
      return json(413, { error: 'payload_too_large', message: MESSAGES.tooLarge(maxBytes) });
    }
    const input = parseIncoming(req.body ?? '');
    if ('error' in input) return json(400, [{ text: input.error }]);
    const meta: SessionMeta = {
      campaignCode: claims.campaignCode,
      campaignNotice: claims.campaignNotice,
      resume: claims.resume,
      invite: claims.invite,
    };
    const { status, replies, retryAfterSeconds } = await runTurn(claims.conversationId, meta, input);
    return json(status, replies, retryAfterHeader(retryAfterSeconds));
  }

  async function faq(req: HttpRequest): Promise<HttpResponse> {
    const parsed = FaqQuerySchema.safeParse({ q: req.query.q });
    if (!parsed.success) {
      return json(400, {
        error: 'validation_error',
        message: parsed.error.issues[0]?.message ?? 'Paramètre q invalide.',
      });
    }
    // Configured values (Kit price…) as they are now, staff overrides included; the FAQ version in force (faq-live.ts).
    await ports.faqRefresh?.();
    const m = ports.faq.match(parsed.data.q, faqVariables(await ports.config()));
    if (m.topic === null) ports.metrics.count('FaqDeclined');
    // `suggestions`: always present, empty when the matcher is confident (docs/faq.md, « Asking rather than declining »).
    return json(200, { topic: m.topic, score: m.score, answer: m.answer, suggestions: m.suggestions });
  }

  async function route(req: HttpRequest): Promise<HttpResponse | null> {
    const { method, path } = req;
    if (method === 'GET' || method === 'HEAD') {
      if (path === '/' || path === '/index.html') return page(null, false, req);
      if (path === '/chat.js') return file('chat.js', 'text/javascript; charset=utf-8');
      if (path === '/favicon.ico')
        return { statusCode: 204, headers: { 'cache-control': 'public, max-age=86400' }, body: '' };
      if (path === '/chat.css') return file('chat.css', 'text/css; charset=utf-8');
      if (path === '/embed.js')
        return file('embed.js', 'text/javascript; charset=utf-8', { 'cross-origin-resource-policy': 'cross-origin' });
      const go = /^\/go\/([^/]{1,100})\/?$/.exec(path);
      // A malformed escape (`/go/%ZZ`) is an unknown code: the plain chat with its note, as the contract says.
      if (go) return campaignPage(decodePathSegment(go[1]!) ?? '', req);
      if (path === '/api/faq') return faq(req);
      return null;
    }
    if (method === 'POST') {
      if (path === '/api/chat/session') return createSession(req);
      if (path === '/api/messages') return webhook(req);
    }
    return null;
  }

  function refuseUpgrade(socket: Duplex, status: string): true {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return true;
  }

  function onSocket(ws: WebSocket, conversationId: string, meta: SessionMeta): void {
    const older = sockets.get(conversationId);
    if (older && older !== ws) older.close(4001, 'Conversation ouverte dans une autre fenêtre');
    sockets.set(conversationId, ws);
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (sockets.get(conversationId) === ws) sockets.delete(conversationId);
    });
    const send = (payload: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send({ type: 'replies', replies: [{ text: MESSAGES.binary }] });
      const input = parseIncoming(data.toString('utf8'));
      if ('error' in input) return send({ type: 'replies', replies: [{ text: input.error }] });
      runTurn(conversationId, meta, input).then(
        ({ replies }) => send({ type: 'replies', replies }),
        (err) => {
          ports.metrics.count('ChatErrors');
          log?.error({ err, conversationId }, 'websocket turn failed');
          send({ type: 'replies', replies: [{ text: 'Désolé, une erreur est survenue.' }] });
        },
      );
    });
  }

  return {
    engine,
    async handle(req) {
      if (closing) return null;
      try {
        return await route(req);
      } catch (err) {
        // A thrown error (the store not answering, a bug) answers as on every API route, through the one mapping:
        // the same on AWS (where the Lambda's own guard would catch it) and on the local server.
        return toHttpResponse(err, { path: req.path, method: req.method });
      }
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') return false;
      if (closing) return refuseUpgrade(socket, '503 Service Unavailable');
      if (!originAllowed(req.headers.origin)) return refuseUpgrade(socket, '403 Forbidden');
      const claims = ports.sessions.verify(url.searchParams.get('token') ?? '');
      if (!claims) return refuseUpgrade(socket, '401 Unauthorized');
      const meta: SessionMeta = {
        campaignCode: claims.campaignCode,
        campaignNotice: claims.campaignNotice,
        resume: claims.resume,
        invite: claims.invite,
      };
      socketServer().handleUpgrade(req, socket, head, (ws) => onSocket(ws, claims.conversationId, meta));
      return true;
    },
    async close() {
      closing = true;
      if (heartbeat) clearInterval(heartbeat);
      const server = wss;
      for (const ws of server?.clients ?? []) ws.close(1001, 'Arrêt du serveur');
      await engine.close();
      if (server) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        for (const ws of server.clients) ws.terminate();
      }
    },
  };
}
