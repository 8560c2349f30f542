import type { Analysis } from './normalise.js';

/**
 * TF-IDF vectors over stems and character 4-grams of the words (the 4-grams tolerate typos the stems miss), the
 * cosine of a question to every phrasing through an inverted index, and the cosine to each topic's centroid.
 */

export type Vec = Map<string, number>;

/** Feature weights inside a word vector: whole stems count more than character 4-grams. Tuned on the `tune` split. */
const FEATURE_WEIGHTS = { stem: 1, gram: 0.35 };

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
  for (const s of stems) addTo(v, `s:${s}`, FEATURE_WEIGHTS.stem);
  for (const w of words) for (const g of grams(w)) addTo(v, `g:${g}`, FEATURE_WEIGHTS.gram);
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

export interface TfIdfIndex {
  /** the TF-IDF vector of a (corrected) question, L2-normalised */
  vector(words: readonly string[], stems: readonly string[]): Vec;
  /** topic → best cosine between `q` and one of its documents (topics without a positive cosine are absent) */
  maxCosines(q: Vec): Map<string, number>;
  /** cosine between `q` and the centroid of `topic`'s documents */
  centroidCosine(q: Vec, topic: string): number;
}

/**
 * `analysed`: every document's analysis; `docTopic`: each document's class (same order); `classes`: every class
 * that gets a centroid. Not reentrant: `maxCosines` reuses one buffer (`match` is synchronous).
 */
export function createTfIdfIndex(
  analysed: readonly Analysis[],
  docTopic: readonly string[],
  classes: readonly string[],
): TfIdfIndex {
  const rawVecs = analysed.map((a) => features(a.words, a.stems));
  const df = new Map<string, number>();
  for (const v of rawVecs) for (const k of v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const N = analysed.length;
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
  const cosines = new Float64Array(analysed.length);
  const centroids = new Map<string, Vec>();
  for (const id of classes) {
    const c: Vec = new Map();
    for (const [i, topic] of docTopic.entries()) if (topic === id) for (const [k, x] of docVecs[i]!) addTo(c, k, x);
    const n = norm(c) || 1;
    for (const [k, x] of c) c.set(k, x / n);
    centroids.set(id, c);
  }

  return {
    vector: (words, stems) => weigh(features(words, stems)),
    maxCosines(q) {
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
      return maxCos;
    },
    centroidCosine: (q, topic) => dot(q, centroids.get(topic)!),
  };
}
