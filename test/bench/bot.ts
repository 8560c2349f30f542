// Bot benchmark: 200 conversations open at once over websocket on a local server (real engine, real Store and use
// cases, dialog state in DynamoDB = dynalite running in its own process, as DynamoDB is never on the bot's event
// loop in production), each answering the questionnaire with a human-like pause between messages; FAQ matching
// latency; memory per open conversation; size of a stored conversation.
import '../../shared/runtime/polyfills.js';
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import { createChatEngine } from '../../bot/chat-bot.js';
import { faqVariables } from '../../bot/faq/knowledge-base.js';
import { createFaqPort } from '../../bot/faq-port.js';
import { createBotPorts } from '../../bot/ports.js';
import { createChatService } from '../../bot/service.js';
import { createHmacSessions } from '../../bot/sessions.js';
import { ensureTable } from '../../infra/local/dynamo.js';
import { startDynamoChild } from '../../infra/local/dynamo-child.js';
import { startLocalServer } from '../../infra/local/server.js';
import { buildDeps } from '../../shared/runtime/clients.js';
import { parseEnv } from '../../shared/runtime/env.js';
import { logger } from '../../shared/runtime/logger.js';
import { HAPPY_ANSWERS, Transcript } from '../integration/bot/world.js';

const CONVERSATIONS = 200;
const TURNS = 10; // hello + A1 + 8 answers: identity, SIRET, representative, bank
// A person reads the question and types an answer: 2–6 s between messages (the dialog is never faster than that).
const THINK_MS: [number, number] = [2000, 6000];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

export async function benchBot(): Promise<string[]> {
  const dynamo = await startDynamoChild({ dataDir: null });
  const deps = buildDeps(
    parseEnv({
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TABLE_NAME: 'bench-bot',
      AWS_REGION: 'eu-west-3',
      LOG_LEVEL: 'silent',
    }),
  );
  await ensureTable(deps.store.doc, 'bench-bot');
  const ports = createBotPorts(deps, {
    faq: createFaqPort(),
    sessions: createHmacSessions({ secret: randomBytes(32) }),
  });
  const w = { ports, newEngine: () => createChatEngine(ports) };
  let current: ReturnType<typeof createChatService> | null = null;
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
    sessionsPerMinute: 100_000,
    engine: { resident: true },
  });
  current = service;
  const out: string[] = [];
  try {
    // Warm-up: geography, FAQ index, Botkit dialogs.
    const faqVars = faqVariables(await deps.config());
    w.ports.faq.match('combien coûte le kit ?', faqVars);
    const latencies: number[] = [];
    globalThis.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const sockets: WebSocket[] = [];

    async function conversation(i: number): Promise<void> {
      const res = await fetch(`${server.url}/api/chat/session`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      const { token } = (await res.json()) as { token: string };
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws?token=${token}`, { origin: server.url });
      sockets.push(ws);
      await new Promise((r, j) => {
        ws.once('open', r);
        ws.once('error', j);
      });
      const answers = ['1', ...HAPPY_ANSWERS];
      answers[3] = '73282932000074';
      for (let t = 0; t < TURNS; t++) {
        const reply = new Promise<void>((r) => ws.once('message', () => r()));
        const t0 = performance.now();
        ws.send(JSON.stringify(t === 0 ? { type: 'hello' } : { type: 'message', text: answers[t - 1] }));
        await reply;
        latencies.push(performance.now() - t0);
        await sleep(i < 0 ? 0 : THINK_MS[0] + ((i * 7919 + t * 104729) % (THINK_MS[1] - THINK_MS[0])));
      }
    }

    await conversation(-1); // warm-up: every dialog of the measured path runs once (JIT, lazy data)
    latencies.length = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONVERSATIONS }, (_, i) => sleep((i * 31) % THINK_MS[1]).then(() => conversation(i))),
    );
    const wall = (performance.now() - t0) / 1000;
    globalThis.gc?.();
    const heapOpen = process.memoryUsage().heapUsed;
    latencies.sort((a, b) => a - b);
    out.push(
      `turn latency over websocket, ${CONVERSATIONS} concurrent conversations × ${TURNS} turns (${latencies.length} turns, ${(latencies.length / wall).toFixed(0)} turns/s): p50 ${ms(pct(latencies, 50))}, p99 ${ms(pct(latencies, 99))}, max ${ms(latencies.at(-1)!)} (goal p99 ≤ 50 ms; resident engine: state cached in memory, stored after the reply)`,
    );
    out.push(
      `memory per open conversation (socket + server state, ${CONVERSATIONS} open): ${((heapOpen - heapBefore) / CONVERSATIONS / 1024).toFixed(1)} KiB of heap${globalThis.gc ? '' : ' (no --expose-gc: upper bound)'}`,
    );
    for (const ws of sockets) ws.close();

    // FAQ: the matcher alone and through GET /api/faq.
    const questions = [
      'combien coûte le kit',
      'c koi le pass aptic',
      'comment je suis payé',
      'je suis autoentrepreneur a domicile',
      'quelle météo demain',
      'ou trouver un lieu qui accepte le pass',
      'on est une mairie peut on encaisser',
    ];
    const faqTimes: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      w.ports.faq.match(questions[i % questions.length]!, faqVars);
      faqTimes.push(performance.now() - t);
    }
    faqTimes.sort((a, b) => a - b);
    const httpTimes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = performance.now();
      await (await fetch(`${server.url}/api/faq?q=${encodeURIComponent(questions[i % questions.length]!)}`)).json();
      httpTimes.push(performance.now() - t);
    }
    httpTimes.sort((a, b) => a - b);
    out.push(
      `FAQ match: p50 ${ms(pct(faqTimes, 50))}, p99 ${ms(pct(faqTimes, 99))}; GET /api/faq: p50 ${ms(pct(httpTimes, 50))}, p99 ${ms(pct(httpTimes, 99))}`,
    );

    // Size of one stored conversation at the summary (DynamoDB item limit 400 KB).
    const engine = w.newEngine();
    const t = new Transcript(engine);
    await t.hello();
    await t.say('1');
    await t.answers(HAPPY_ANSWERS);
    const state = (await w.ports.dialogState.get(t.conversationId))?.state;
    await engine.close();
    out.push(
      `stored conversation at the summary: ${(Buffer.byteLength(JSON.stringify(state)) / 1024).toFixed(1)} KiB (DynamoDB item limit 400 KB)`,
    );
  } finally {
    await service.close();
    await server.close();
    deps.store.doc.destroy();
    await dynamo.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchBot()) console.log(line);
}
