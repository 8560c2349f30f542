import { analyseDocuments } from './analysis-store.js';
import {
  alternativeScore,
  type ConfidenceWeights,
  confidence,
  confidenceFeatures,
  DEFAULT_CONFIDENCE_WEIGHTS,
  type FaqFeatures,
  roundScore,
} from './confidence.js';
import { buildDocuments, classIds, OFF_TOPIC } from './documents.js';
import { type FaqVariables, type KnowledgeBase, renderTemplate } from './knowledge-base.js';
import { type Analyser, createAnalyser, MAX_INPUT_CHARS, normaliseText } from './normalise.js';
import { type BlendWeights, createRanker, DEFAULT_BLEND, type RankedClass } from './ranking.js';
import { createSpeller } from './spelling.js';
import { createVocabulary } from './vocabulary.js';

/**
 * The FAQ matcher: the composition of its parts, built once from the knowledge base, and the decision to answer.
 *   documents.ts  the phrasings it learns from (topics + off-topic class)
 *   spelling.ts   correction of unknown words before anything else
 *   ranking.ts    which topic: classifier (classifier.ts) + TF-IDF cosines (vectors.ts) + BM25 (bm25.ts), blended
 *   vocabulary.ts domain evidence, coverage, other schemes (declineSignals / anchors)
 *   confidence.ts how sure (0..1), from the ranking and the vocabulary
 *   here          empty question, human-only phrases, threshold, long stories read per sentence, answer rendering
 */

/** A character someone can see: not a space, a control, a format character (bidi, zero-width) nor a lone surrogate. */
const VISIBLE = /[^\s\p{Cc}\p{Cf}\p{Cs}\p{Mn}]/u;

// The weights and the confidence formula are part of this module's API (evaluation and tuning import them here).
export {
  type BlendWeights,
  type ConfidenceWeights,
  confidence,
  DEFAULT_BLEND,
  DEFAULT_CONFIDENCE_WEIGHTS,
  type FaqFeatures,
};

export interface FaqAlternative {
  topic: string;
  score: number;
}

export interface FaqMatch {
  /** topic id, or null when the question is empty, outside the topics, or for a person to answer */
  topic: string | null;
  /** confidence 0..1 of `topic` (of the best candidate when declined) */
  score: number;
  /**
   * the answer, its `{{variables}}` filled; the fallback (or the human-only answer) when declined, an emoji-only
   * question included; null for an empty question (blank or invisible characters only)
   */
  answer: string | null;
  /** the next best topics with their confidence, best first */
  alternatives: FaqAlternative[];
  /**
   * When the matcher declines or is unsure (`unsure`): the best candidate topics, best first (at most 3), to ask
   * « Vous parlez de : A, B ou C ? ». Empty when it is confident, for a human-only question, and when nothing of the
   * question is known vocabulary or the confidence is under the ask floor (no candidate worth offering).
   */
  suggestions: FaqAlternative[];
  /** answered, but the second topic ranks close to the first (docs/faq.md, « Asking rather than declining ») */
  unsure: boolean;
  /**
   * A person should follow this question: a human-only one (complaint, missing payment, liquidation, other scheme) or
   * a topic marked `handover` in the knowledge base. The chat offers « Parler à quelqu’un » beside the answer.
   */
  handover: boolean;
}

/**
 * When to ask « Vous parlez de : … ? » (docs/faq.md). « Unsure » (answered, yet suggestions are offered): the second
 * topic's ranking score is at least `closeness` × the first's and the confidence is under `threshold + margin`.
 * Declined: suggestions when the confidence is at least `floor`, or `offTopicFloor` when the off-topic class outranks
 * every topic (under it the question is plainly elsewhere: a recipe sharing one word with an answer is not asked about).
 */
export interface AskRule {
  margin: number;
  closeness: number;
  floor: number;
  offTopicFloor: number;
}
// Chosen on the leave-one-set-out cross-validation of the tuning sets only (docs/faq.md, round 7). Most wrong answers
// are confident ones whose second topic is close; closeness alone separates them from right answers as well as any
// combination with the confidence (or a logistic model over ten signals), so `margin` 1 leaves the confidence out.
export const DEFAULT_ASK: AskRule = { margin: 1, closeness: 0.5, floor: 0.1, offTopicFloor: 0.2 };

/** How many suggestions at most (the quick replies « Vous parlez de : … »). */
export const MAX_SUGGESTIONS = 3;
/** Reciprocal-rank fusion constant of the suggestions (CV plateau 5–10; 2 fuses too sharply). */
const FUSION_K = 5;

export interface FaqMatcherOptions {
  /** overrides the knowledge base's threshold */
  threshold?: number;
  /** fills `{{supportEmail}}` (from the application configuration); default: the knowledge base's */
  supportEmail?: string;
  /** default values of the other `{{variables}}` (unfilled ones stay visible); `match` may pass the current ones */
  variables?: Partial<FaqVariables>;
  /** how many alternatives to return (default 3) */
  alternatives?: number;
  /** overrides the confidence weights (evaluation and tuning) */
  weights?: ConfidenceWeights;
  /** overrides the ranking blend (evaluation and tuning) */
  blend?: Partial<BlendWeights>;
  /** overrides when to offer suggestions (DEFAULT_ASK) */
  ask?: Partial<AskRule>;
}

export interface FaqMatcher {
  /** `variables`: the configuration's values at answer time (they only change the answer's text, never the match). */
  match(question: string, variables?: Partial<FaqVariables>): FaqMatch;
  /** diagnostics: the best topic and the features behind its confidence, before any threshold (null: no content) */
  explain(question: string): FaqExplanation | null;
  readonly threshold: number;
}

export interface FaqExplanation {
  topic: string;
  confidence: number;
  features: FaqFeatures;
  /** a human-only phrase matched: `match` declines whatever the confidence */
  humanOnly: boolean;
  /** the second topic's ranking score relative to the first's */
  closeness: number;
  /** every in-domain topic with its signals, best ranking score first (tuning of the ask rule) */
  ranking: RankedClass[];
}

/** Builds the FAQ matcher once (documents, vocabulary, speller, ranker); `match` is then pure and fast. */
export function createFaqMatcher(kb: KnowledgeBase, options: FaqMatcherOptions = {}): FaqMatcher {
  const threshold = options.threshold ?? kb.threshold;
  const defaults: Record<string, string> = {
    supportEmail: options.supportEmail ?? kb.defaultSupportEmail,
    ...options.variables,
  };
  const nAlternatives = options.alternatives ?? 3;
  const weights = options.weights ?? DEFAULT_CONFIDENCE_WEIGHTS;
  const B: BlendWeights = { ...DEFAULT_BLEND, ...options.blend };
  const ask: AskRule = { ...DEFAULT_ASK, ...options.ask };
  const analyse: Analyser = createAnalyser(kb.synonyms);
  // Answers are rendered per call: the configured values they show (Kit price…) may change while the process runs.
  const answers = new Map<string, string>(kb.topics.map((t) => [t.id, t.answer]));
  const handoverTopics = new Set<string>(kb.topics.filter((t) => t.handover).map((t) => t.id));
  const render = (template: string, variables: Partial<FaqVariables> | undefined) =>
    renderTemplate(template, variables ? { ...defaults, ...variables } : defaults);
  const spaced = (phrases: readonly string[] = []) =>
    phrases.map((p) => ` ${normaliseText(p)} `).filter((p) => p.trim());
  const humanOnlyPhrases = spaced(kb.humanOnly.phrases);
  const otherSchemes = spaced(kb.humanOnly.otherSchemes);
  const ownNames = spaced(kb.humanOnly.ownNames);

  const docs = buildDocuments(kb);
  const analysed = analyseDocuments(docs, kb.synonyms, analyse);
  const vocabulary = createVocabulary(kb, analyse, docs, analysed);
  const speller = createSpeller(analysed, B.spellMinLength);
  const ranker = createRanker(docs, analysed, classIds(kb), B);

  function decline(
    score: number,
    alternatives: FaqAlternative[],
    answer: string,
    suggestions: FaqAlternative[] = [],
  ): FaqMatch {
    return { topic: null, score: roundScore(score), answer, alternatives, suggestions, unsure: false, handover: false };
  }

  function score(question: string) {
    const { words, stems } = analyse(question);
    if (stems.length === 0) return null;
    speller.correct(words, stems);

    const { ranked, unknownMass } = ranker.rank(words, stems);
    const inDomain = ranked.filter((r) => r.topic !== OFF_TOPIC);
    const top = inDomain[0]!;
    const f = confidenceFeatures({
      top,
      second: inDomain[1]!,
      off: ranked.find((r) => r.topic === OFF_TOPIC)!,
      evidence: vocabulary.evidence(stems),
      distinct: new Set(stems).size,
      unknownMass,
      foreign: vocabulary.isForeign(stems),
    });
    const conf = confidence(f, weights);
    const alternatives = inDomain
      .slice(1, 1 + nAlternatives)
      .map((r) => ({ topic: r.topic, score: alternativeScore(conf, r.rank, top.rank) }));
    // How close the second topic is: its ranking score relative to the first's (the « unsure » rule).
    const closeness = top.rank > 0 ? inDomain[1]!.rank / top.rank : 0;
    return { topic: top.topic, conf, alternatives, features: f, closeness, inDomain };
  }

  function match(question: string, variables?: Partial<FaqVariables>): FaqMatch {
    const normalised = normaliseText(question);
    const fallback = () => render(kb.fallback, variables);
    if (!normalised) {
      // Nothing asked (blank, invisible characters only): no answer. Something asked without words (emoji only,
      // « ?! »): the « je ne sais pas » answer with the way to reach a person, as for any question outside the topics.
      return VISIBLE.test(question)
        ? decline(0, [], fallback())
        : { topic: null, score: 0, answer: null, alternatives: [], suggestions: [], unsure: false, handover: false };
    }
    const { humanOnly, comparesSchemes } = readSchemes(question);
    if (humanOnly) return { ...decline(0, [], render(kb.humanOnly.answer, variables)), handover: true };
    const r = scoreLongest(question);
    if (!r) return decline(0, [], fallback());
    const suggested = candidates(r);
    if (r.conf < threshold) {
      // Declined: ask rather than only decline, unless the question is plainly elsewhere.
      const floor = r.features.offTopicWins ? Math.max(ask.floor, ask.offTopicFloor) : ask.floor;
      const suggestions = r.features.known > 0 && r.conf >= floor ? suggested : [];
      const declined = decline(
        r.conf,
        [{ topic: r.topic, score: roundScore(r.conf) }, ...r.alternatives],
        // A comparison with another scheme that no topic answers (« France Services, c'est pareil qu'APTIC ? »): the
        // human-only answer says they are distinct schemes, and a person follows.
        comparesSchemes ? render(kb.humanOnly.answer, variables) : fallback(),
        suggestions,
      );
      return comparesSchemes ? { ...declined, handover: true } : declined;
    }
    const answer = answers.get(r.topic);
    const unsure = r.conf < threshold + ask.margin && r.closeness >= ask.closeness;
    return {
      topic: r.topic,
      score: roundScore(r.conf),
      answer: answer === undefined ? null : render(answer, variables),
      alternatives: r.alternatives,
      suggestions: unsure ? suggested : [],
      unsure,
      handover: handoverTopics.has(r.topic),
    };
  }

  /**
   * A long story often holds one relevant sentence among unrelated ones, which dilute similarity and coverage. The
   * whole text is read first: when it is confident enough to be answered, its context wins (a sentence cut at « : »
   * or « ? » loses it). Otherwise each sentence is scored alone and the most confident reading is kept.
   */
  function scoreLongest(question: string) {
    const whole = score(question);
    if (whole && whole.conf >= threshold) return whole;
    let best = whole;
    const sentences = question
      .slice(0, MAX_INPUT_CHARS)
      .split(/[.!?;:\n]+/)
      .filter((x) => x.trim().length > 0);
    if (sentences.length > 1) {
      for (const sentence of sentences.slice(0, 12)) {
        const r = score(sentence);
        if (r && (!best || r.conf > best.conf)) best = r;
      }
    }
    return best;
  }

  /**
   * The second stage (« Vous parlez de : A, B ou C ? »): the topics to offer. The blend alone orders topics by one
   * mixed score, and when the question is ambiguous its 2nd–3rd places are often topics that only one signal likes.
   * The candidates fuse, by reciprocal rank (1 / (K + position)), the blend's order (weight 1.5) with the order of each
   * signal alone (classifier, best phrasing, topic centroid, MiniSearch): a topic that several signals rank high comes
   * up. The best topic stays first (it is the answer when « unsure »). Chosen on the leave-one-set-out CV (docs/faq.md).
   */
  function candidates(r: NonNullable<ReturnType<typeof score>>): FaqAlternative[] {
    const ind = r.inDomain;
    const lists = [
      ind,
      [...ind].sort((a, b) => b.p - a.p),
      [...ind].sort((a, b) => b.cos - a.cos),
      [...ind].sort((a, b) => b.ms - a.ms),
      [...ind].sort((a, b) => b.cen - a.cen),
    ];
    const fused = new Map<string, number>();
    for (const [li, list] of lists.entries()) {
      for (const [i, c] of list.entries()) {
        fused.set(c.topic, (fused.get(c.topic) ?? 0) + (li === 0 ? 1.5 : 1) / (FUSION_K + i));
      }
    }
    const byTopic = new Map(ind.map((c) => [c.topic, c]));
    const rest = [...fused]
      .filter(([t]) => t !== r.topic)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_SUGGESTIONS - 1)
      .map(([t]) => ({ topic: t, score: alternativeScore(r.conf, byTopic.get(t)!.rank, ind[0]!.rank) }));
    return [{ topic: r.topic, score: roundScore(r.conf) }, ...rest];
  }

  /**
   * `humanOnly`: a sensitive phrase, or another scheme named alone (for a person). `comparesSchemes`: another scheme
   * named beside the pass itself: matched like any question (round 10), the human-only answer when declined.
   */
  function readSchemes(question: string): { humanOnly: boolean; comparesSchemes: boolean } {
    const normalised = ` ${normaliseText(question)} `;
    const has = (phrases: readonly string[]) => phrases.some((p) => normalised.includes(p));
    const other = has(otherSchemes);
    const own = other && has(ownNames);
    return { humanOnly: has(humanOnlyPhrases) || (other && !own), comparesSchemes: own };
  }

  function explain(question: string): FaqExplanation | null {
    const r = scoreLongest(question);
    if (!r) return null;
    return {
      topic: r.topic,
      confidence: r.conf,
      features: r.features,
      humanOnly: readSchemes(question).humanOnly,
      closeness: r.closeness,
      ranking: r.inDomain,
    };
  }

  return { match, explain, threshold };
}
