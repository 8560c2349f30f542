/**
 * A small multinomial logistic regression (softmax) over sparse text features, trained once at start-up.
 * Deterministic (fixed-seed shuffle), no training artefact to store: ~1,000 short phrasings train in well under a second.
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
