// Two Lambdas answering two webhooks of one conversation at once. Each "Lambda" is its own chat service with its own
// DynamoDB client and Store; they share one dynalite table, as instances share the deployed table. The per-process
// queue cannot serialize them: the dialog state's version condition and the engine's re-run must.
import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APOLOGY } from '../../../bot/chat-bot.js';
import type { DialogStateStore, Reply } from '../../../bot/conversation.js';
import { MAX_TURN_ATTEMPTS } from '../../../bot/engine.js';
import { createFaqPort } from '../../../bot/faq-port.js';
import { type BotPorts, createBotPorts } from '../../../bot/ports.js';
import { type ChatService, createChatService } from '../../../bot/service.js';
import { createHmacSessions } from '../../../bot/sessions.js';
import { loadConfig } from '../../../shared/config/config.js';
import { makeDocumentClient } from '../../../shared/runtime/clients.js';
import { noMetrics } from '../../../shared/runtime/metrics.js';
import { keys } from '../../../shared/store/keys.js';
import { Store } from '../../../shared/store/store.js';
import type { Deps } from '../../../shared/usecases/ports.js';
import { type TestDynamo, withDynalite } from '../../helpers/dynalite.js';

let db: TestDynamo;
const lambdas: { service: ChatService; store: Store }[] = [];
const faq = createFaqPort();
const sessions = createHmacSessions({ secret: randomBytes(32).toString('base64url') });
const config = loadConfig();

beforeAll(async () => {
  db = await withDynalite();
});
afterAll(async () => {
  for (const l of lambdas) {
    await l.service.close();
    l.store.doc.destroy();
  }
  await db?.close();
});

/** Wraps the dialog state of one Lambda (to line up a race); called once per Lambda, before its engine exists. */
type Wrap = (inner: DialogStateStore) => DialogStateStore;

function startLambda(wrap: Wrap = (s) => s): ChatService {
  const store = new Store(makeDocumentClient({ endpoint: db.endpoint, region: 'local', maxAttempts: 2 }), db.tableName);
  // The chat's ports only reach the store, the configuration and the clock in these turns.
  const deps = { store, config: async () => config, clock: () => new Date(), metrics: noMetrics } as unknown as Deps;
  const ports: BotPorts = createBotPorts(deps, { faq, sessions });
  ports.dialogState = wrap(ports.dialogState);
  const service = createChatService(ports, { allowedOrigins: [], publicBaseUrl: 'http://127.0.0.1' });
  lambdas.push({ service, store });
  return service;
}

async function post(service: ChatService, token: string, body: unknown): Promise<Reply[]> {
  const res = await service.handle({
    method: 'POST',
    path: '/api/messages',
    params: {},
    query: {},
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    sourceIp: '203.0.113.9',
  });
  expect(res?.statusCode).toBe(200);
  return JSON.parse(String(res!.body)) as Reply[];
}
const say = (service: ChatService, token: string, text: string) => post(service, token, { type: 'message', text });
const joined = (replies: Reply[]) => replies.map((r) => r.text).join('\n');

/** A new conversation, answered up to B1 (« Quel est le nom de votre structure ? »). */
async function conversationAtB1(): Promise<{ token: string; id: string }> {
  const token = sessions.issue({ campaignCode: null, campaignNotice: false });
  const id = sessions.verify(token)!.conversationId;
  const first = startLambda();
  expect(joined(await post(first, token, { type: 'hello' }))).toContain('Bonjour');
  expect(joined(await say(first, token, '1'))).toContain('nom de votre structure');
  return { token, id };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Only the first call of `fn` is affected (the re-run after a lost race goes straight through). */
function once<A extends unknown[], R>(first: (...a: A) => R, then: (...a: A) => R): (...a: A) => R {
  let used = false;
  return (...a) => {
    if (used) return then(...a);
    used = true;
    return first(...a);
  };
}

async function storedDraft(id: string) {
  const item = await db.store.dialogs.get(id);
  const state = item?.state as { aptic: { draft: { structure: { nom?: string; forme_juridique?: string } } } };
  return { version: item?.version, structure: state.aptic.draft.structure };
}

it('answers two simultaneous webhooks of one conversation on two Lambdas, both, in order, none lost', async () => {
  const { token, id } = await conversationAtB1();
  // Line up the race: both Lambdas read the state at B1 before either stores, and A stores first.
  const bothRead = { n: 0, ...deferred() };
  const aStored = deferred();
  const readThenWait =
    (inner: DialogStateStore) =>
    async (cid: string): Promise<Awaited<ReturnType<DialogStateStore['get']>>> => {
      const got = await inner.get(cid);
      if (++bothRead.n === 2) bothRead.resolve();
      await bothRead.promise;
      return got;
    };
  const a = startLambda((inner) => ({
    ...inner,
    get: once(readThenWait(inner), inner.get),
    put: once(async (...args) => {
      try {
        return await inner.put(...args);
      } finally {
        aStored.resolve();
      }
    }, inner.put),
  }));
  const puts: (number | null)[] = [];
  const b = startLambda((inner) => ({
    ...inner,
    get: once(readThenWait(inner), inner.get),
    put: async (...args) => {
      await aStored.promise;
      const v = await inner.put(...args);
      puts.push(v);
      return v;
    },
  }));

  // « Clic Solidaire » answers B1; « 1 » (association) is the quick answer to B2 sent right after it.
  const [ra, rb] = await Promise.all([say(a, token, 'Clic Solidaire'), say(b, token, '1')]);

  // B's first run read the state at B1 and took « 1 » for the structure's name; its write lost the race (nothing
  // stored), so it ran again on A's state, where « 1 » answers B2.
  expect(joined(ra)).toContain('forme juridique');
  expect(joined(rb)).toContain('SIRET');
  // Each message answered once: the lost run's replies (it asked B2 again) were never sent.
  expect(joined(rb)).not.toContain('forme juridique');
  const stored = await storedDraft(id);
  expect(stored.structure).toMatchObject({ nom: 'Clic Solidaire', forme_juridique: 'association' });
  // Another instance resumes at B3.
  const c = startLambda();
  expect(joined(await post(c, token, { type: 'hello' }))).toContain('SIRET');
  expect(puts).toEqual([null, expect.any(Number)]);
});

it('after repeated lost races, apologises and stores nothing', async () => {
  const { token, id } = await conversationAtB1();
  const before = await storedDraft(id);
  let attempts = 0;
  // Another instance stores this conversation between every read and write of ours.
  const loser = startLambda((inner) => ({
    ...inner,
    put: async () => {
      attempts++;
      return null;
    },
  }));
  expect(await say(loser, token, 'Clic Solidaire')).toEqual([{ text: APOLOGY }]);
  expect(attempts).toBe(MAX_TURN_ATTEMPTS);
  expect(await storedDraft(id)).toEqual(before);
});

it('resumes a conversation stored before dialog versions existed', async () => {
  const { token, id } = await conversationAtB1();
  // The item as the previous code wrote it: no `version` attribute.
  const raw = await db.doc.send(new GetCommand({ TableName: db.tableName, Key: keys.dialog(id) }));
  const { version: _v, ...legacy } = raw.Item!;
  await db.doc.send(new PutCommand({ TableName: db.tableName, Item: legacy }));
  expect((await storedDraft(id)).version).toBe(0);

  const l = startLambda();
  expect(joined(await say(l, token, 'Clic Solidaire'))).toContain('forme juridique');
  const after = await storedDraft(id);
  expect(after.version).toBe(1);
  expect(after.structure.nom).toBe('Clic Solidaire');
});
