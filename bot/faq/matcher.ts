import MiniSearch from 'minisearch';
import { type SparseVec, trainSoftmax } from './classifier.js';
import { type FaqVariables, type KnowledgeBase, renderTemplate } from './knowledge-base.js';
import { type Analyser, createAnalyser, MAX_INPUT_CHARS, normaliseText, stemFr } from './normalise.js';

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
   * the answer, its `{{variables}}` filled; the fallback (or the human-only answer) when declined; null for an empty
   * question
   */
  answer: string | null;
  /** the next best topics with their confidence, best first */
  alternatives: FaqAlternative[];
}

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
}

export interface FaqMatcher {
  /** `variables`: the configuration's values at answer time (they only change the answer's text, never the match). */
  match(question: string, variables?: Partial<FaqVariables>): FaqMatch;
  /** diagnostics: the best topic and the features behind its confidence, before any threshold (null: no content) */
  explain(question: string): FaqExplanation | null;
  readonly threshold: number;
}

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

export interface FaqExplanation {
  topic: string;
  confidence: number;
  features: FaqFeatures;
  /** a human-only phrase matched: `match` declines whatever the confidence */
  humanOnly: boolean;
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

const OFF = '__off_topic__';

/** Weights of the ranking blend. Tuned on eval-set.json only (docs/faq.md). */
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

/** Weights of the blend and of the confidence. Tuned on the `tune` split only (docs/faq.md). */
const W = {
  // feature weights inside a word vector: whole stems count more than character 4-grams (typo tolerance)
  stemFeature: 1,
  gramFeature: 0.35,
  /** strong evidence (sum of keyword matches) that saturates the evidence feature */
  evidenceSaturation: 1.5,
};

type Vec = Map<string, number>;

function addTo(v: Vec, k: string, w: number): void {
  v.set(k, (v.get(k) ?? 0) + w);
}

function grams(word: string): string[] {
  const w = `_${word}_`;
  if (w.length <= 4) return [w];
  const out: string[] = [];
  for (let i = 0; i + 4 <= w.length; i++) out.push(w.slice(i, i + 4));
  return out;
}

/** Raw feature counts of an analysed text: stems and character 4-grams of the (unstemmed) words. */
function features(words: readonly string[], stems: readonly string[]): Vec {
  const v: Vec = new Map();
  for (const s of stems) addTo(v, `s:${s}`, W.stemFeature);
  for (const w of words) for (const g of grams(w)) addTo(v, `g:${g}`, W.gramFeature);
  return v;
}

function norm(v: Vec): number {
  let n = 0;
  for (const x of v.values()) n += x * x;
  return Math.sqrt(n);
}

function dot(a: Vec, b: Vec): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let d = 0;
  for (const [k, x] of small) {
    const y = big.get(k);
    if (y !== undefined) d += x * y;
  }
  return d;
}

/** The word and its one-character deletions: two words within ~2 edits share one (SymSpell's idea, O(length)). */
function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

function deletionIndex(words: Iterable<string>): Set<string> {
  const index = new Set<string>();
  for (const w of words) if (w.length >= 5) for (const d of deletions(w)) index.add(d);
  return index;
}

interface Doc {
  id: number;
  topic: string;
  text: string;
}

/**
 * Builds the FAQ matcher once (index + vectors); `match` is then pure and fast.
 * Ranking blends MiniSearch (BM25 + fuzzy + prefix over every phrasing) with a TF-IDF cosine over stems and
 * character 4-grams; confidence blends similarity, domain evidence (keyword vocabulary) and the top-1/top-2 margin.
 */
export function createFaqMatcher(kb: KnowledgeBase, options: FaqMatcherOptions = {}): FaqMatcher {
  const threshold = options.threshold ?? kb.threshold;
  const defaults: Record<string, string> = {
    supportEmail: options.supportEmail ?? kb.defaultSupportEmail,
    ...options.variables,
  };
  const nAlternatives = options.alternatives ?? 3;
  const weights = options.weights ?? DEFAULT_CONFIDENCE_WEIGHTS;
  const B: BlendWeights = { ...DEFAULT_BLEND, ...options.blend };
  const analyse: Analyser = createAnalyser(kb.synonyms);
  // Answers are rendered per call: the configured values they show (Kit price…) may change while the process runs.
  const answers = new Map<string, string>(kb.topics.map((t) => [t.id, t.answer]));
  const render = (template: string, variables: Partial<FaqVariables> | undefined) =>
    renderTemplate(template, variables ? { ...defaults, ...variables } : defaults);
  const humanOnlyPhrases = kb.humanOnly.phrases.map((p) => ` ${normaliseText(p)} `).filter((p) => p.trim());

  // --- documents: every phrasing is a document of its topic; off-topic examples form a negative class.
  const docs: Doc[] = [];
  for (const t of kb.topics) {
    for (const text of [t.question, ...t.examples, ...t.keywords]) docs.push({ id: docs.length, topic: t.id, text });
  }
  for (const text of kb.offTopicExamples) docs.push({ id: docs.length, topic: OFF, text });
  // Questions of evaluation sets merged once measured (their provenance is kept in the file): phrasings like examples.
  for (const set of kb.mergedEvaluationSets ?? []) {
    for (const it of set.items) docs.push({ id: docs.length, topic: it.topic ?? OFF, text: it.question });
  }
  const analysed = docs.map((d) => analyse(d.text));

  // --- domain vocabulary: keywords (and synonym canonicals) are strong evidence; words of the phrasings are weak.
  const strong = new Set<string>();
  // Only one-word keywords are strong: the words of a phrase ("ligue de l'enseignement") are not domain terms alone.
  const weak = new Set<string>();
  for (const t of kb.topics) {
    for (const k of t.keywords) {
      const stems = analyse(k).stems;
      for (const s of stems) (stems.length === 1 ? strong : weak).add(s);
    }
  }
  for (const canonical of Object.keys(kb.synonyms)) for (const s of analyse(canonical).stems) strong.add(s);
  for (const [i, d] of docs.entries()) if (d.topic !== OFF) for (const s of analysed[i]!.stems) weak.add(s);
  const offVocab = new Set<string>();
  for (const [i, d] of docs.entries()) if (d.topic === OFF) for (const s of analysed[i]!.stems) offVocab.add(s);
  // --- other schemes / personal technical problems, and the anchors of this scheme (stem sequences)
  const stemPhrases = (list: readonly string[] | undefined) =>
    (list ?? []).map((p) => analyse(p).stems.join(' ')).filter((p) => p.length > 0);
  const declineSignals = stemPhrases(kb.declineSignals);
  const anchors = new Set(stemPhrases(kb.anchors).flatMap((p) => p.split(' ')));
  const isForeign = (stems: readonly string[]) => {
    if (declineSignals.length === 0 || stems.some((s) => anchors.has(s))) return false;
    const joined = ` ${stems.join(' ')} `;
    return declineSignals.some((p) => joined.includes(` ${p} `));
  };
  // --- spelling: an unknown word of the question ("remboursmeent") → the most frequent known word sharing a deletion
  const wordFreq = new Map<string, number>();
  for (const a of analysed) for (const w of a.words) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
  const spellIndex = new Map<string, string>();
  if (B.spellMinLength > 0) {
    for (const [w, n] of wordFreq) {
      if (w.length < B.spellMinLength - 1 || /\d/.test(w)) continue;
      for (const d of deletions(w)) {
        const other = spellIndex.get(d);
        if (other === undefined || (wordFreq.get(other) ?? 0) < n) spellIndex.set(d, w);
      }
    }
  }
  const correct = (words: string[], stems: string[]) => {
    if (B.spellMinLength === 0) return;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w.length < B.spellMinLength || wordFreq.has(w) || /\d/.test(w)) continue;
      let best: string | undefined;
      for (const d of deletions(w)) {
        const c = spellIndex.get(d);
        if (c !== undefined && (best === undefined || (wordFreq.get(c) ?? 0) > (wordFreq.get(best) ?? 0))) best = c;
      }
      if (best !== undefined) {
        words[i] = best;
        stems[i] = stemFr(best);
      }
    }
  };
  const strongFuzzy = deletionIndex(strong);
  const weakFuzzy = deletionIndex(weak);
  const nearVocabulary = (s: string, index: Set<string>) => s.length >= 5 && deletions(s).some((d) => index.has(d));

  // --- TF-IDF over documents
  const rawVecs = analysed.map((a) => features(a.words, a.stems));
  const df = new Map<string, number>();
  for (const v of rawVecs) for (const k of v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const N = docs.length;
  const idf = (k: string) => Math.log((N + 1) / ((df.get(k) ?? 0) + 1)) + 1;
  const weigh = (v: Vec): Vec => {
    const out: Vec = new Map();
    for (const [k, x] of v) out.set(k, x * idf(k));
    const n = norm(out) || 1;
    for (const [k, x] of out) out.set(k, x / n);
    return out;
  };
  const docVecs = rawVecs.map(weigh);
  // Inverted index (feature → documents and weights): a query's cosines cost its features' postings, not |docs| lookups.
  const postings = new Map<string, { docs: number[]; weights: number[] }>();
  for (const [i, v] of docVecs.entries()) {
    for (const [k, x] of v) {
      let p = postings.get(k);
      if (!p) {
        p = { docs: [], weights: [] };
        postings.set(k, p);
      }
      p.docs.push(i);
      p.weights.push(x);
    }
  }
  const docTopic = docs.map((d) => d.topic);
  const cosines = new Float64Array(docs.length);
  const topicIds = [...kb.topics.map((t) => t.id), OFF];
  const centroids = new Map<string, Vec>();
  for (const id of topicIds) {
    const c: Vec = new Map();
    for (const [i, d] of docs.entries()) if (d.topic === id) for (const [k, x] of docVecs[i]!) addTo(c, k, x);
    const n = norm(c) || 1;
    for (const [k, x] of c) c.set(k, x / n);
    centroids.set(id, c);
  }

  // --- softmax classifier over stems, stem bigrams and character 3–5-grams (TF-IDF, L2-normalised)
  const clfIndex = new Map<string, number>();
  const clfFeatures = (words: readonly string[], stems: readonly string[], emit: (k: string, w: number) => void) => {
    for (const s of stems) emit(`s:${s}`, 1);
    for (let i = 0; i + 1 < stems.length; i++) emit(`b:${stems[i]} ${stems[i + 1]}`, B.clfBigram);
    if (B.clfGram > 0)
      for (const w of words) {
        const x = `_${w}_`;
        for (let n = B.clfGramMin; n <= B.clfGramMax; n++)
          for (let i = 0; i + n <= x.length; i++) emit(`g:${x.slice(i, i + n)}`, B.clfGram);
      }
  };
  const clfRaw = analysed.map((a) => {
    const m = new Map<string, number>();
    clfFeatures(a.words, a.stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
    for (const k of m.keys()) if (!clfIndex.has(k)) clfIndex.set(k, clfIndex.size);
    return m;
  });
  const clfDf = new Float64Array(clfIndex.size);
  for (const m of clfRaw) for (const k of m.keys()) clfDf[clfIndex.get(k)!]! += 1;
  const clfIdf = Float64Array.from(clfDf, (d) => Math.log((N + 1) / (d + 1)) + 1);
  const unknownIdf = Math.log(N + 1) + 1;
  const toSparse = (m: Map<string, number>): { vec: SparseVec; unknownMass: number } => {
    const idx: number[] = [];
    const val: number[] = [];
    let n2 = 0;
    let unknown = 0;
    for (const [k, x] of m) {
      const j = clfIndex.get(k);
      if (j === undefined) {
        const u = x * unknownIdf;
        n2 += u * u;
        unknown += u * u;
        continue;
      }
      const v = x * clfIdf[j]!;
      idx.push(j);
      val.push(v);
      n2 += v * v;
    }
    const n = Math.sqrt(n2) || 1;
    return {
      vec: { idx: Int32Array.from(idx), val: Float64Array.from(val, (v) => v / n) },
      unknownMass: n2 > 0 ? unknown / n2 : 1,
    };
  };
  const classIndex = new Map(topicIds.map((id, i) => [id, i]));
  const clf =
    B.classifier > 0
      ? trainSoftmax(
          clfRaw.map((m) => toSparse(m).vec),
          docs.map((d) => classIndex.get(d.topic)!),
          clfIndex.size,
          topicIds.length,
          { epochs: B.clfEpochs, l2: B.clfL2, learningRate: B.clfLr },
        )
      : null;
  const probs = new Float64Array(topicIds.length);

  // --- MiniSearch over the same phrasings (already analysed: the index sees stems)
  const ms = new MiniSearch<{ id: number; topic: string; stems: string }>({
    fields: ['stems'],
    storeFields: ['topic'],
    tokenize: (s) => s.split(' ').filter(Boolean),
    processTerm: (t) => t,
    searchOptions: {
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      prefix: (term) => term.length >= 5,
      weights: { fuzzy: 0.6, prefix: 0.7 },
    },
  });
  ms.addAll(docs.map((d, i) => ({ id: d.id, topic: d.topic, stems: analysed[i]!.stems.join(' ') })));

  /** How much domain vocabulary the question carries: 1 per keyword stem, 0.35 per other known stem. */
  function evidence(stems: readonly string[]): { value: number; known: number } {
    let value = 0;
    let known = 0;
    for (const s of new Set(stems)) {
      if (strong.has(s)) {
        // a keyword also seen in the off-topic examples ("recette", "abonnement") is ambiguous
        value += offVocab.has(s) ? 0.3 : 1;
        known++;
      } else if (/^\d+$/.test(s)) {
        // a bare number ("ligue 1", "windows 11") is no domain evidence unless a keyword ("77", "4")
      } else if (weak.has(s)) {
        value += offVocab.has(s) ? 0.1 : 0.35;
        known++;
      } else if (nearVocabulary(s, strongFuzzy)) {
        value += 0.8;
        known++;
      } else if (nearVocabulary(s, weakFuzzy)) {
        value += 0.25;
        known++;
      }
    }
    return { value, known };
  }

  function decline(score: number, alternatives: FaqAlternative[], answer: string): FaqMatch {
    return { topic: null, score: round(score), answer, alternatives };
  }

  function score(question: string) {
    const { words, stems } = analyse(question);
    if (stems.length === 0) return null;
    correct(words, stems);

    const q = weigh(features(words, stems));
    cosines.fill(0);
    for (const [k, x] of q) {
      const p = postings.get(k);
      if (!p) continue;
      for (let j = 0; j < p.docs.length; j++) cosines[p.docs[j]!]! += x * p.weights[j]!;
    }
    const maxCos = new Map<string, number>();
    for (let i = 0; i < cosines.length; i++) {
      const c = cosines[i]!;
      if (c > (maxCos.get(docTopic[i]!) ?? 0)) maxCos.set(docTopic[i]!, c);
    }
    const msBest = new Map<string, number>();
    for (const r of ms.search(stems.join(' '))) {
      const t = r.topic as string;
      if (r.score > (msBest.get(t) ?? 0)) msBest.set(t, r.score);
    }
    const msTop = Math.max(0, ...msBest.values()) || 1;
    let unknownMass = 0;
    if (clf) {
      const m = new Map<string, number>();
      clfFeatures(words, stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
      const sp = toSparse(m);
      unknownMass = sp.unknownMass;
      clf.predict(sp.vec, probs);
    }

    const ranked = topicIds
      .map((id) => {
        const cos = maxCos.get(id) ?? 0;
        const cen = dot(q, centroids.get(id)!);
        const msRel = (msBest.get(id) ?? 0) / msTop;
        const p = clf ? probs[classIndex.get(id)!]! : 0;
        return {
          topic: id,
          cos,
          p,
          rank: B.maxCos * cos + B.centroidCos * cen + B.miniSearch * msRel + B.classifier * p,
        };
      })
      .sort((a, b) => b.rank - a.rank);

    const inDomain = ranked.filter((r) => r.topic !== OFF);
    const top = inDomain[0]!;
    const second = inDomain[1]!;
    const off = ranked.find((r) => r.topic === OFF)!;
    const ev = evidence(stems);
    const distinct = new Set(stems).size;
    const f: FaqFeatures = {
      similarity: Math.min(1, top.cos),
      evidence: Math.min(1, ev.value / W.evidenceSaturation),
      coverage: distinct > 0 ? ev.known / distinct : 0,
      margin: top.rank > 0 ? (top.rank - second.rank) / top.rank : 0,
      offTopicWins: off.rank > top.rank,
      known: ev.known,
      probability: top.p,
      offProbability: off.p,
      unknownMass,
      foreign: isForeign(stems),
    };
    const conf = confidence(f, weights);
    const alternatives = inDomain
      .slice(1, 1 + nAlternatives)
      .map((r) => ({ topic: r.topic, score: round(Math.max(0, Math.min(1, (conf * r.rank) / (top.rank || 1)))) }));
    return { topic: top.topic, conf, alternatives, features: f };
  }

  function match(question: string, variables?: Partial<FaqVariables>): FaqMatch {
    const normalised = normaliseText(question);
    if (!normalised) return { topic: null, score: 0, answer: null, alternatives: [] };
    const fallback = () => render(kb.fallback, variables);
    if (isHumanOnly(question)) return decline(0, [], render(kb.humanOnly.answer, variables));
    const r = scoreLongest(question);
    if (!r) return decline(0, [], fallback());
    if (r.conf < threshold)
      return decline(r.conf, [{ topic: r.topic, score: round(r.conf) }, ...r.alternatives], fallback());
    const answer = answers.get(r.topic);
    return {
      topic: r.topic,
      score: round(r.conf),
      answer: answer === undefined ? null : render(answer, variables),
      alternatives: r.alternatives,
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

  function isHumanOnly(question: string): boolean {
    const normalised = ` ${normaliseText(question)} `;
    return humanOnlyPhrases.some((p) => normalised.includes(p));
  }

  function explain(question: string): FaqExplanation | null {
    const r = scoreLongest(question);
    return r ? { topic: r.topic, confidence: r.conf, features: r.features, humanOnly: isHumanOnly(question) } : null;
  }

  return { match, explain, threshold };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
