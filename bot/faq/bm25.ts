import SearchableMap from 'minisearch/SearchableMap';

/**
 * The best BM25 score of each class's phrasings for a question, with MiniSearch's scoring exactly (BM25+, k 1.2,
 * b 0.7, d 0.5; prefix matches weighted 0.7 and fuzzy ones 0.6, less with distance; a document's score × the number of
 * distinct question terms it matched) and MiniSearch's own radix tree to expand a term into its prefix and fuzzy
 * matches.
 *
 * Why not `MiniSearch.search`: the ranking only needs each class's best phrasing, and `search` builds, merges and sorts
 * one result object per matching phrasing (every phrasing sharing one word with the question). Over ~7,000 phrasings
 * that was half of a match's time. Here the scores accumulate in typed arrays, in the same order as MiniSearch adds
 * them, so every score is the same number.
 */

/** MiniSearch's defaults (`defaultBM25params`, `maxFuzzy`) and the search options the ranking used with it. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const MAX_FUZZY = 6;
const WEIGHTS = { fuzzy: 0.6, prefix: 0.7 };
/** Terms of at least this length are also matched by prefix and within 20 % edits. */
const EXPANDED_MIN_LENGTH = 5;
const FUZZY_SHARE = 0.2;

export interface ClassBm25 {
  /**
   * Each class's best phrasing score for the question `terms` (0 when no phrasing matches), in class order. A buffer
   * reused by the next call.
   */
  best(terms: readonly string[]): Float64Array;
}

/** `docTerms`: each phrasing's terms (stems); `docClass`: its class index (< `nClasses`; -1: in no class). */
export function createClassBm25(
  docTerms: readonly (readonly string[])[],
  docClass: Int32Array,
  nClasses: number,
): ClassBm25 {
  const N = docTerms.length;
  // Per term: its postings (documents in order, with the term's frequency), as MiniSearch's index holds them.
  const termIds = new SearchableMap<number>();
  const postingDocs: number[][] = [];
  const postingFreqs: number[][] = [];
  const fieldLength = new Float64Array(N);
  let avgFieldLength = 0;
  for (let doc = 0; doc < N; doc++) {
    const terms = docTerms[doc]!;
    // MiniSearch's field length is the number of distinct terms, and its average is kept as a running mean.
    fieldLength[doc] = new Set(terms).size;
    avgFieldLength = (avgFieldLength * doc + fieldLength[doc]!) / (doc + 1);
    for (const term of terms) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = postingDocs.length;
        termIds.set(term, id);
        postingDocs.push([]);
        postingFreqs.push([]);
      }
      const docs = postingDocs[id]!;
      const freqs = postingFreqs[id]!;
      if (docs[docs.length - 1] === doc) freqs[freqs.length - 1]!++;
      else {
        docs.push(doc);
        freqs.push(1);
      }
    }
  }
  const postings = postingDocs.map((docs, id) => ({
    docs: Int32Array.from(docs),
    freqs: Float64Array.from(postingFreqs[id]!),
  }));

  const total = new Float64Array(N);
  const termScore = new Float64Array(N);
  /** The documents the current question term touched, in the order MiniSearch first meets them. */
  const touched = new Int32Array(N);
  /** `touchedBy[doc] === stamp`: the current question term touched `doc` already. */
  const touchedBy = new Int32Array(N);
  let stamp = 0;
  /** How many distinct question terms matched each document (MiniSearch's « quality »). */
  const quality = new Int32Array(N);
  const best = new Float64Array(nClasses);

  return {
    best(queryTerms) {
      total.fill(0);
      quality.fill(0);
      touchedBy.fill(0);
      stamp = 0;
      const seen = new Set<string>();
      for (const term of queryTerms) {
        if (!term) continue;
        // A repeated term adds its score again but does not count twice in the quality (MiniSearch's unique terms).
        const first = !seen.has(term);
        seen.add(term);
        stamp++;
        let nTouched = 0;
        const add = (id: number, weight: number) => {
          const { docs, freqs } = postings[id]!;
          const idf = Math.log(1 + (N - docs.length + 0.5) / (docs.length + 0.5));
          for (let j = 0; j < docs.length; j++) {
            const doc = docs[j]!;
            const tf = freqs[j]!;
            const norm = 1 - BM25.b + (BM25.b * fieldLength[doc]!) / avgFieldLength;
            const raw = idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * norm));
            if (touchedBy[doc] !== stamp) {
              touchedBy[doc] = stamp;
              touched[nTouched++] = doc;
            }
            termScore[doc]! += weight * raw;
          }
        };
        const exact = termIds.get(term);
        if (exact !== undefined) add(exact, 1);
        if (term.length >= EXPANDED_MIN_LENGTH) {
          const fuzzy = termIds.fuzzyGet(term, Math.min(MAX_FUZZY, Math.round(term.length * FUZZY_SHARE)));
          for (const [derived, id] of termIds.atPrefix(term)) {
            const distance = derived.length - term.length;
            if (!distance) continue;
            // a prefix match is scored as one, even when it is also within the fuzzy distance
            fuzzy.delete(derived);
            add(id, (WEIGHTS.prefix * derived.length) / (derived.length + 0.3 * distance));
          }
          for (const [derived, [id, distance]] of fuzzy) {
            if (!distance) continue;
            add(id, (WEIGHTS.fuzzy * derived.length) / (derived.length + distance));
          }
        }
        // MiniSearch combines the question terms' results in order (OR): a document's total is the sum of its
        // per-term scores, each term's own sum first.
        for (let j = 0; j < nTouched; j++) {
          const doc = touched[j]!;
          total[doc]! += termScore[doc]!;
          termScore[doc] = 0;
          if (first) quality[doc]!++;
        }
      }
      best.fill(0);
      for (let doc = 0; doc < N; doc++) {
        if (quality[doc] === 0) continue;
        const c = docClass[doc]!;
        const score = total[doc]! * quality[doc]!;
        if (c >= 0 && score > best[c]!) best[c] = score;
      }
      return best;
    },
  };
}
