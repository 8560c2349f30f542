// FAQ answers show configured values (the Kit price) as they are when the answer is given: a staff override of the
// configuration (the overrides item in DynamoDB, merged by effectiveConfig) changes the bot's answer and GET /api/faq.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Reply } from '../../../bot/conversation.js';
import { createFaqPort } from '../../../bot/faq-port.js';
import { createBotPorts } from '../../../bot/ports.js';
import { type ChatService, createChatService } from '../../../bot/service.js';
import { createHmacSessions } from '../../../bot/sessions.js';
import { loadConfig } from '../../../shared/config/config.js';
import { noMetrics } from '../../../shared/runtime/metrics.js';
import { effectiveConfig } from '../../../shared/usecases/config.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';

let db: TestDynamo;
let service: ChatService;
let now = new Date('2026-11-02T10:00:00.000Z');
const sessions = createHmacSessions({ secret: 'x'.repeat(32), clock: () => now });

beforeAll(async () => {
  db = await withDynalite();
  const base = loadConfig();
  // What production wires: the file configuration with the staff overrides kept in the table.
  const deps = {
    store: db.store,
    config: () => effectiveConfig(db.store, base),
    clock: () => now,
    metrics: noMetrics,
  } as unknown as Deps;
  service = createChatService(createBotPorts(deps, { faq: createFaqPort(), sessions }), {
    allowedOrigins: [],
    publicBaseUrl: 'http://127.0.0.1',
  });
});
afterAll(async () => {
  await service?.close();
  await db?.close();
});

const QUESTION = 'combien coûte le kit aptic ?';

async function apiFaq(q: string): Promise<{ topic: string | null; answer: string | null }> {
  const res = await service.handle({
    method: 'GET',
    path: '/api/faq',
    params: {},
    query: { q },
    headers: {},
    body: undefined,
    sourceIp: '203.0.113.10',
  });
  expect(res?.statusCode).toBe(200);
  return JSON.parse(String(res!.body));
}

async function chat(token: string, body: unknown): Promise<string> {
  const res = await service.handle({
    method: 'POST',
    path: '/api/messages',
    params: {},
    query: {},
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    sourceIp: '203.0.113.10',
  });
  expect(res?.statusCode).toBe(200);
  return (JSON.parse(String(res!.body)) as Reply[]).map((r) => r.text).join('\n');
}

it('a staff override of the Kit price changes the FAQ answer, in the chat and on GET /api/faq', async () => {
  const token = sessions.issue({ campaignCode: null, campaignNotice: false });
  await chat(token, { type: 'hello' });

  const before = await apiFaq(QUESTION);
  expect(before.topic).toBe('cost-kit');
  expect(before.answer).toContain('77 € HT par an');
  expect(await chat(token, { type: 'message', text: QUESTION })).toContain('77 € HT par an');

  await db.store.config.putOverrides({ kit: { priceHtEur: 89.5, period: 'an' } }, 0, 'admin@aptic.fr');
  // The bot's ports reuse the configuration for 5 s (bot/ports.ts): a later answer sees the change.
  now = new Date(now.getTime() + 6_000);

  const after = await apiFaq(QUESTION);
  expect(after.topic).toBe('cost-kit');
  expect(after.answer).toContain('89,50 € HT par an');
  expect(after.answer).not.toContain('77');
  const inChat = await chat(token, { type: 'message', text: QUESTION });
  expect(inChat).toContain('89,50 € HT par an');
  expect(inChat).not.toContain('77 €');
  // The other answer that gives the price follows too.
  expect((await apiFaq("APTIC prend-il une commission sur les pass que j'encaisse ?")).answer).toContain(
    '89,50 €/an HT',
  );
});
