// « Parler à quelqu’un » (issue 14 § 8, docs/bot.md « Talking to a person »): typed, or the quick reply offered with
// every « je ne sais pas » and by itself after misunderstandings in a row. The actor writes a message for the team
// (and, without an application, may leave an address for the e-mail answer); the request carries the last messages
// of the conversation (personal data masked by the use case) and the application, if any. Handled as an interrupt
// holding its step in the state, so a running questionnaire is not cancelled: it resumes after the request.
import { matchKey } from '../../shared/domain/text.js';
import { parseYesNo } from '../answers.js';
import type { BotDefinition, QuickReply, Reply, Turn, TurnInput } from '../conversation.js';
import type { BotPorts } from '../ports.js';
import type { ChatState, SessionMeta } from '../state.js';

// The dialog types of form.ts, restated: form.ts calls noteMisunderstanding, so importing from it would be a circle.
type ChatTurn = Turn<ChatState, SessionMeta>;
type ChatBot = BotDefinition<ChatState, SessionMeta>;
interface BotDeps {
  ports: BotPorts;
}

export const HANDOVER_TITLE = 'Parler à quelqu’un';
/** The quick reply's payload; `…:auto` when offered after misunderstandings (counted apart). */
const PAYLOAD = 'contact:humain';
const PAYLOAD_AUTO = 'contact:humain:auto';

const TYPED =
  /^(?:(?:je (?:veux|voudrais|souhaite|souhaiterais|peux|pourrais) |puis je |est ce que je peux |on peut )?(?:parler|discuter|echanger|etre en contact) (?:a|avec) (?:quelqu un|qqn|qq1|un humain|une personne|une vraie personne|un conseiller|une conseillere|un agent|un membre de l equipe|l equipe|quelqu un de l equipe|le support)|contacter (?:le support|l equipe|un conseiller|une personne|quelqu un)|un humain|une vraie personne|humain svp|parler a un humain svp)(?: svp| s il vous plait| please)?$/;

/** The quick reply that opens a support request. */
export const handoverReply = (auto = false): QuickReply => ({
  title: HANDOVER_TITLE,
  payload: auto ? PAYLOAD_AUTO : PAYLOAD,
});

const CANCEL = /^(annuler|laisser tomber|non merci|finalement non|rien|stop)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const NO_ADDRESS = /^(non|pas d adresse|sans adresse|je n en ai pas|je prefere pas|je prefere ne pas|aucune)( merci)?$/;

export function handoverTrigger(text: string): 'typed' | 'button' | 'misunderstood' | null {
  const t = text.trim();
  if (t === PAYLOAD_AUTO) return 'misunderstood';
  if (t === PAYLOAD) return 'button';
  return TYPED.test(matchKey(t)) ? 'typed' : null;
}

/**
 * A misunderstanding (a declined question, an answer the questionnaire could not read): counted in a row; from the
 * configured count (`handover.afterMisunderstandings`, 2) the chat offers a person. Returns what to add to the reply.
 */
export async function noteMisunderstanding(
  turn: ChatTurn,
  deps: BotDeps,
): Promise<{ quickReplies: QuickReply[]; text: string | null }> {
  const s = turn.state;
  s.misses = (s.misses ?? 0) + 1;
  s.missedTurn = true;
  const after = (await deps.ports.config()).handover.afterMisunderstandings;
  if (s.misses < after) return { quickReplies: [handoverReply()], text: null };
  return {
    quickReplies: [handoverReply(true)],
    text: 'Je n’arrive pas à vous comprendre, désolé. Si vous le souhaitez, je transmets votre question à une personne de l’équipe #APTIC : touchez « Parler à quelqu’un ».',
  };
}

/** The end of every turn (engine `afterTurn`): keep the last messages, reset the misunderstandings on an understood one. */
export function recordTurn(state: ChatState, input: TurnInput, replies: Reply[]): void {
  if (input.type !== 'message') return;
  if (!state.missedTurn) state.misses = 0;
  delete state.missedTurn;
  const lines = [...(state.transcript ?? [])];
  // Quick-reply payloads are not what the actor read: `sujet:…`, `contact:…` stay out.
  if (!/^(sujet|contact):/.test(input.text)) lines.push({ who: 'actor', text: input.text.slice(0, 1000) });
  const said = replies
    .map((r) => r.text)
    .filter((t) => t !== '')
    .join('\n');
  if (said !== '') lines.push({ who: 'bot', text: said.slice(0, 1000) });
  // The configured excerpt (`handover.excerptMessages`, at most 50) is cut by the use case.
  state.transcript = lines.slice(-50);
}

async function open(turn: ChatTurn, deps: BotDeps, courriel: string | null): Promise<void> {
  const s = turn.state;
  const pending = s.support;
  s.support = null;
  if (!pending?.message || !deps.ports.support) return;
  await deps.ports.support.open({
    conversationId: turn.conversationId,
    applicationId: s.application?.id ?? null,
    trigger: pending.trigger,
    message: pending.message,
    excerpt: s.transcript ?? [],
    courriel,
  });
  const mail = s.application ? ' et par e-mail, à l’adresse de votre demande' : courriel ? ' et par e-mail' : '';
  await turn.say(
    `C’est transmis à l’équipe #APTIC, avec la fin de notre échange. Sa réponse s’affichera ici (gardez cette page ouverte ou revenez-y)${mail}. Vous pouvez continuer en attendant.`,
  );
  if (turn.hasActiveDialog()) await turn.reprompt();
}

export function defineSupport(bot: ChatBot, deps: BotDeps): void {
  bot.interrupt(
    (text, { state }) => Boolean(deps.ports.support) && (Boolean(state.support) || handoverTrigger(text) !== null),
    async (turn, text) => {
      const s = turn.state;
      const trigger = handoverTrigger(text);
      if (trigger) {
        s.greeted = true;
        s.support = { step: 'message', trigger };
        await turn.say({
          text: 'Je peux transmettre votre question à une personne de l’équipe #APTIC. En quelques mots, que souhaitez-vous lui dire ? (ou « annuler »)',
          quick_replies: [{ title: 'Annuler', payload: 'annuler' }],
        });
        return;
      }
      const step = s.support!;
      const k = matchKey(text);
      if (CANCEL.test(k)) {
        s.support = null;
        await turn.say('D’accord, je ne transmets rien.');
        if (turn.hasActiveDialog()) await turn.reprompt();
        return;
      }
      if (step.step === 'message') {
        step.message = text.trim().slice(0, 2000);
        if (s.application) return open(turn, deps, null);
        step.step = 'courriel';
        await turn.say({
          text: 'À quelle adresse e-mail l’équipe peut-elle aussi vous répondre ? Sinon, écrivez « non » : la réponse s’affichera seulement ici.',
          quick_replies: [{ title: 'Sans adresse', payload: 'non' }],
        });
        return;
      }
      if (EMAIL.test(text.trim())) return open(turn, deps, text.trim().toLowerCase());
      if (NO_ADDRESS.test(k) || parseYesNo(text) === false) return open(turn, deps, null);
      await turn.say({
        text: 'Je n’ai pas reconnu une adresse e-mail (par exemple nom@exemple.fr). Écrivez-la, ou « non » pour continuer sans.',
        quick_replies: [{ title: 'Sans adresse', payload: 'non' }],
      });
    },
  );
}
