// The FAQ as the bot uses it: match a question, or fetch the answer of a known topic (for non-producers and for the
// topic attached to a reason). Built from bot/faq (the matcher and its knowledge base).
//
// Answers hold `{{variables}}` (Kit price, support address…) that come from the configuration in force. The port is
// built once per process and the configuration may change under it (staff overrides), so the caller passes the
// values with each call (`faqVariables(await ports.config())`); they are required, so no answer goes out unfilled.
import { type FaqVariables, type KnowledgeBase, loadKnowledgeBase, renderTemplate } from './faq/knowledge-base.js';
import { createFaqMatcher } from './faq/matcher.js';

export interface FaqPort {
  /** topic null when the question is outside the topics (answer is then the fallback, with a way to reach a person). */
  match(question: string, variables: FaqVariables): { topic: string | null; score: number; answer: string | null };
  answerFor(topic: string, variables: FaqVariables): string | null;
}

export function createFaqPort(options: { kb?: KnowledgeBase } = {}): FaqPort {
  const kb = options.kb ?? loadKnowledgeBase();
  const matcher = createFaqMatcher(kb);
  const answers = new Map(kb.topics.map((t) => [t.id as string, t.answer]));
  return {
    match(question, variables) {
      const m = matcher.match(question, variables);
      return { topic: m.topic, score: m.score, answer: m.answer };
    },
    answerFor(topic, variables) {
      const template = answers.get(topic);
      return template === undefined ? null : renderTemplate(template, variables);
    },
  };
}
