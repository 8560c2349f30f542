// Asking rather than declining (issue 14): when the FAQ declines or is unsure, the chat offers its best topics as
// quick replies « Vous parlez de : A, B ou C ? »; choosing one answers that topic. The rule for « unsure » is the
// matcher's (bot/faq/matcher.ts, docs/faq.md). The « Autre chose » / « Parler à quelqu'un » replies of the hand-over
// to a person are added beside these by whoever builds the reply (`extra`).
import type { QuickReply } from '../conversation.js';
import type { FaqPortMatch, FaqSuggestion } from '../faq-port.js';
import { type BotDeps, type ChatBot, type ChatTurn, faqVars } from './form.js';
import { ALREADY_APPLIED } from './sign-in.js';

/** The payload of a suggestion's quick reply: `sujet:<topic id>` (the page shows the label, sends this). */
const SUGGESTION = /^sujet:([a-z][a-z-]{1,60})$/;
export const suggestionPayload = (topic: string): string => `sujet:${topic}`;

/** The topic whose answer leads to the actor's sign-in link: its reply also offers to start that flow. */
export const FIND_APPLICATION_TOPIC = 'find-my-application';

export function suggestionReplies(suggestions: readonly FaqSuggestion[]): QuickReply[] {
  return suggestions.map((s) => ({ title: s.label, payload: suggestionPayload(s.topic) }));
}

/** « A », « A ou B », « A, B ou C » (labels in French quotes). */
function orList(labels: readonly string[]): string {
  const quoted = labels.map((l) => `« ${l} »`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ou ${quoted.at(-1)}`;
}

/** Quick replies that go with a topic's answer (the sign-in flow for « retrouver ma demande »). */
function topicReplies(topic: string | null): QuickReply[] {
  return topic === FIND_APPLICATION_TOPIC ? [{ title: ALREADY_APPLIED, payload: ALREADY_APPLIED }] : [];
}

/**
 * A confident or unsure FAQ answer. Unsure: the answer, then the other suggested topics as quick replies
 * (« Si ce n'est pas votre question : … »).
 */
export async function sayFaqAnswer(turn: ChatTurn, m: FaqPortMatch, extra: QuickReply[] = []): Promise<void> {
  const others = m.suggestions.filter((s) => s.topic !== m.topic);
  const replies = [...topicReplies(m.topic), ...suggestionReplies(others), ...extra];
  const text =
    others.length > 0
      ? `${m.answer}\nSi ce n’était pas votre question, vous parlez peut-être de : ${orList(others.map((s) => s.label))} ?`
      : (m.answer ?? '');
  await turn.say(replies.length > 0 ? { text, quick_replies: replies } : text);
}

/**
 * The FAQ declined. With suggestions: ask which topic was meant (first stage), the « je ne sais pas » answer with the
 * way to reach a person after it. Without (nothing known, human-only question): the answer alone.
 */
export async function sayDeclined(turn: ChatTurn, m: FaqPortMatch, tail: string, extra: QuickReply[]): Promise<void> {
  const answer = m.answer ?? 'Je n’ai pas bien compris.';
  if (m.suggestions.length === 0) {
    await turn.say({ text: `${answer}${tail}`, quick_replies: extra });
    return;
  }
  await turn.say({
    text: `Je ne suis pas sûr de comprendre. Vous parlez de : ${orList(m.suggestions.map((s) => s.label))} ?\n${answer}${tail}`,
    quick_replies: [...suggestionReplies(m.suggestions), ...extra],
  });
}

/** Choosing a suggestion answers that topic, at any moment (a running questionnaire resumes after it). */
export function defineFaqSuggestions(bot: ChatBot, deps: BotDeps): void {
  bot.interrupt(
    (text) => {
      const m = SUGGESTION.exec(text.trim());
      return m !== null && deps.ports.faq.labelOf(m[1]!) !== null;
    },
    async (turn, text) => {
      const topic = SUGGESTION.exec(text.trim())![1]!;
      const answer = deps.ports.faq.answerFor(topic, await faqVars(deps));
      if (answer) {
        const replies = topicReplies(topic);
        await turn.say(replies.length > 0 ? { text: answer, quick_replies: replies } : answer);
      }
      if (turn.hasActiveDialog()) await turn.reprompt();
    },
  );
}
