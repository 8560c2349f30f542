import { createClassBm25 } from './bm25.js';
import { createTextClassifier } from './classifier.js';
import type { Doc } from './documents.js';
import type { Analysis } from './normalise.js';
import { createTfIdfIndex } from './vectors.js';

/**
 * Which topic a question is about: a blend of the softmax classifier's probability, the best TF-IDF cosine to one
 * phrasing, the cosine to the topic's centroid, and MiniSearch's BM25 (fuzzy, prefix) of the topic's best phrasing.
 * Ranking only orders the classes; whether to answer at all is confidence.ts's.
 */

/** Weights of the ranking blend and parameters of its parts. Tuned on the tuning material only (docs/faq.md). */
export interface BlendWeights {
  maxCos: number;
  centroidCos: number;
  miniSearch: number;
  /** probability of the softmax classifier */
  classifier: number;
  /** classifier features: stem bigrams and character n-grams relative to stems */
  clfBigram: number;
  clfGram: number;
  clfGramMin: number;
  clfGramMax: number;
  clfEpochs: number;
  clfL2: number;
  clfLr: number;
  /** unknown words of at least this length are corrected to a known word within ~2 edits (0: off) */
  spellMinLength: number;
}

export const DEFAULT_BLEND: BlendWeights = {
  maxCos: 0.45,
  centroidCos: 0.2,
  miniSearch: 0.35,
  classifier: 1,
  clfBigram: 0.5,
  clfGram: 0.15,
  clfGramMin: 4,
  clfGramMax: 4,
  clfEpochs: 30,
  clfL2: 1e-5,
  clfLr: 0.5,
  spellMinLength: 6,
};

/** One class's ranking score and the signals confidence.ts reads from it. */
export interface RankedClass {
  topic: string;
  /** best cosine to one of its phrasings */
  cos: number;
  /** the classifier's probability (0 when the classifier is off) */
  p: number;
  /** cosine to the topic's centroid */
  cen: number;
  /** MiniSearch BM25 of its best phrasing, relative to the best class of this question */
  ms: number;
  rank: number;
}

export interface Ranking {
  /** every class, best rank first */
  ranked: RankedClass[];
  /** share of the question's classifier feature mass unseen in the documents (0 when the classifier is off) */
  unknownMass: number;
}

export interface Ranker {
  /** `words`, `stems`: the question's analysis, spelling already corrected. Not reentrant (shared buffers). */
  rank(words: readonly string[], stems: readonly string[]): Ranking;
}

/** `docs` and `analysed` (same order); `classes`: every class in ranking order (topics, then the off-topic class). */
export function createRanker(
  docs: readonly Doc[],
  analysed: readonly Analysis[],
  classes: readonly string[],
  B: BlendWeights,
): Ranker {
  const docTopic = docs.map((d) => d.topic);
  const tfidf = createTfIdfIndex(analysed, docTopic, classes);
  const classIndex = new Map(classes.map((id, i) => [id, i]));
  const clf =
    B.classifier > 0
      ? createTextClassifier(
          analysed,
          docs.map((d) => classIndex.get(d.topic)!),
          classes.length,
          { bigram: B.clfBigram, gram: B.clfGram, gramMin: B.clfGramMin, gramMax: B.clfGramMax },
          { epochs: B.clfEpochs, l2: B.clfL2, learningRate: B.clfLr },
        )
      : null;
  const probs = new Float64Array(classes.length);

  // BM25 over the same phrasings, already analysed (MiniSearch's scoring and term expansion: bm25.ts).
  const docClass = Int32Array.from(docTopic, (t) => classIndex.get(t) ?? -1);
  const bm25 = createClassBm25(
    analysed.map((a) => a.stems.filter(Boolean)),
    docClass,
    classes.length,
  );

  return {
    rank(words, stems) {
      const q = tfidf.vector(words, stems);
      const maxCos = tfidf.maxCosines(q);
      const centroidCos = tfidf.centroidCosines(q);
      const msBest = bm25.best(stems);
      // BM25 is not comparable across queries: relative to the best topic of this question.
      let msTop = 0;
      for (const x of msBest) if (x > msTop) msTop = x;
      msTop ||= 1;
      const unknownMass = clf ? clf.predict(words, stems, probs) : 0;

      const ranked = classes
        .map((id, c) => {
          const cos = maxCos.get(id) ?? 0;
          const cen = centroidCos[c]!;
          const msRel = msBest[c]! / msTop;
          const p = clf ? probs[classIndex.get(id)!]! : 0;
          return {
            topic: id,
            cos,
            p,
            cen,
            ms: msRel,
            rank: B.maxCos * cos + B.centroidCos * cen + B.miniSearch * msRel + B.classifier * p,
          };
        })
        .sort((a, b) => b.rank - a.rank);
      return { ranked, unknownMass };
    },
  };
}
