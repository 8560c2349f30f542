import { type Analysis, stemFr } from './normalise.js';

/**
 * Spelling correction: an unknown word of the question (« remboursmeent ») is read as the most frequent word of the
 * knowledge base's phrasings within ~2 edits, before any feature is computed. `deletions` is also the near-miss test
 * of the domain vocabulary (vocabulary.ts).
 */

/** The word and its one-character deletions: two words within ~2 edits share one (SymSpell's idea, O(length)). */
export function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

export interface Speller {
  /** Replaces, in place, each unknown word of `minLength`+ letters (and its stem) by its correction, if any. */
  correct(words: string[], stems: string[]): void;
}

/**
 * `analysed`: every document's analysis (their words are the known words, weighted by frequency).
 * `minLength`: shortest word corrected (0: off); shorter words are too ambiguous to correct.
 */
export function createSpeller(analysed: readonly Analysis[], minLength: number): Speller {
  const wordFreq = new Map<string, number>();
  for (const a of analysed) for (const w of a.words) wordFreq.set(w, (wordFreq.get(w) ?? 0) + 1);
  // deletion → the most frequent known word having it (ties: the first seen)
  const spellIndex = new Map<string, string>();
  if (minLength > 0) {
    for (const [w, n] of wordFreq) {
      // one letter shorter than `minLength`: a question word of `minLength` letters minus one typo still finds it
      if (w.length < minLength - 1 || /\d/.test(w)) continue;
      for (const d of deletions(w)) {
        const other = spellIndex.get(d);
        if (other === undefined || (wordFreq.get(other) ?? 0) < n) spellIndex.set(d, w);
      }
    }
  }
  const correct = (words: string[], stems: string[]) => {
    if (minLength === 0) return;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      // numbers are never typos (« 2024 » must not become « 2023 »)
      if (w.length < minLength || wordFreq.has(w) || /\d/.test(w)) continue;
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
  return { correct };
}
