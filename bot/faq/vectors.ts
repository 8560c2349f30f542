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

export interface TfIdfIndex {
  /** the TF-IDF vector of a (corrected) question, L2-normalised */
  vector(words: readonly string[], stems: readonly string[]): Vec;
  /** topic → best cosine between `q` and one of its documents (topics without a positive cosine are absent) */
  maxCosines(q: Vec): Map<string, number>;
  /** cosine between `q` and the centroid of each class, in the order of `classes` (a buffer reused by the next call) */
  centroidCosines(q: Vec): Float64Array;
}

/** A sparse vector over interned feature ids, in the order its features were first met. */
interface SparseVec {
  ids: Int32Array;
  values: Float64Array;
}

/**
 * Per feature id `f`: the ids of the documents (or classes) holding it and their weights, in document (class) order,
 * at `ids[start[f]] … ids[start[f + 1] - 1]` (one pair of arrays for all features: a typed array per feature would
 * cost more to allocate than the index saves).
 */
interface Postings {
  start: Int32Array;
  ids: Int32Array;
  weights: Float64Array;
}

function transpose(vecs: readonly SparseVec[], features: number): Postings {
  const start = new Int32Array(features + 1);
  for (const v of vecs) for (const id of v.ids) start[id + 1]!++;
  for (let f = 0; f < features; f++) start[f + 1]! += start[f]!;
  const ids = new Int32Array(start[features]!);
  const weights = new Float64Array(start[features]!);
  const fill = start.slice(0, features);
  for (const [i, v] of vecs.entries()) {
    for (let j = 0; j < v.ids.length; j++) {
      const at = fill[v.ids[j]!]!++;
      ids[at] = i;
      weights[at] = v.values[j]!;
    }
  }
  return { start, ids, weights };
}

/**
 * `analysed`: every document's analysis; `docTopic`: each document's class (same order); `classes`: every class
 * that gets a centroid. Not reentrant: `maxCosines` and `centroidCosines` reuse buffers (`match` is synchronous).
 *
 * Features are interned to integers and documents and centroids are kept as typed arrays behind inverted indexes:
 * with ~5,500 phrasings, one Map per document made building the index mostly garbage collection. The arithmetic is
 * the same, in the same order, as with one Map per vector.
 */
export function createTfIdfIndex(
  analysed: readonly Analysis[],
  docTopic: readonly string[],
  classes: readonly string[],
): TfIdfIndex {
  const featureId = new Map<string, number>();
  const df: number[] = [];
  const rawVecs: SparseVec[] = analysed.map((a) => {
    const v = features(a.words, a.stems);
    const ids = new Int32Array(v.size);
    const values = new Float64Array(v.size);
    let j = 0;
    for (const [k, x] of v) {
      let id = featureId.get(k);
      if (id === undefined) {
        id = df.length;
        featureId.set(k, id);
        df.push(0);
      }
      df[id]!++;
      ids[j] = id;
      values[j++] = x;
    }
    return { ids, values };
  });
  const N = analysed.length;
  const idfOf = (count: number) => Math.log((N + 1) / (count + 1)) + 1;
  const idf = Float64Array.from(df, idfOf);
  const weigh = (v: Vec): Vec => {
    const out: Vec = new Map();
    for (const [k, x] of v) {
      const id = featureId.get(k);
      out.set(k, x * (id === undefined ? idfOf(0) : idf[id]!));
    }
    const n = norm(out) || 1;
    for (const [k, x] of out) out.set(k, x / n);
    return out;
  };
  const docVecs: SparseVec[] = rawVecs.map(({ ids, values }) => {
    const w = new Float64Array(values.length);
    let n = 0;
    for (let j = 0; j < ids.length; j++) {
      w[j] = values[j]! * idf[ids[j]!]!;
      n += w[j]! * w[j]!;
    }
    const len = Math.sqrt(n) || 1;
    for (let j = 0; j < w.length; j++) w[j]! /= len;
    return { ids, values: w };
  });
  // Inverted index (feature → documents and weights): a query's cosines cost its features' postings, not |docs| lookups.
  const postings = transpose(docVecs, df.length);
  const classIndex = new Map(classes.map((id, i) => [id, i]));
  const docClass = Int32Array.from(docTopic, (t) => classIndex.get(t) ?? -1);
  const centroids: SparseVec[] = classes.map((_, c) => {
    const sum = new Map<number, number>();
    for (let i = 0; i < docVecs.length; i++) {
      if (docClass[i] !== c) continue;
      const { ids, values } = docVecs[i]!;
      for (let j = 0; j < ids.length; j++) sum.set(ids[j]!, (sum.get(ids[j]!) ?? 0) + values[j]!);
    }
    let n = 0;
    for (const x of sum.values()) n += x * x;
    const len = Math.sqrt(n) || 1;
    return { ids: Int32Array.from(sum.keys()), values: Float64Array.from(sum.values(), (x) => x / len) };
  });
  // Feature → classes whose centroid holds it: one lookup per question feature for every centroid cosine.
  const centroidPostings = transpose(centroids, df.length);
  const cosines = new Float64Array(N);
  const best = new Float64Array(classes.length);
  const centroidCos = new Float64Array(classes.length);
  /** `out` := the dot product of `q` with every vector behind `p` (cleared first). */
  const dotAll = (q: Vec, p: Postings, out: Float64Array): Float64Array => {
    out.fill(0);
    for (const [k, x] of q) {
      const id = featureId.get(k);
      if (id === undefined) continue;
      for (let j = p.start[id]!; j < p.start[id + 1]!; j++) out[p.ids[j]!]! += x * p.weights[j]!;
    }
    return out;
  };

  return {
    vector: (words, stems) => weigh(features(words, stems)),
    maxCosines(q) {
      dotAll(q, postings, cosines);
      best.fill(0);
      for (let i = 0; i < N; i++) {
        const c = docClass[i]!;
        if (c >= 0 && cosines[i]! > best[c]!) best[c] = cosines[i]!;
      }
      const maxCos = new Map<string, number>();
      for (const [c, id] of classes.entries()) if (best[c]! > 0) maxCos.set(id, best[c]!);
      return maxCos;
    },
    centroidCosines: (q) => dotAll(q, centroidPostings, centroidCos),
  };
}
