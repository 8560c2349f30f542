import type { KnowledgeBase } from './knowledge-base.js';

/**
 * The material the matcher learns from: every phrasing of the knowledge base is a document of its topic, and the
 * off-topic examples form a negative class, so that « not about the scheme » can win a ranking like a topic.
 */

/** The class of the off-topic examples (and of merged off-topic questions): never answered. */
export const OFF_TOPIC = '__off_topic__';

export interface Doc {
  id: number;
  /** a topic id, or OFF_TOPIC */
  topic: string;
  text: string;
}

/** Canonical question, examples, keywords of each topic, then the off-topic examples, then merged evaluation sets. */
export function buildDocuments(kb: KnowledgeBase): Doc[] {
  const docs: Doc[] = [];
  for (const t of kb.topics) {
    for (const text of [t.question, ...t.examples, ...t.keywords]) docs.push({ id: docs.length, topic: t.id, text });
  }
  for (const text of kb.offTopicExamples) docs.push({ id: docs.length, topic: OFF_TOPIC, text });
  // Questions of evaluation sets merged once measured (their provenance is kept in the file): phrasings like examples.
  for (const set of kb.mergedEvaluationSets ?? []) {
    for (const it of set.items) docs.push({ id: docs.length, topic: it.topic ?? OFF_TOPIC, text: it.question });
  }
  return docs;
}

/** The classes the matcher ranks: the topics in knowledge-base order, then OFF_TOPIC (its index in the classifier). */
export function classIds(kb: KnowledgeBase): string[] {
  return [...kb.topics.map((t) => t.id), OFF_TOPIC];
}
