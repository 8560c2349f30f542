// The FAQ as the bot uses it: match a question, or fetch the answer of a known topic (for non-producers and for the
// topic attached to a reason). Built from bot/faq (the matcher and its knowledge base).
import { type KnowledgeBase, loadKnowledgeBase, renderTemplate } from './faq/knowledge-base.js';
import { createFaqMatcher } from './faq/matcher.js';

export interface FaqPort {
  /** topic null when the question is outside the topics (answer is then the fallback, with a way to reach a person). */
  match(question: string): { topic: string | null; score: number; answer: string | null };
  answerFor(topic: string): string | null;
}

export function createFaqPort(options: { kb?: KnowledgeBase; supportEmail?: string } = {}): FaqPort {
  const kb = options.kb ?? loadKnowledgeBase();
  const matcher = createFaqMatcher(kb, options.supportEmail ? { supportEmail: options.supportEmail } : {});
  const vars = { supportEmail: options.supportEmail ?? kb.defaultSupportEmail };
  const answers = new Map(kb.topics.map((t) => [t.id as string, renderTemplate(t.answer, vars)]));
  return {
    match(question) {
      const m = matcher.match(question);
      return { topic: m.topic, score: m.score, answer: m.answer };
    },
    answerFor: (topic) => answers.get(topic) ?? null,
  };
}
