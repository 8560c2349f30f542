// Shared mechanics of the questionnaire's dialogs: ask a field, validate it in onChange (re-prompt with the reason,
// FAQ interruption, hard-gate exit), compose sections.
import { REASONS, type ReasonCode } from '../../shared/domain/reasons.js';
import { looksLikeQuestion, looksLikeSignIn, parseYesNo, typographic, YES_NO } from '../answers.js';
import type { BotDefinition, Convo, DialogBuilder, DialogVars, QuickReply, Turn } from '../conversation.js';
import { type FaqVariables, faqVariables } from '../faq/knowledge-base.js';
import { type Field, toPromptConfig } from '../fields/index.js';
import type { BotPorts } from '../ports.js';
import type { ChatState, SessionMeta } from '../state.js';
import { ALREADY_APPLIED } from './ids.js';
import { noteMisunderstanding } from './support.js';

export type ChatBot = BotDefinition<ChatState, SessionMeta>;
export type ChatTurn = Turn<ChatState, SessionMeta>;
export type ChatDialog = DialogBuilder<ChatState, SessionMeta>;

export interface BotDeps {
  ports: BotPorts;
}

interface Hint {
  text: string;
  quickReplies?: QuickReply[];
  /** Said instead of the question (a reading to confirm), not before it. */
  alone?: boolean;
}

/** A reading said back to the actor (Parsed.confirm), kept in the dialog's variables until « oui » or « non ». */
interface Pending {
  key: string;
  value: unknown;
}

/** A dialog whose prompts can show configuration values (prompts are synchronous: copy them in first). */
export function makeDialog(bot: ChatBot, id: string, deps: BotDeps): ChatDialog {
  const d = bot.dialog(id);
  d.before('default', async (convo, turn) => {
    convo.setVar('_cfg', toPromptConfig(await deps.ports.config()));
    convo.setVar('_prefill', turn.state.prefill ?? null);
  });
  return d;
}

/** The value a network invitation pre-fills for a question (state.prefill, copied into the dialog's vars). */
function prefilled(vars: Record<string, unknown>, key: string): string | null {
  const p = vars._prefill as Record<string, string | undefined> | null | undefined;
  return p?.[key] ?? null;
}

/** Ask `field`; the answer is checked in onChange. A re-prompt is one message: the reason, then the question. */
export function askField(d: ChatDialog, field: Field, deps: BotDeps, thread = 'default'): void {
  const q = field.question;
  d.ask(
    {
      text: (vars) => {
        const text = typeof q.text === 'function' ? q.text(vars) : q.text;
        const hint = vars._hint as Hint | null | undefined;
        // A network invitation's value for this question: said, and offered as the first quick reply.
        const known = prefilled(vars, field.key);
        const base = known
          ? `${text}\nD’après la liste de votre réseau : « ${known} ». Choisissez-la pour confirmer, ou écrivez la bonne réponse.`
          : text;
        return hint ? (hint.alone ? hint.text : `${hint.text}\n${base}`) : base;
      },
      quickReplies: (vars) => {
        const hint = vars._hint as Hint | null | undefined;
        if (hint?.quickReplies) return hint.quickReplies;
        const replies = typeof q.quickReplies === 'function' ? q.quickReplies(vars) : q.quickReplies;
        const known = prefilled(vars, field.key);
        return known
          ? [{ title: known, payload: known }, ...(replies ?? []).filter((r) => r.payload !== known)]
          : replies;
      },
      ...(q.multiple ? { multiple: true } : {}),
    },
    field.key,
    thread,
  );
  d.onChange(field.key, (value, convo, turn) =>
    answerField(field, typeof value === 'string' ? value : '', convo, turn, deps),
  );
}

/** The FAQ's `{{variables}}` (Kit price…) from the configuration in force now, staff overrides included. */
export async function faqVars(deps: BotDeps): Promise<FaqVariables> {
  return faqVariables(await deps.ports.config());
}

/**
 * The FAQ answer when the matcher is confident (topic found) or the question is for a person (a complaint, a missing
 * payment: the answer says a person will answer, rather than « choisissez une réponse »), else null.
 */
export async function confidentFaq(deps: BotDeps, text: string): Promise<string | null> {
  const m = deps.ports.faq.match(text, await faqVars(deps));
  return (m.topic || m.handover) && m.answer ? m.answer : null;
}

export async function answerField(
  field: Field,
  text: string,
  convo: Convo,
  turn: ChatTurn,
  deps: BotDeps,
): Promise<void> {
  convo.setVar('_hint', null);
  const q = field.question;
  const state = turn.state;
  const pending = (convo.vars._pending as Pending | null | undefined) ?? null;
  convo.setVar('_pending', null);
  if (pending?.key === field.key) {
    const yes = parseYesNo(text);
    if (yes === true) return keep(field, pending.value, convo, turn, deps);
    if (yes === false) {
      convo.setVar('_hint', { text: 'D’accord.' } satisfies Hint);
      await convo.repeat();
      return;
    }
    // Anything else is a new answer (a SIRET typed instead of confirming « pas de SIRET »…).
  }
  // The way back to an application already made, typed at a free-text prompt: never stored as an answer.
  if (field.freeText && looksLikeSignIn(text)) {
    convo.setVar('_hint', {
      text: `Pour retrouver une demande déjà faite, touchez « ${ALREADY_APPLIED} » : je vous enverrai un lien de connexion à l’adresse donnée dans la demande. Sinon, pour continuer :`,
      quickReplies: [{ title: ALREADY_APPLIED, payload: ALREADY_APPLIED }],
    } satisfies Hint);
    await convo.repeat();
    return;
  }
  const parsed = field.parse(text, { config: await deps.ports.config(), state });
  // A question typed instead of an answer: answer it, then ask again. A text phrased as a question is taken as one
  // even when it would also parse (« cb coute le kit » is not a structure name, « c koi aptic ? » not a choice).
  if (!parsed.ok || looksLikeQuestion(text)) {
    const faq = await confidentFaq(deps, text);
    if (faq) {
      await turn.say(faq);
      convo.setVar('_hint', { text: 'Pour reprendre :' } satisfies Hint);
      await convo.repeat();
      return;
    }
    // A question the FAQ does not know, at a free-text prompt: not an answer either (issue 14).
    if (parsed.ok && field.freeText && looksLikeQuestion(text)) {
      convo.setVar('_hint', {
        text: 'Je n’ai pas de réponse sûre à cette question (vous pouvez la reformuler), et je ne l’ai pas prise comme réponse. Pour continuer :',
      } satisfies Hint);
      await convo.repeat();
      return;
    }
  }
  if (parsed.ok && parsed.confirm) {
    convo.setVar('_pending', { key: field.key, value: parsed.value } satisfies Pending);
    convo.setVar('_hint', { text: parsed.confirm, quickReplies: YES_NO, alone: true } satisfies Hint);
    await convo.repeat();
    return;
  }
  if (parsed.ok) return keep(field, parsed.value, convo, turn, deps);
  if (field.maxTries) {
    const tries = (state.tries[field.key] ?? 0) + 1;
    state.tries[field.key] = tries;
    if (tries >= field.maxTries.tries) return stopWithReason(turn, field.maxTries.reason, deps, parsed.message);
  }
  // Not understood: counted; after a few in a row, « Parler à quelqu’un » is offered beside the usual replies.
  const missed = await noteMisunderstanding(turn, deps);
  const usual =
    parsed.quickReplies ?? (typeof q.quickReplies === 'function' ? q.quickReplies(convo.vars) : q.quickReplies) ?? [];
  convo.setVar('_hint', {
    text: missed.text ? `${parsed.message}\n${missed.text}` : parsed.message,
    ...(parsed.quickReplies || missed.text
      ? { quickReplies: missed.text ? [...usual, ...missed.quickReplies] : usual }
      : {}),
  } satisfies Hint);
  await convo.repeat();
}

/** A valid answer: store it, then its gate, note and branch. */
async function keep(field: Field, value: unknown, convo: Convo, turn: ChatTurn, deps: BotDeps): Promise<void> {
  const state = turn.state;
  delete state.tries[field.key];
  field.apply(state, value as never);
  const gate = field.gate?.(value as never, state);
  if (gate) return stopWithReason(turn, gate, deps);
  const note = field.note?.(value as never, state);
  if (note) await turn.say(note);
  const next = field.next?.(value as never, state);
  if (next) await convo.gotoThread(next);
}

/** A hard prerequisite is missing: say which and what to do, stop the questionnaire (nothing is submitted). */
export async function stopWithReason(turn: ChatTurn, code: ReasonCode, deps: BotDeps, detail?: string): Promise<void> {
  await turn.cancelAllDialogs();
  turn.state.exit = code;
  const reason = REASONS[code];
  await turn.say(typographic(detail ? `${detail}\n${reason.message}` : reason.message));
  const topic = 'topic' in reason ? reason.topic : undefined;
  const more = topic ? deps.ports.faq.answerFor(topic, await faqVars(deps)) : null;
  if (more) await turn.say(more);
  // A SIRET found later is taken as it is typed (chat-bot.ts): no need to start again for that one.
  const when =
    code === 'siret_missing'
      ? 'Dès que vous avez votre SIRET, tapez-le ici : nous reprendrons là où nous en étions.'
      : 'Quand ce sera réglé, revenez et écrivez « recommencer ».';
  await turn.say({
    text: `Je ne peux donc pas aller plus loin pour l’instant : aucune demande n’a été envoyée. ${when} Vous pouvez aussi me poser vos questions.`,
    quick_replies: [{ title: 'Recommencer', payload: 'recommencer' }],
  });
}

/**
 * A section as a child dialog. Botkit copies the parent's variables into the child and the child's back into the
 * parent's `vars[key]`: nested copies would double at each section, so the parent keeps only a marker (the answers
 * themselves are in the conversation state).
 */
export function addSection(d: ChatDialog, sectionId: string, thread = 'default'): void {
  d.addChildDialog(sectionId, sectionId, thread);
  d.onChange(sectionId, async (_value, convo) => {
    convo.setVar(sectionId, true);
  });
}

export const varsOf = (convo: Convo): DialogVars => convo.vars;
