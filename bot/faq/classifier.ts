import { createHash } from 'node:crypto';
import type { Analysis } from './normalise.js';
import { float64At } from './typed-bytes.js';

/**
 * A small multinomial logistic regression (softmax) over sparse text features, trained once at start-up.
 * Deterministic (fixed-seed shuffle): ~1,000 short phrasings train in well under a second. A long-lived host may keep
 * trained classifiers between processes (`setClassifierStore`: `npm start` does, docs/startup.md); without a store
 * (Lambda, tests) nothing is stored.
 * `createTextClassifier` (below) is the FAQ's use of it: its features of a phrasing, their TF-IDF, the training.
 */

export interface SparseVec {
  idx: Int32Array;
  val: Float64Array;
}

export interface SoftmaxOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per update */
  l2?: number;
  seed?: number;
}

export interface SoftmaxModel {
  readonly classes: number;
  /** probabilities of each class for a feature vector, written into `out` (length = classes) */
  predict(x: SparseVec, out: Float64Array): void;
  /** the trained weights (feature-major: `W[feature * classes + class]`) and biases */
  readonly W: Float64Array;
  readonly b: Float64Array;
}

/** Logits of `x` into `out`: `b + (W · x) × scale` (`scale`: the lazy L2 factor of training, 1 for a trained model). */
function logitsInto(
  W: Float64Array,
  b: Float64Array,
  nClasses: number,
  x: SparseVec,
  scale: number,
  out: Float64Array,
) {
  for (let c = 0; c < nClasses; c++) out[c] = b[c]!;
  for (let k = 0; k < x.idx.length; k++) {
    const base = x.idx[k]! * nClasses;
    const v = x.val[k]! * scale;
    for (let c = 0; c < nClasses; c++) out[c]! += W[base + c]! * v;
  }
}

/** Softmax of the first `nClasses` values of `out`, in place (shifted by the maximum: no overflow). */
function softmaxInPlace(out: Float64Array, nClasses: number) {
  let m = -Infinity;
  for (let c = 0; c < nClasses; c++) if (out[c]! > m) m = out[c]!;
  let s = 0;
  for (let c = 0; c < nClasses; c++) {
    out[c] = Math.exp(out[c]! - m);
    s += out[c]!;
  }
  for (let c = 0; c < nClasses; c++) out[c]! /= s;
}

/** The model of trained weights: what `trainSoftmax` returns, and what a stored classifier is read back as. */
function softmaxModel(W: Float64Array, b: Float64Array, nClasses: number): SoftmaxModel {
  return {
    classes: nClasses,
    W,
    b,
    // The arithmetic of training's own logits at scale 1 (so the same probabilities).
    predict(x, out) {
      logitsInto(W, b, nClasses, x, 1, out);
      softmaxInPlace(out, nClasses);
    },
  };
}

export function trainSoftmax(
  xs: readonly SparseVec[],
  ys: readonly number[],
  nFeatures: number,
  nClasses: number,
  opts: SoftmaxOptions = {},
): SoftmaxModel {
  const epochs = opts.epochs ?? 30;
  const lr0 = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-4;
  const W = new Float64Array(nFeatures * nClasses);
  const b = new Float64Array(nClasses);
  const p = new Float64Array(nClasses);
  const active = new Int32Array(nClasses);
  const order = xs.map((_, i) => i);
  let seed = opts.seed ?? 12345;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  // Lazy L2: a global scale factor applied to W (classic trick for sparse SGD).
  let scale = 1;

  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = lr0 / (1 + e * 0.2);
    for (const i of order) {
      const x = xs[i]!;
      logitsInto(W, b, nClasses, x, scale, p);
      softmaxInPlace(p, nClasses);
      p[ys[i]!]! -= 1; // gradient of the cross-entropy wrt the logits
      scale *= 1 - lr * l2;
      const step = lr / scale;
      // Only the classes with a noticeable gradient: after a few epochs most probabilities are ~0.
      let nActive = 0;
      for (let c = 0; c < nClasses; c++) if (p[c]! > 1e-3 || p[c]! < -1e-3) active[nActive++] = c;
      for (let k = 0; k < x.idx.length; k++) {
        const base = x.idx[k]! * nClasses;
        const v = x.val[k]! * step;
        for (let a = 0; a < nActive; a++) {
          const c = active[a]!;
          W[base + c]! -= p[c]! * v;
        }
      }
      for (let c = 0; c < nClasses; c++) b[c]! -= lr * p[c]!;
      if (scale < 1e-6) {
        for (let k = 0; k < W.length; k++) W[k]! *= scale;
        scale = 1;
      }
    }
  }
  for (let k = 0; k < W.length; k++) W[k]! *= scale;
  return softmaxModel(W, b, nClasses);
}

/**
 * Trained classifiers kept between processes, by a key that hashes everything the training reads: the analysed
 * documents, their labels, the feature and training options, and the source of this module's training code. Any
 * change to one of them (a knowledge base edit, a tuned weight, a change to the features) gives a new key.
 */
export interface ClassifierStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, data: Uint8Array): void;
}

let store: ClassifierStore | null = null;

/** Keep trained classifiers in `next` from now on (null: train every time, the default). */
export function setClassifierStore(next: ClassifierStore | null): void {
  store = next;
}

/** The store in use (bot/faq-live.ts layers the published versions' shared models over it). */
export function classifierStore(): ClassifierStore | null {
  return store;
}

/** What a classifier is besides its code: the feature index, the IDF weights, the trained model. */
interface TrainedClassifier {
  index: Map<string, number>;
  idf: Float64Array;
  model: SoftmaxModel;
}

/** `[u32 header length][header JSON: features, classes][padding to 8][idf][W][b]` (Float64, this machine's order). */
export function encodeClassifier(t: TrainedClassifier): Uint8Array {
  const header = Buffer.from(JSON.stringify({ features: [...t.index.keys()], classes: t.model.classes }));
  const start = Math.ceil((4 + header.length) / 8) * 8;
  const floats = t.idf.length + t.model.W.length + t.model.b.length;
  const out = Buffer.alloc(start + floats * 8);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  const f = new Float64Array(out.buffer, out.byteOffset + start, floats);
  f.set(t.idf, 0);
  f.set(t.model.W, t.idf.length);
  f.set(t.model.b, t.idf.length + t.model.W.length);
  return out;
}

export function decodeClassifier(data: Uint8Array): TrainedClassifier {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const length = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as { features: string[]; classes: number };
  const start = Math.ceil((4 + length) / 8) * 8;
  const nF = header.features.length;
  const nC = header.classes;
  if (buf.length !== start + (nF + nF * nC + nC) * 8) throw new Error('stored classifier: wrong size');
  return {
    index: new Map(header.features.map((k, i) => [k, i])),
    idf: float64At(data, start, nF),
    model: softmaxModel(float64At(data, start + nF * 8, nF * nC), float64At(data, start + (nF + nF * nC) * 8, nC), nC),
  };
}

/** Features of the text classifier, relative to a stem (weight 1). Tuned by cross-validation (docs/faq.md). */
export interface TextFeatureOptions {
  /** weight of a stem bigram */
  bigram: number;
  /** weight of a character n-gram of a word (0: none) */
  gram: number;
  /** n-gram lengths, inclusive */
  gramMin: number;
  gramMax: number;
}

export interface TextClassifier {
  /**
   * Writes each class's probability into `out` (length = classes) and returns the share of the text's feature mass
   * (TF-IDF, squared) that no document has: unseen features still count in the norm, so unknown words dilute the
   * probabilities.
   */
  predict(words: readonly string[], stems: readonly string[], out: Float64Array): number;
}

/**
 * A softmax over TF-IDF features (stems, stem bigrams, character n-grams of the words; L2-normalised) of the documents
 * `analysed`, labelled `labels` (class indexes < `nClasses`).
 */
export function createTextClassifier(
  analysed: readonly Analysis[],
  labels: readonly number[],
  nClasses: number,
  features: TextFeatureOptions,
  training: SoftmaxOptions,
): TextClassifier {
  const emitFeatures = (words: readonly string[], stems: readonly string[], emit: (k: string, w: number) => void) => {
    for (const s of stems) emit(`s:${s}`, 1);
    for (let i = 0; i + 1 < stems.length; i++) emit(`b:${stems[i]} ${stems[i + 1]}`, features.bigram);
    if (features.gram > 0)
      for (const w of words) {
        const x = `_${w}_`;
        for (let n = features.gramMin; n <= features.gramMax; n++)
          for (let i = 0; i + n <= x.length; i++) emit(`g:${x.slice(i, i + n)}`, features.gram);
      }
  };
  const key = store ? classifierKey(analysed, labels, nClasses, features, training) : '';
  let trained: TrainedClassifier | null = null;
  const kept = store?.get(key);
  if (kept) {
    try {
      trained = decodeClassifier(kept);
    } catch {
      trained = null; // unreadable: trained again below
    }
  }
  const index = trained?.index ?? new Map<string, number>();
  const raw = trained
    ? []
    : analysed.map((a) => {
        const m = new Map<string, number>();
        emitFeatures(a.words, a.stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
        for (const k of m.keys()) if (!index.has(k)) index.set(k, index.size);
        return m;
      });
  const N = analysed.length;
  const idf =
    trained?.idf ??
    (() => {
      const df = new Float64Array(index.size);
      for (const m of raw) for (const k of m.keys()) df[index.get(k)!]! += 1;
      return Float64Array.from(df, (d) => Math.log((N + 1) / (d + 1)) + 1);
    })();
  // an unseen feature weighs like one of document frequency 0
  const unknownIdf = Math.log(N + 1) + 1;
  const toSparse = (m: Map<string, number>): { vec: SparseVec; unknownMass: number } => {
    const idx: number[] = [];
    const val: number[] = [];
    let n2 = 0;
    let unknown = 0;
    for (const [k, x] of m) {
      const j = index.get(k);
      if (j === undefined) {
        const u = x * unknownIdf;
        n2 += u * u;
        unknown += u * u;
        continue;
      }
      const v = x * idf[j]!;
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
  let model = trained?.model;
  if (!model) {
    model = trainSoftmax(
      raw.map((m) => toSparse(m).vec),
      labels,
      index.size,
      nClasses,
      training,
    );
    if (store) {
      try {
        store.set(key, encodeClassifier({ index, idf, model }));
      } catch {
        // not kept: trained again next time
      }
    }
  }
  const predictor = model;
  return {
    predict(words, stems, out) {
      const m = new Map<string, number>();
      emitFeatures(words, stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
      const sp = toSparse(m);
      predictor.predict(sp.vec, out);
      return sp.unknownMass;
    },
  };
}

/** Bumped when the stored form changes. */
const STORE_FORMAT = 1;

/** The key of a classifier: a SHA-256 of everything its training reads (see ClassifierStore), this code included. */
export function classifierKey(
  analysed: readonly Analysis[],
  labels: readonly number[],
  nClasses: number,
  features: TextFeatureOptions,
  training: SoftmaxOptions,
): string {
  const hash = createHash('sha256');
  hash.update(`format ${STORE_FORMAT}\n${createTextClassifier.toString()}\n${trainSoftmax.toString()}\n`);
  hash.update(
    `${softmaxModel.toString()}\n${logitsInto.toString()}\n${softmaxInPlace.toString()}\n${JSON.stringify({ nClasses, features, training, labels })}\n`,
  );
  for (const a of analysed) hash.update(`${a.words.join(' ')}\t${a.stems.join(' ')}\n`);
  return hash.digest('hex').slice(0, 32);
}
