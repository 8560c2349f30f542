import { createHash } from 'node:crypto';
import { keptOrMade } from './analysis-store.js';
import type { Analysis } from './normalise.js';
import { float64At, int32At } from './typed-bytes.js';

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
export interface Postings {
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

/** What the index is, besides its code: plain arrays, so that a bundle can keep it beside itself (`encodeTfIdf`). */
export interface TfIdfState {
  /** every feature, in id order */
  features: string[];
  /** documents */
  N: number;
  idf: Float64Array;
  /** feature → documents */
  postings: Postings;
  /** feature → classes whose centroid holds it */
  centroidPostings: Postings;
  /** each document's class index (-1: in no class) */
  docClass: Int32Array;
}

/**
 * `analysed`: every document's analysis; `docTopic`: each document's class (same order); `classes`: every class
 * that gets a centroid. Not reentrant: `maxCosines` and `centroidCosines` reuse buffers (`match` is synchronous).
 *
 * Features are interned to integers and documents and centroids are kept as typed arrays behind inverted indexes:
 * with ~5,500 phrasings, one Map per document made building the index mostly garbage collection. The arithmetic is
 * the same, in the same order, as with one Map per vector.
 *
 * Building it is most of building the matcher in a cold process (≈ 250 ms over 10,000 phrasings): a bundle keeps it
 * beside itself with the analyses of the phrasings (analysis-store.ts, under `tfidfKey`), and reads it back.
 */
export function createTfIdfIndex(
  analysed: readonly Analysis[],
  docTopic: readonly string[],
  classes: readonly string[],
): TfIdfIndex {
  const state = keptOrMade(
    () => tfidfKey(analysed, docTopic, classes),
    () => buildTfIdfState(analysed, docTopic, classes),
    encodeTfIdf,
    (data) => decodeTfIdf(data, analysed.length, classes.length),
  );
  return tfIdfIndexFrom(state, classes);
}

export function buildTfIdfState(
  analysed: readonly Analysis[],
  docTopic: readonly string[],
  classes: readonly string[],
): TfIdfState {
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
  const idf = Float64Array.from(df, (count) => idfOf(N, count));
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
  return { features: [...featureId.keys()], N, idf, postings, centroidPostings, docClass };
}

const idfOf = (N: number, count: number) => Math.log((N + 1) / (count + 1)) + 1;

function tfIdfIndexFrom(state: TfIdfState, classes: readonly string[]): TfIdfIndex {
  const { N, idf, postings, centroidPostings, docClass } = state;
  const featureId = new Map(state.features.map((k, i) => [k, i]));
  const unknownIdf = idfOf(N, 0);
  const weigh = (v: Vec): Vec => {
    const out: Vec = new Map();
    for (const [k, x] of v) {
      const id = featureId.get(k);
      out.set(k, x * (id === undefined ? unknownIdf : idf[id]!));
    }
    const n = norm(out) || 1;
    for (const [k, x] of out) out.set(k, x / n);
    return out;
  };
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

/** Bumped when the stored form changes. */
const TFIDF_FORMAT = 1;

/** The key of an index: its analyses, classes and the code that builds it (only a bundle keeps one: analysis-store.ts). */
export function tfidfKey(
  analysed: readonly Analysis[],
  docTopic: readonly string[],
  classes: readonly string[],
): string {
  const hash = createHash('sha256');
  hash.update(`tfidf ${TFIDF_FORMAT}\n${buildTfIdfState.toString()}\n${features.toString()}\n${grams.toString()}\n`);
  hash.update(`${transpose.toString()}\n${JSON.stringify({ FEATURE_WEIGHTS, classes, docTopic })}\n`);
  for (const a of analysed) hash.update(`${a.words.join(' ')}\t${a.stems.join(' ')}\n`);
  return `tfidf-${hash.digest('hex').slice(0, 32)}`;
}

/**
 * `[u32 header length][header JSON: features and array lengths][padding to 8][Float64: idf, postings' and centroid
 * postings' weights][Int32: their starts and ids, docClass]` (this machine's byte order, like the classifier's).
 */
export function encodeTfIdf(s: TfIdfState): Uint8Array {
  const f64 = [s.idf, s.postings.weights, s.centroidPostings.weights];
  const i32 = [s.postings.start, s.postings.ids, s.centroidPostings.start, s.centroidPostings.ids, s.docClass];
  const header = Buffer.from(
    JSON.stringify({ features: s.features, N: s.N, f64: f64.map((a) => a.length), i32: i32.map((a) => a.length) }),
  );
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const nF64 = f64.reduce((n, a) => n + a.length, 0);
  const nI32 = i32.reduce((n, a) => n + a.length, 0);
  const out = Buffer.alloc(start + nF64 * 8 + nI32 * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  let at = start;
  for (const a of f64) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  for (const a of i32) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  return out;
}

/** null when the bytes are not an index of `N` documents and `nClasses` classes (then it is built again). */
export function decodeTfIdf(data: Uint8Array, N: number, nClasses: number): TfIdfState | null {
  try {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const length = buf.readUInt32LE(0);
    const h = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as {
      features: string[];
      N: number;
      f64: number[];
      i32: number[];
    };
    const F = h.features.length;
    const [nIdf, nW, nCW] = h.f64 as [number, number, number];
    const [nS, nIds, nCS, nCIds, nDoc] = h.i32 as [number, number, number, number, number];
    const start = Math.ceil((4 + length) / 8) * 8;
    const bytes = (nIdf + nW + nCW) * 8 + (nS + nIds + nCS + nCIds + nDoc) * 4;
    if (h.N !== N || nDoc !== N || nIdf !== F || nS !== F + 1 || nCS !== F + 1 || buf.length !== start + bytes) {
      return null;
    }
    let at = start;
    const f64 = (n: number) => {
      const a = float64At(data, at, n);
      at += n * 8;
      return a;
    };
    const i32 = (n: number) => {
      const a = int32At(data, at, n);
      at += n * 4;
      return a;
    };
    const idf = f64(nIdf);
    const weights = f64(nW);
    const centroidWeights = f64(nCW);
    const postings = { start: i32(nS), ids: i32(nIds), weights };
    const centroidPostings = { start: i32(nCS), ids: i32(nCIds), weights: centroidWeights };
    const docClass = i32(nDoc);
    if (postings.start[F] !== nIds || centroidPostings.start[F] !== nCIds || nW !== nIds || nCW !== nCIds) return null;
    if (docClass.some((c) => c < -1 || c >= nClasses)) return null;
    return { features: h.features, N, idf, postings, centroidPostings, docClass };
  } catch {
    return null; // not an index: built again
  }
}
