import type { Analysis } from './normalise.js';

/**
 * A small multinomial logistic regression (softmax) over sparse text features, trained once at start-up.
 * Deterministic (fixed-seed shuffle), no training artefact to store: ~1,000 short phrasings train in well under a second.
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

  const logits = (x: SparseVec, out: Float64Array) => {
    for (let c = 0; c < nClasses; c++) out[c] = b[c]!;
    for (let k = 0; k < x.idx.length; k++) {
      const base = x.idx[k]! * nClasses;
      const v = x.val[k]! * scale;
      for (let c = 0; c < nClasses; c++) out[c]! += W[base + c]! * v;
    }
  };
  const softmax = (out: Float64Array) => {
    let m = -Infinity;
    for (let c = 0; c < nClasses; c++) if (out[c]! > m) m = out[c]!;
    let s = 0;
    for (let c = 0; c < nClasses; c++) {
      out[c] = Math.exp(out[c]! - m);
      s += out[c]!;
    }
    for (let c = 0; c < nClasses; c++) out[c]! /= s;
  };

  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = lr0 / (1 + e * 0.2);
    for (const i of order) {
      const x = xs[i]!;
      logits(x, p);
      softmax(p);
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
  scale = 1;

  return {
    classes: nClasses,
    predict(x, out) {
      logits(x, out);
      softmax(out);
    },
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
  const index = new Map<string, number>();
  const raw = analysed.map((a) => {
    const m = new Map<string, number>();
    emitFeatures(a.words, a.stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
    for (const k of m.keys()) if (!index.has(k)) index.set(k, index.size);
    return m;
  });
  const N = analysed.length;
  const df = new Float64Array(index.size);
  for (const m of raw) for (const k of m.keys()) df[index.get(k)!]! += 1;
  const idf = Float64Array.from(df, (d) => Math.log((N + 1) / (d + 1)) + 1);
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
  const model = trainSoftmax(
    raw.map((m) => toSparse(m).vec),
    labels,
    index.size,
    nClasses,
    training,
  );
  return {
    predict(words, stems, out) {
      const m = new Map<string, number>();
      emitFeatures(words, stems, (k, w) => m.set(k, (m.get(k) ?? 0) + w));
      const sp = toSparse(m);
      model.predict(sp.vec, out);
      return sp.unknownMass;
    },
  };
}
