// Test world for the bot: the real local runtime (dynalite + the state machine run by aws-local-stepfunctions + the
// real use cases) and the bot's ports built over it exactly as in production.
import { randomBytes } from 'node:crypto';
import { type ChatEngine, createChatEngine } from '../../../bot/chat-bot.js';
import type { Reply } from '../../../bot/conversation.js';
import { type FaqVariables, faqVariables } from '../../../bot/faq/knowledge-base.js';
import { createFaqPort, type FaqPort } from '../../../bot/faq-port.js';
import { type BotPorts, createBotPorts } from '../../../bot/ports.js';
import { createHmacSessions } from '../../../bot/sessions.js';
import type { SessionMeta } from '../../../bot/state.js';
import { type Runtime, startRuntime } from '../../../infra/local/runtime.js';
import { verifySignIn } from '../../../shared/usecases/actor-sign-in.js';
import { testConfigPath } from '../../helpers/test-config.js';

let sharedFaq: FaqPort | undefined;

export interface BotWorld {
  runtime: Runtime;
  ports: BotPorts;
  /** The FAQ's `{{variables}}` from the runtime's configuration (to compare with what the bot says). */
  faqVars: FaqVariables;
  secret: string;
  newEngine(): ChatEngine;
  /**
   * Confirms the applicant's address as a person would: the code of the latest sign-in link in the application's
   * outbox, verified through the same use case as POST /api/actor/sign-in/verify. The actor session token, or null.
   */
  confirmAddress(applicationId: string): Promise<string | null>;
  /** The code of the latest sign-in link in the application's outbox (null if none). */
  latestSignInCode(applicationId: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startBotWorld(options: { dataDir?: string | null } = {}): Promise<BotWorld> {
  const runtime = await startRuntime({
    dataDir: options.dataDir ?? null,
    configPath: testConfigPath(),
    tableName: `bot-${process.pid}-${Date.now()}`,
  });
  sharedFaq ??= createFaqPort();
  const secret = randomBytes(32).toString('base64url');
  const ports = createBotPorts(runtime.deps, { faq: sharedFaq, sessions: createHmacSessions({ secret }) });
  const engines: ChatEngine[] = [];
  const latestSignInCode = async (applicationId: string) => {
    const links = (await runtime.deps.store.outbox.list(applicationId)).filter((m) => m.key.startsWith('signin#'));
    return /\/espace#code=([A-Za-z0-9_-]{20,100})/.exec(links.at(-1)?.text ?? '')?.[1] ?? null;
  };
  return {
    latestSignInCode,
    async confirmAddress(applicationId) {
      const app = await runtime.deps.store.applications.get(applicationId);
      const code = await latestSignInCode(applicationId);
      if (!app || app.addressConfirmedAt || !code) return null;
      return (await verifySignIn(runtime.deps, { code })).token;
    },
    runtime,
    ports,
    faqVars: faqVariables(await runtime.deps.config()),
    secret,
    newEngine() {
      const e = createChatEngine(ports);
      engines.push(e);
      return e;
    },
    async close() {
      for (const e of engines) await e.close();
      await runtime.close();
    },
  };
}

/** One conversation, turn by turn, with the replies' texts at hand. */
export class Transcript {
  readonly log: { who: 'user' | 'bot'; text: string }[] = [];
  last: Reply[] = [];

  constructor(
    public engine: ChatEngine,
    readonly conversationId = randomBytes(16).toString('base64url'),
    readonly meta: SessionMeta = { campaignCode: null, campaignNotice: false },
  ) {}

  async hello(): Promise<Reply[]> {
    this.last = await this.engine.turn(this.conversationId, { type: 'hello' }, this.meta);
    for (const r of this.last) this.log.push({ who: 'bot', text: r.text });
    return this.last;
  }

  async say(text: string): Promise<Reply[]> {
    this.log.push({ who: 'user', text });
    this.last = await this.engine.turn(this.conversationId, { type: 'message', text }, this.meta);
    for (const r of this.last) this.log.push({ who: 'bot', text: r.text });
    return this.last;
  }

  /** Every reply of the last turn, joined. */
  get text(): string {
    return this.last.map((r) => r.text).join('\n');
  }

  get lastReply(): Reply | undefined {
    return this.last[this.last.length - 1];
  }

  /** Answers in order; fails loudly with the transcript when a step does not advance. */
  async answers(list: string[]): Promise<void> {
    for (const a of list) await this.say(a);
  }

  dump(): string {
    return this.log.map((l) => `${l.who === 'user' ? '> ' : '< '}${l.text}`).join('\n');
  }
}

/** A complete producer questionnaire that should end « eligible_now », one answer per question (after A1). */
export const HAPPY_ANSWERS = [
  'Clic Solidaire', // B1
  '1', // B2 association
  '732 829 320 00074', // B3
  'non', // B3b
  'oui', // B3c
  'oui', // B4 representative
  'Claire Martin', // B4c name
  'claire.martin@clic-solidaire.fr', // B4c e-mail
  'oui', // B5 bank
  'oui', // C1
  '1, 2', // C2
  '2, 3', // C3
  '1', // C4 own place
  '1', // C5 one place
  '12 rue des Lilas', // C5a
  '87280 Limoges', // C5b
  'Mo-Fr 09:00-12:00,14:00-18:00', // C5c
  'oui', // C5d
  '30', // C6
  '1', // C7 free
  '2', // D1
  '3', // D2 volunteers
  '0', // D2 civic service
  'oui', // D3 supervised
  '1', // D4 Conseillers numériques
  '6', // D5 tout public
  '8', // D6 aucune
  'oui', // E1 Charte and CGU (one question since issue 14)
  'oui', // E3
  'oui', // E4
  'non', // F1
  'non', // F2
];

/** Answers up to (not including) the question at `index` of HAPPY_ANSWERS, as a producer (the welcome's « 1 »). */
export async function upTo(t: Transcript, index: number, siret = HAPPY_ANSWERS[2]!): Promise<void> {
  await t.hello();
  await t.say('1');
  const answers = [...HAPPY_ANSWERS];
  answers[2] = siret;
  await t.answers(answers.slice(0, index));
}
