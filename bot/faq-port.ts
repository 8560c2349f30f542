// The FAQ as the bot uses it: match a question, or fetch the answer of a known topic (for non-producers and for the
// topic attached to a reason). Built from bot/faq (the matcher and its knowledge base).
//
// Answers hold `{{variables}}` (Kit price, support address…) that come from the configuration in force. The port is
// built once per process and the configuration may change under it (staff overrides), so the caller passes the
// values with each call (`faqVariables(await ports.config())`); they are required, so no answer goes out unfilled.
import { type FaqVariables, type KnowledgeBase, loadKnowledgeBase, renderTemplate } from './faq/knowledge-base.js';
import { createFaqMatcher } from './faq/matcher.js';

/** A topic offered when the FAQ declines or is unsure: « Vous parlez de : {label} ? ». */
export interface FaqSuggestion {
  topic: string;
  label: string;
}

export interface FaqPortMatch {
  /** null when the question is outside the topics (answer is then the fallback, with a way to reach a person) */
  topic: string | null;
  score: number;
  answer: string | null;
  /** up to 3 topics, best first, when declined or unsure (docs/faq.md); empty when confident */
  suggestions: FaqSuggestion[];
  /**
   * A person should follow it (complaint, missing payment, liquidation, other scheme, or a topic marked `handover`):
   * the answer says a person will answer; the chat offers the hand-over (issue 14 items 6 and 8).
   */
  handover?: boolean;
}

export interface FaqPort {
  match(question: string, variables: FaqVariables): FaqPortMatch;
  answerFor(topic: string, variables: FaqVariables): string | null;
  /** the topic's short label (quick replies), null for an unknown topic */
  labelOf(topic: string): string | null;
}

export function createFaqPort(options: { kb?: KnowledgeBase } = {}): FaqPort {
  const kb = options.kb ?? loadKnowledgeBase();
  const matcher = createFaqMatcher(kb);
  const answers = new Map(kb.topics.map((t) => [t.id as string, t.answer]));
  const labels = new Map(kb.topics.map((t) => [t.id as string, t.label]));
  return {
    match(question, variables) {
      const m = matcher.match(question, variables);
      const suggestions = m.suggestions.map((s) => ({ topic: s.topic, label: labels.get(s.topic) ?? s.topic }));
      return { topic: m.topic, score: m.score, answer: m.answer, suggestions, handover: m.handover };
    },
    answerFor(topic, variables) {
      const template = answers.get(topic);
      return template === undefined ? null : renderTemplate(template, variables);
    },
    labelOf(topic) {
      return labels.get(topic) ?? null;
    },
  };
}
