import type { RankedClass } from './ranking.js';
import type { Evidence } from './vocabulary.js';

/**
 * How sure the matcher is of its best topic (0..1), from features of the ranking and of the vocabulary. The decision
 * itself is in matcher.ts's `match`: declined under the threshold (knowledge base's `threshold`, or the option), and
 * whatever the confidence on a human-only phrase.
 */

/** The signals the confidence is computed from (all 0..1 except `known`). */
export interface FaqFeatures {
  /** best cosine between the question and one phrasing of the top topic (unknown words dilute it) */
  similarity: number;
  /** domain vocabulary carried by the question (keywords count 1, other known words less), saturating at 1 */
  evidence: number;
  /** fraction of the question's distinct content stems that the knowledge base knows */
  coverage: number;
  /** relative margin between the top-1 and top-2 topics' ranking scores */
  margin: number;
  /** the off-topic examples rank above every topic */
  offTopicWins: boolean;
  /** number of distinct known content stems */
  known: number;
  /** the classifier's probability of the top topic (0 when the classifier is off) */
  probability: number;
  /** the classifier's probability of the off-topic class */
  offProbability: number;
  /** share of the question's classifier features (TF-IDF mass) unseen in the knowledge base */
  unknownMass: number;
  /** the question names another scheme or a personal technical problem (`declineSignals`) and no `anchors` */
  foreign: boolean;
}

export interface ConfidenceWeights {
  similarity: number;
  evidence: number;
  coverage: number;
  margin: number;
  /** multiplier applied when the off-topic class wins */
  offTopicPenalty: number;
  /** weight of the classifier's probability of the top topic */
  probability?: number;
  /** weight subtracted per unit of the classifier's off-topic probability */
  offProbability?: number;
  /** weight subtracted per unit of unknown feature mass */
  unknownMass?: number;
  /** multiplier applied when the question is `foreign` (another scheme named, no anchor of this one) */
  foreignPenalty?: number;
}

/** Tuned on the `tune` split only (docs/faq.md). */
export const DEFAULT_CONFIDENCE_WEIGHTS: ConfidenceWeights = {
  similarity: 0.1,
  evidence: 0.2,
  coverage: 0.4,
  margin: 0,
  offTopicPenalty: 0.7,
  probability: 0.6,
  offProbability: 0.4,
  unknownMass: 0.2,
  foreignPenalty: 0.3,
};

/** Strong evidence (sum of keyword matches) that saturates the evidence feature. Tuned on the `tune` split only. */
const EVIDENCE_SATURATION = 1.5;

export function confidence(f: FaqFeatures, w: ConfidenceWeights = DEFAULT_CONFIDENCE_WEIGHTS): number {
  let c = w.similarity * f.similarity + w.evidence * f.evidence + w.coverage * f.coverage + w.margin * f.margin;
  c += (w.probability ?? 0) * f.probability - (w.offProbability ?? 0) * f.offProbability;
  c -= (w.unknownMass ?? 0) * f.unknownMass;
  // Scaled by the sum of the positive weights, so that only a perfect question reaches 1.
  c /= w.similarity + w.evidence + w.coverage + w.margin + (w.probability ?? 0) || 1;
  if (f.offTopicWins) c *= w.offTopicPenalty;
  if (f.foreign) c *= w.foreignPenalty ?? 1;
  // Nothing of the question is known vocabulary: an explicit out-of-domain signal.
  if (f.known === 0) c = Math.min(c, 0.1);
  return Math.max(0, Math.min(1, c));
}

/** The features of a question from its ranking (`top`, `second`: the two best topics; `off`: the off-topic class). */
export function confidenceFeatures(s: {
  top: RankedClass;
  second: RankedClass;
  off: RankedClass;
  evidence: Evidence;
  /** number of distinct stems of the question */
  distinct: number;
  unknownMass: number;
  foreign: boolean;
}): FaqFeatures {
  const { top, second, off, evidence: ev, distinct } = s;
  return {
    similarity: Math.min(1, top.cos),
    evidence: Math.min(1, ev.value / EVIDENCE_SATURATION),
    coverage: distinct > 0 ? ev.known / distinct : 0,
    margin: top.rank > 0 ? (top.rank - second.rank) / top.rank : 0,
    offTopicWins: off.rank > top.rank,
    known: ev.known,
    probability: top.p,
    offProbability: off.p,
    unknownMass: s.unknownMass,
    foreign: s.foreign,
  };
}

/** An alternative topic's score: the top topic's confidence scaled by its rank relative to the top's. */
export function alternativeScore(conf: number, rank: number, topRank: number): number {
  return roundScore(Math.max(0, Math.min(1, (conf * rank) / (topRank || 1))));
}

/** Scores are shown to three decimals (the unrounded confidence decides). */
export function roundScore(x: number): number {
  return Math.round(x * 1000) / 1000;
}
