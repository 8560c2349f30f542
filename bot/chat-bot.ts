// The #APTIC qualification bot: its dialogs plus what works at any moment (« recommencer », « où en est ma demande ? »,
// FAQ questions, coming back). Transport-free: bot/service.ts feeds it turns.

import { REASONS, type ReasonCode } from '../shared/domain/reasons.js';
import { validateSiret } from '../shared/domain/siret.js';
import { matchKey } from '../shared/domain/text.js';
import { typographic } from './answers.js';
import type { Engine, Reply } from './conversation.js';
import { campaignWelcome, resolveCampaign } from './dialogs/campaign.js';
import { defineFaqSuggestions, sayDeclined, sayFaqAnswer } from './dialogs/faq-suggestions.js';
import { defineCommitments, SIGN_PAYLOAD, sayStatus } from './dialogs/follow-up.js';
import { type BotDeps, type ChatBot, type ChatTurn, faqVars } from './dialogs/form.js';
import { COMMITMENTS, SIGN_IN, SIRET_RESUME, WELCOME } from './dialogs/ids.js';
import { defineQuestionnaire } from './dialogs/questionnaire.js';
import { ALREADY_APPLIED_PATTERN, defineSignIn } from './dialogs/sign-in.js';
import { defineSummary } from './dialogs/summary.js';
import { defineSupport, noteMisunderstanding, recordTurn } from './dialogs/support.js';
import { defineWelcome } from './dialogs/welcome.js';
import { createEngine } from './engine.js';
import { FIND_SIRET } from './fields/index.js';
import type { BotPorts } from './ports.js';
import { type ChatState, initialState, resetState, type SessionMeta } from './state.js';

export const APOLOGY =
  'Désolé, une erreur est survenue de notre côté. Pouvez-vous renvoyer votre message dans un instant ?';

const RESTART =
  /^(recommencer|tout recommencer|on recommence|je veux recommencer|recommencer la demande|reset|restart|reprendre a zero|nouvelle demande)$/;
const STATUS =
  /(ou en est ma demande|ou en est la demande|ou en est mon dossier|suivi de (ma|la) demande|statut de (ma|la) demande|etat de (ma|la) demande|avancement de (ma|la) demande|ou en est ma qualification)/;
const SIGN = /^(signer|signer mes engagements|je veux signer|signer la charte)$/;

async function greet(turn: ChatTurn, deps: BotDeps): Promise<void> {
  const s = turn.state;
  s.greeted = true;
  await resolveCampaign(turn, deps);
  const lines = [
    'Bonjour ! Je suis l’assistant #APTIC. Je vous aide à savoir si votre structure peut accepter le pass #APTIC, et à déposer votre demande de qualification.',
  ];
  if (s.campaign) lines.push(campaignWelcome(s.campaign));
  if (s.prefill)
    lines.push(
      'Votre réseau nous a transmis votre SIRET, votre nom et votre commune : je vous les proposerai en chemin.',
    );
  else if (turn.meta.campaignNotice || turn.meta.campaignCode)
    lines.push(
      'Le lien que vous avez suivi n’est plus actif ou n’est pas reconnu, mais je peux vous aider quand même.',
    );
  await turn.say(lines.join('\n'));
  await turn.beginDialog(WELCOME);
}

function defineGlobal(bot: ChatBot, deps: BotDeps): void {
  bot.interrupt(
    (text) => RESTART.test(matchKey(text)),
    async (turn) => {
      await turn.cancelAllDialogs();
      resetState(turn.state);
      await turn.say('C’est reparti, depuis le début.');
      await turn.beginDialog(WELCOME);
    },
  );
  bot.interrupt(
    (text) => ALREADY_APPLIED_PATTERN.test(matchKey(text)),
    async (turn) => {
      await turn.cancelAllDialogs();
      turn.state.greeted = true;
      await turn.beginDialog(SIGN_IN);
    },
  );
  bot.interrupt(
    (text) => STATUS.test(matchKey(text)),
    async (turn) => {
      await sayStatus(turn, deps);
      if (turn.hasActiveDialog()) await turn.reprompt();
    },
  );
  bot.interrupt(
    (text, { state }) => state.application !== null && SIGN.test(matchKey(text)),
    async (turn) => {
      await turn.cancelAllDialogs();
      await turn.beginDialog(COMMITMENTS);
    },
  );

  bot.onHello(async (turn) => {
    const s = turn.state;
    // Opened from the actor space: the server bound this conversation to one application (chat-resume.ts).
    const bound = turn.meta.resume ? await deps.ports.takeConversationBinding?.(turn.conversationId) : null;
    if (bound) {
      s.greeted = true;
      s.application = {
        id: bound.applicationId,
        actorToken: bound.actorToken,
        status: '',
        at: deps.ports.clock().toISOString(),
      };
      await turn.cancelAllDialogs();
      await turn.say('Bonjour ! Vous êtes connecté·e : voici où en est votre demande.');
      await sayStatus(turn, deps);
      return;
    }
    if (!s.greeted) return greet(turn, deps);
    if (turn.hasActiveDialog()) {
      await turn.say('Re-bonjour ! Reprenons où nous en étions.');
      await turn.reprompt();
      return;
    }
    if (s.application) {
      await turn.say('Re-bonjour !');
      await sayStatus(turn, deps);
      return;
    }
    if (s.exit) {
      const reason = typographic(REASONS[s.exit as ReasonCode]?.message ?? '');
      await turn.say({
        text: `Re-bonjour ! La dernière fois, un prérequis manquait : ${reason}\nQuand c’est réglé, écrivez « recommencer ».`,
        quick_replies: [{ title: 'Recommencer', payload: 'recommencer' }],
      });
      return;
    }
    await turn.say({
      text: 'Re-bonjour ! Posez-moi vos questions sur #APTIC, ou écrivez « recommencer » pour déposer une demande.',
      quick_replies: [{ title: 'Déposer une demande', payload: 'recommencer' }],
    });
  });

  bot.onMessage(async (turn, text) => {
    const s = turn.state;
    // « Pas de SIRET » stopped the questionnaire; the number typed later takes it up again where it stopped.
    const siret = s.exit === 'siret_missing' && /\d{9}/.test(text.replace(/[\s.]/g, '')) ? validateSiret(text) : null;
    if (siret?.ok && s.draft.structure.nom) {
      s.exit = null;
      s.draft.structure.siret = siret.siret;
      await turn.say(`Merci, j’ai noté le SIRET ${siret.siret}. Reprenons là où nous nous étions arrêtés.`);
      await turn.beginDialog(SIRET_RESUME);
      return;
    }
    if (siret && !siret.ok) {
      await turn.say(`${typographic(siret.message)} ${FIND_SIRET}`);
      return;
    }
    const m = deps.ports.faq.match(text, await faqVars(deps));
    const known = m.topic !== null && m.answer !== null;
    if (!s.greeted) {
      // A webhook client may start with a question instead of opening the page: answer it, then greet.
      if (known) await turn.say(m.answer!);
      return greet(turn, deps);
    }
    if (known) {
      // Confident: the answer; unsure: the answer and the other topics it may have been (faq-suggestions.ts).
      await sayFaqAnswer(turn, m);
      return;
    }
    // Neither a questionnaire answer nor a question the FAQ knows: « Vous parlez de : … ? » when it has candidates,
    // with the « je ne sais pas » answer.
    deps.ports.metrics.count('FaqDeclined');
    // A misunderstanding: « Parler à quelqu’un » is offered, and said outright after a few in a row (support.ts).
    const missed = await noteMisunderstanding(turn, deps);
    const quick = [
      { title: 'Déposer une demande', payload: 'recommencer' },
      ...(s.application ? [{ title: 'Où en est ma demande ?', payload: 'où en est ma demande ?' }] : []),
      ...missed.quickReplies,
    ];
    const tail = `\nVous pouvez aussi écrire « recommencer » pour déposer une demande${s.application ? ', ou « où en est ma demande ? »' : ''}.${missed.text ? `\n${missed.text}` : ''}`;
    await sayDeclined(turn, m, tail, quick);
  });
}

export function defineChatBot(bot: ChatBot, deps: BotDeps): void {
  defineGlobal(bot, deps);
  defineSupport(bot, deps);
  defineFaqSuggestions(bot, deps);
  defineWelcome(bot, deps);
  defineQuestionnaire(bot, deps);
  defineSummary(bot, deps);
  defineCommitments(bot, deps);
  defineSignIn(bot, deps);
}

export interface ChatEngineOptions {
  /** Lifetime of an idle conversation in the store. */
  ttlSeconds?: number;
  onError?(err: unknown, conversationId: string): void;
  /** See EngineOptions.resident: true for the local server, false (default) on Lambda. */
  resident?: boolean;
}

export type ChatEngine = Engine<SessionMeta>;

export function createChatEngine(ports: BotPorts, options: ChatEngineOptions = {}): ChatEngine {
  return createEngine<ChatState, SessionMeta>({
    store: ports.dialogState,
    ttlSeconds: options.ttlSeconds ?? 30 * 24 * 3600,
    initialState,
    apology: APOLOGY,
    define: (bot) => defineChatBot(bot, { ports }),
    resident: options.resident === true,
    afterTurn: recordTurn,
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

export type { Reply };
export { SIGN_PAYLOAD };
